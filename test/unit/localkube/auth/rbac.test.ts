import {
  aggregateClusterRoles,
  authorize,
  defaultClusterRoleBindings,
  defaultClusterRoles,
  forbiddenMessage,
  serviceAccountGroups,
  serviceAccountUsername,
  type Attributes,
  type BindingLike,
  type RbacState,
  type RoleLike,
  type Subject,
} from "../../../../localkube/src/auth/index.js";

const role = (namespace: string, name: string, rules: RoleLike["rules"]): RoleLike => ({
  kind: "Role",
  metadata: { namespace, name },
  rules,
});
const clusterRole = (name: string, rules: RoleLike["rules"], labels?: Record<string, string>): RoleLike => ({
  kind: "ClusterRole",
  metadata: labels ? { name, labels } : { name },
  rules,
});
const binding = (
  kind: "RoleBinding" | "ClusterRoleBinding",
  name: string,
  roleRef: { kind: string; name: string },
  subjects: BindingLike["subjects"],
  namespace?: string,
): BindingLike => ({ kind, metadata: namespace ? { name, namespace } : { name }, roleRef, subjects });

const sa = (ns: string, name: string): Subject => ({
  user: serviceAccountUsername(ns, name),
  groups: serviceAccountGroups(ns),
});
const alice: Subject = { user: "alice", groups: ["system:authenticated", "devs"] };
const deployer = sa("team-a", "deployer");
const roster = sa("roster-system", "roster");

const state: RbacState = {
  roles: [
    role("team-a", "grant-writer", [
      { apiGroups: ["roster.dev"], resources: ["accessgrants"], verbs: ["create", "get", "list"] },
    ]),
    role("team-a", "one-config", [
      { apiGroups: [""], resources: ["configmaps"], resourceNames: ["settings"], verbs: ["get", "update"] },
    ]),
  ],
  clusterRoles: [
    ...defaultClusterRoles(),
    clusterRole("roster-operator", [
      { apiGroups: ["roster.dev"], resources: ["users"], verbs: ["get", "list", "watch"] },
      { apiGroups: ["roster.dev"], resources: ["users/status"], verbs: ["update", "patch"] },
      { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["*"] },
    ]),
    clusterRole("status-reader", [{ apiGroups: ["*"], resources: ["*/status"], verbs: ["get"] }]),
    clusterRole("secret-reader", [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }]),
    clusterRole("metrics", [{ nonResourceURLs: ["/metrics", "/debug/*"], verbs: ["get"] }]),
    clusterRole(
      "grant-viewer",
      [{ apiGroups: ["roster.dev"], resources: ["accessgrants"], verbs: ["get"] }],
      {
        "rbac.authorization.k8s.io/aggregate-to-view": "true",
      },
    ),
  ],
  roleBindings: [
    binding(
      "RoleBinding",
      "deployer-grants",
      { kind: "Role", name: "grant-writer" },
      [{ kind: "ServiceAccount", name: "deployer" }],
      "team-a",
    ),
    binding(
      "RoleBinding",
      "alice-config",
      { kind: "Role", name: "one-config" },
      [{ kind: "User", name: "alice" }],
      "team-a",
    ),
    binding(
      "RoleBinding",
      "devs-secrets",
      { kind: "ClusterRole", name: "secret-reader" },
      [{ kind: "Group", name: "devs" }],
      "team-a",
    ),
    binding(
      "RoleBinding",
      "team-a-view",
      { kind: "ClusterRole", name: "view" },
      [{ kind: "Group", name: "system:serviceaccounts:team-a" }],
      "team-a",
    ),
    binding(
      "RoleBinding",
      "dangling",
      { kind: "Role", name: "missing-role" },
      [{ kind: "User", name: "bob" }],
      "team-b",
    ),
  ],
  clusterRoleBindings: [
    ...defaultClusterRoleBindings(),
    binding("ClusterRoleBinding", "roster", { kind: "ClusterRole", name: "roster-operator" }, [
      { kind: "ServiceAccount", name: "roster", namespace: "roster-system" },
    ]),
    binding("ClusterRoleBinding", "status", { kind: "ClusterRole", name: "status-reader" }, [
      { kind: "User", name: "alice" },
    ]),
    binding("ClusterRoleBinding", "metrics", { kind: "ClusterRole", name: "metrics" }, [
      { kind: "Group", name: "system:serviceaccounts" },
    ]),
  ],
};

const res = (verb: string, apiGroup: string, resource: string, extra: Partial<Attributes> = {}): Attributes =>
  ({ verb, apiGroup, resource, ...extra }) as Attributes;

describe("authorize", () => {
  const cases: Array<[string, Subject, Attributes, boolean]> = [
    [
      "SA creates AccessGrants in its own namespace",
      deployer,
      res("create", "roster.dev", "accessgrants", { namespace: "team-a" }),
      true,
    ],
    [
      "SA cannot create AccessGrants in another namespace",
      deployer,
      res("create", "roster.dev", "accessgrants", { namespace: "team-b" }),
      false,
    ],
    [
      "SA cannot create AccessGrants at cluster scope",
      deployer,
      res("create", "roster.dev", "accessgrants"),
      false,
    ],
    [
      "Role does not grant a verb it lacks",
      deployer,
      res("delete", "roster.dev", "accessgrants", { namespace: "team-a", name: "g" }),
      false,
    ],
    [
      "wrong API group does not match",
      deployer,
      res("create", "other.dev", "accessgrants", { namespace: "team-a" }),
      false,
    ],
    [
      "resourceNames allow the named object",
      alice,
      res("get", "", "configmaps", { namespace: "team-a", name: "settings" }),
      true,
    ],
    [
      "resourceNames deny other names",
      alice,
      res("get", "", "configmaps", { namespace: "team-a", name: "other" }),
      false,
    ],
    [
      "resourceNames deny requests without a name (list)",
      alice,
      res("list", "", "configmaps", { namespace: "team-a" }),
      false,
    ],
    [
      "RoleBinding to ClusterRole grants in its namespace",
      alice,
      res("get", "", "secrets", { namespace: "team-a", name: "s" }),
      true,
    ],
    [
      "RoleBinding to ClusterRole does not grant elsewhere",
      alice,
      res("get", "", "secrets", { namespace: "team-b", name: "s" }),
      false,
    ],
    [
      "RoleBinding to ClusterRole does not grant cluster-wide",
      alice,
      res("get", "", "secrets", { name: "s" }),
      false,
    ],
    [
      "ClusterRoleBinding grants in every namespace",
      roster,
      res("list", "roster.dev", "users", { namespace: "anywhere" }),
      true,
    ],
    ["ClusterRoleBinding grants cluster-wide", roster, res("watch", "roster.dev", "users"), true],
    [
      "resource rule does not cover its subresource",
      roster,
      res("update", "roster.dev", "users", { name: "u" }),
      false,
    ],
    [
      "explicit subresource rule",
      roster,
      res("patch", "roster.dev", "users", { subresource: "status", name: "u" }),
      true,
    ],
    [
      "verb * on leases",
      roster,
      res("delete", "coordination.k8s.io", "leases", { namespace: "roster-system", name: "l" }),
      true,
    ],
    [
      "*/status covers any status subresource",
      alice,
      res("get", "roster.dev", "users", { subresource: "status", name: "u" }),
      true,
    ],
    [
      "*/status does not cover the main resource",
      alice,
      res("get", "roster.dev", "users", { name: "u" }),
      false,
    ],
    [
      "group system:serviceaccounts:<ns> via aggregated view",
      deployer,
      res("list", "", "configmaps", { namespace: "team-a" }),
      true,
    ],
    [
      "aggregated view picks up labelled custom roles",
      deployer,
      res("get", "roster.dev", "accessgrants", { namespace: "team-a", name: "g" }),
      true,
    ],
    [
      "view does not read secrets",
      deployer,
      res("get", "", "secrets", { namespace: "team-a", name: "s" }),
      false,
    ],
    ["non-resource URL via ClusterRoleBinding", deployer, { verb: "get", nonResourceURL: "/metrics" }, true],
    ["non-resource URL wildcard suffix", deployer, { verb: "get", nonResourceURL: "/debug/pprof" }, true],
    [
      "discovery for every authenticated user",
      alice,
      { verb: "get", nonResourceURL: "/apis/roster.dev/v1" },
      true,
    ],
    ["non-resource URL not granted", alice, { verb: "get", nonResourceURL: "/metrics" }, false],
    [
      "system:masters is allowed everything",
      { user: "admin", groups: ["system:masters"] },
      res("delete", "", "namespaces", { name: "x" }),
      true,
    ],
    [
      "unknown user is denied",
      { user: "mallory", groups: [] },
      res("get", "", "configmaps", { namespace: "team-a", name: "x" }),
      false,
    ],
  ];
  it.each(cases)("%s", (_name, subject, attributes, allowed) => {
    expect(authorize(subject, attributes, state).allowed).toBe(allowed);
  });

  it("explains an allow with the binding, role and subject", () => {
    expect(
      authorize(deployer, res("create", "roster.dev", "accessgrants", { namespace: "team-a" }), state).reason,
    ).toBe(
      'RBAC: allowed by RoleBinding "team-a/deployer-grants" of Role "grant-writer" to ServiceAccount "deployer/team-a"',
    );
  });

  it("reports a binding to a missing role as the deny reason", () => {
    const decision = authorize(
      { user: "bob", groups: [] },
      res("get", "", "configmaps", { namespace: "team-b" }),
      state,
    );
    expect(decision).toEqual({
      allowed: false,
      reason: 'RBAC: role.rbac.authorization.k8s.io "missing-role" not found',
    });
  });

  it("a ServiceAccount subject without namespace in a ClusterRoleBinding matches nothing", () => {
    const s: RbacState = {
      ...state,
      roleBindings: [],
      clusterRoleBindings: [
        binding("ClusterRoleBinding", "x", { kind: "ClusterRole", name: "cluster-admin" }, [
          { kind: "ServiceAccount", name: "deployer" },
        ]),
      ],
    };
    expect(
      authorize(deployer, res("get", "", "configmaps", { namespace: "team-a", name: "c" }), s).allowed,
    ).toBe(false);
  });
});

describe("aggregateClusterRoles", () => {
  it("fills admin/edit/view transitively and leaves the input untouched", () => {
    const input = defaultClusterRoles();
    const snapshot = structuredClone(input);
    const out = aggregateClusterRoles(input);
    expect(input).toEqual(snapshot);
    const rules = (name: string) => out.find((r) => r.metadata?.name === name)?.rules ?? [];
    const view = rules("view");
    const edit = rules("edit");
    const admin = rules("admin");
    expect(view.length).toBeGreaterThan(0);
    expect(edit).toEqual(expect.arrayContaining(view));
    expect(admin).toEqual(expect.arrayContaining(edit));
    expect(admin.some((r) => r.resources?.includes("rolebindings"))).toBe(true);
    expect(view.some((r) => r.resources?.includes("secrets"))).toBe(false);
  });

  it("supports matchExpressions selectors", () => {
    const out = aggregateClusterRoles([
      {
        metadata: { name: "agg" },
        aggregationRule: {
          clusterRoleSelectors: [{ matchExpressions: [{ key: "tier", operator: "In", values: ["a", "b"] }] }],
        },
      },
      clusterRole("a", [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }], { tier: "a" }),
      clusterRole("c", [{ apiGroups: [""], resources: ["nodes"], verbs: ["get"] }], { tier: "c" }),
    ]);
    expect(out[0]?.rules).toEqual([{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }]);
  });
});

describe("forbiddenMessage", () => {
  const cases: Array<[string, Subject, Attributes, string]> = [
    [
      "cluster-scoped list",
      deployer,
      res("list", "roster.dev", "users"),
      'users.roster.dev is forbidden: User "system:serviceaccount:team-a:deployer" cannot list resource "users" in API group "roster.dev" at the cluster scope',
    ],
    [
      "namespaced create",
      deployer,
      res("create", "roster.dev", "accessgrants", { namespace: "team-b" }),
      'accessgrants.roster.dev is forbidden: User "system:serviceaccount:team-a:deployer" cannot create resource "accessgrants" in API group "roster.dev" in the namespace "team-b"',
    ],
    [
      "core group with a name",
      alice,
      res("get", "", "secrets", { namespace: "default", name: "db" }),
      'secrets "db" is forbidden: User "alice" cannot get resource "secrets" in API group "" in the namespace "default"',
    ],
    [
      "subresource",
      alice,
      res("patch", "roster.dev", "users", { subresource: "status", name: "u1" }),
      'users.roster.dev "u1" is forbidden: User "alice" cannot patch resource "users/status" in API group "roster.dev" at the cluster scope',
    ],
    [
      "non-resource URL",
      alice,
      { verb: "get", nonResourceURL: "/metrics" },
      'forbidden: User "alice" cannot get path "/metrics"',
    ],
  ];
  it.each(cases)("%s", (_name, subject, attributes, message) => {
    expect(forbiddenMessage(subject, attributes)).toBe(message);
  });

  it("appends the authorizer's reason", () => {
    expect(
      forbiddenMessage(
        alice,
        res("get", "", "pods", { namespace: "x" }),
        'RBAC: role.rbac.authorization.k8s.io "r" not found',
      ),
    ).toBe(
      'pods is forbidden: User "alice" cannot get resource "pods" in API group "" in the namespace "x": RBAC: role.rbac.authorization.k8s.io "r" not found',
    );
  });
});
