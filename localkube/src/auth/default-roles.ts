// The bootstrap ClusterRoles and ClusterRoleBindings a real cluster ships that matter to this
// server, as plain objects the server can seed. The rule lists are a faithful subset (only the
// kinds this server serves), not a copy of Kubernetes' full bootstrap policy. admin, edit and view
// are aggregated exactly like upstream: their rules come from ClusterRoles labelled
// rbac.authorization.k8s.io/aggregate-to-<name>: "true" (see aggregateClusterRoles).
import type { BindingLike, PolicyRule, RoleLike } from "./types.js";

const API_VERSION = "rbac.authorization.k8s.io/v1";
const BOOTSTRAP_LABELS = { "kubernetes.io/bootstrapping": "rbac-defaults" };
const READ = ["get", "list", "watch"];
const WRITE = ["create", "delete", "deletecollection", "patch", "update"];
const aggregateLabel = (to: string): string => `rbac.authorization.k8s.io/aggregate-to-${to}`;

function clusterRole(
  name: string,
  rules: PolicyRule[],
  extra: Partial<RoleLike> & { labels?: Record<string, string> } = {},
): RoleLike {
  const { labels, ...rest } = extra;
  return {
    apiVersion: API_VERSION,
    kind: "ClusterRole",
    metadata: {
      name,
      labels: { ...BOOTSTRAP_LABELS, ...labels },
      annotations: { "rbac.authorization.kubernetes.io/autoupdate": "true" },
    },
    rules,
    ...rest,
  };
}

function aggregated(name: string, labels: Record<string, string> = {}): RoleLike {
  return clusterRole(name, [], {
    labels,
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [aggregateLabel(name)]: "true" } }] },
  });
}

const VIEW_RULES: PolicyRule[] = [
  { apiGroups: [""], resources: ["configmaps", "serviceaccounts"], verbs: READ },
  { apiGroups: [""], resources: ["events", "namespaces/status"], verbs: READ },
  { apiGroups: [""], resources: ["namespaces"], verbs: READ },
  { apiGroups: ["events.k8s.io"], resources: ["events"], verbs: READ },
];

const EDIT_RULES: PolicyRule[] = [
  { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"] },
  { apiGroups: [""], resources: ["configmaps", "secrets", "serviceaccounts"], verbs: WRITE },
  { apiGroups: [""], resources: ["secrets"], verbs: READ },
  { apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"] },
];

const ADMIN_RULES: PolicyRule[] = [
  { apiGroups: ["authorization.k8s.io"], resources: ["localsubjectaccessreviews"], verbs: ["create"] },
  {
    apiGroups: ["rbac.authorization.k8s.io"],
    resources: ["rolebindings", "roles"],
    verbs: [...WRITE, ...READ],
  },
];

const DISCOVERY_URLS = [
  "/api",
  "/api/*",
  "/apis",
  "/apis/*",
  "/healthz",
  "/livez",
  "/openapi",
  "/openapi/*",
  "/readyz",
  "/version",
  "/version/",
];

/** cluster-admin, admin/edit/view (aggregated) with their aggregate-to-* sources, and the system:* roles every user needs. */
export function defaultClusterRoles(): RoleLike[] {
  return [
    clusterRole("cluster-admin", [
      { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
      { nonResourceURLs: ["*"], verbs: ["*"] },
    ]),
    aggregated("admin"),
    aggregated("edit", { [aggregateLabel("admin")]: "true" }),
    aggregated("view", { [aggregateLabel("edit")]: "true" }),
    clusterRole("system:aggregate-to-admin", ADMIN_RULES, { labels: { [aggregateLabel("admin")]: "true" } }),
    clusterRole("system:aggregate-to-edit", EDIT_RULES, { labels: { [aggregateLabel("edit")]: "true" } }),
    clusterRole("system:aggregate-to-view", VIEW_RULES, { labels: { [aggregateLabel("view")]: "true" } }),
    clusterRole("system:discovery", [{ nonResourceURLs: DISCOVERY_URLS, verbs: ["get"] }]),
    clusterRole("system:public-info-viewer", [
      { nonResourceURLs: ["/healthz", "/livez", "/readyz", "/version", "/version/"], verbs: ["get"] },
    ]),
    clusterRole("system:basic-user", [
      {
        apiGroups: ["authorization.k8s.io"],
        resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
        verbs: ["create"],
      },
      { apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"], verbs: ["create"] },
    ]),
  ];
}

function clusterRoleBinding(name: string, role: string, groups: string[]): BindingLike {
  return {
    apiVersion: API_VERSION,
    kind: "ClusterRoleBinding",
    metadata: {
      name,
      labels: { ...BOOTSTRAP_LABELS },
      annotations: { "rbac.authorization.kubernetes.io/autoupdate": "true" },
    },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
    subjects: groups.map((group) => ({ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: group })),
  };
}

/** The bootstrap bindings: cluster-admin to system:masters; discovery, basic-user and public info to everyone authenticated. */
export function defaultClusterRoleBindings(): BindingLike[] {
  return [
    clusterRoleBinding("cluster-admin", "cluster-admin", ["system:masters"]),
    clusterRoleBinding("system:discovery", "system:discovery", ["system:authenticated"]),
    clusterRoleBinding("system:basic-user", "system:basic-user", ["system:authenticated"]),
    clusterRoleBinding("system:public-info-viewer", "system:public-info-viewer", [
      "system:authenticated",
      "system:unauthenticated",
    ]),
  ];
}
