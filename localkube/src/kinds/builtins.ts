/** The compiled-in kinds this server serves, with their discovery names and table columns. */
import type { PrinterColumn, ResourceType } from "./types.js";

interface BuiltinSpec {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
  status?: boolean;
  requireResourceVersion?: boolean;
  selectableFields?: string[];
  storeKey?: string;
  columns?: PrinterColumn[];
  generation?: boolean;
  review?: boolean;
}

const age: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };
const EVENT_FIELDS = [
  "involvedObject.kind",
  "involvedObject.namespace",
  "involvedObject.name",
  "involvedObject.uid",
  "involvedObject.apiVersion",
  "involvedObject.resourceVersion",
  "involvedObject.fieldPath",
  "reason",
  "reportingComponent",
  "source",
  "type",
];

const SPECS: BuiltinSpec[] = [
  {
    group: "",
    version: "v1",
    kind: "Namespace",
    plural: "namespaces",
    namespaced: false,
    shortNames: ["ns"],
    status: true,
    selectableFields: ["status.phase"],
    columns: [{ name: "Status", type: "string", jsonPath: ".status.phase" }, age],
  },
  {
    group: "",
    version: "v1",
    kind: "ConfigMap",
    plural: "configmaps",
    namespaced: true,
    shortNames: ["cm"],
    columns: [{ name: "Data", type: "integer", jsonPath: "#data-count" }, age],
  },
  {
    group: "",
    version: "v1",
    kind: "Secret",
    plural: "secrets",
    namespaced: true,
    selectableFields: ["type"],
    columns: [
      { name: "Type", type: "string", jsonPath: ".type" },
      { name: "Data", type: "integer", jsonPath: "#data-count" },
      age,
    ],
  },
  {
    group: "",
    version: "v1",
    kind: "ServiceAccount",
    plural: "serviceaccounts",
    namespaced: true,
    shortNames: ["sa"],
    columns: [{ name: "Secrets", type: "integer", jsonPath: "#secrets-count" }, age],
  },
  {
    group: "",
    version: "v1",
    kind: "Event",
    plural: "events",
    namespaced: true,
    shortNames: ["ev"],
    selectableFields: EVENT_FIELDS,
    storeKey: "/events",
    columns: [
      { name: "Last Seen", type: "string", jsonPath: "#event-last-seen" },
      { name: "Type", type: "string", jsonPath: ".type" },
      { name: "Reason", type: "string", jsonPath: ".reason" },
      { name: "Object", type: "string", jsonPath: "#event-object" },
      { name: "Message", type: "string", jsonPath: ".message" },
      { name: "Name", type: "string", jsonPath: "#name", priority: 1 },
    ],
  },
  {
    group: "events.k8s.io",
    version: "v1",
    kind: "Event",
    plural: "events",
    namespaced: true,
    shortNames: ["ev"],
    selectableFields: EVENT_FIELDS,
    storeKey: "/events",
  },
  {
    group: "coordination.k8s.io",
    version: "v1",
    kind: "Lease",
    plural: "leases",
    namespaced: true,
    requireResourceVersion: true,
    columns: [{ name: "Holder", type: "string", jsonPath: ".spec.holderIdentity" }, age],
  },
  {
    group: "authentication.k8s.io",
    version: "v1",
    kind: "SelfSubjectReview",
    plural: "selfsubjectreviews",
    namespaced: false,
    review: true,
  },
  {
    group: "authorization.k8s.io",
    version: "v1",
    kind: "SelfSubjectAccessReview",
    plural: "selfsubjectaccessreviews",
    namespaced: false,
    review: true,
  },
  rbac("Role", "roles", true),
  rbac("ClusterRole", "clusterroles", false),
  rbac("RoleBinding", "rolebindings", true),
  rbac("ClusterRoleBinding", "clusterrolebindings", false),
  {
    group: "apiextensions.k8s.io",
    version: "v1",
    kind: "CustomResourceDefinition",
    plural: "customresourcedefinitions",
    namespaced: false,
    shortNames: ["crd", "crds"],
    status: true,
    requireResourceVersion: true,
    generation: true,
    columns: [{ name: "Created At", type: "date", jsonPath: ".metadata.creationTimestamp" }],
  },
];

function rbac(kind: string, plural: string, namespaced: boolean): BuiltinSpec {
  return {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind,
    plural,
    namespaced,
    columns: kind.endsWith("Binding")
      ? [
          { name: "Role", type: "string", jsonPath: "#binding-role" },
          age,
          { name: "Users", type: "string", jsonPath: "#binding-users", priority: 1 },
          { name: "Groups", type: "string", jsonPath: "#binding-groups", priority: 1 },
          { name: "ServiceAccounts", type: "string", jsonPath: "#binding-sas", priority: 1 },
        ]
      : [{ name: "Created At", type: "date", jsonPath: ".metadata.creationTimestamp" }],
  };
}

function toResourceType(spec: BuiltinSpec): ResourceType {
  return {
    group: spec.group,
    version: spec.version,
    kind: spec.kind,
    plural: spec.plural,
    singular: spec.kind.toLowerCase(),
    listKind: `${spec.kind}List`,
    namespaced: spec.namespaced,
    shortNames: spec.shortNames ?? [],
    categories: [],
    statusSubresource: spec.status ?? false,
    builtin: true,
    requireResourceVersion: spec.requireResourceVersion ?? false,
    generation: spec.generation ?? false,
    selectableFields: spec.selectableFields ?? [],
    storeKey: spec.storeKey ?? `${spec.group}/${spec.plural}`,
    printerColumns: spec.columns ?? [age],
    ...(spec.review ? { review: true } : {}),
  };
}

export function builtinResourceTypes(): ResourceType[] {
  return SPECS.map(toResourceType);
}
