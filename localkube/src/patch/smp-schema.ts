// Patch strategies of the built-in kinds this server serves, taken from the `patchStrategy` /
// `patchMergeKey` struct tags of k8s.io/api. A list without an entry is replaced as a whole
// (for example ClusterRole `rules`, RoleBinding `subjects`, CRD `spec.versions`).

/** How strategic merge treats one list field. Lists not listed here are atomic (replaced). */
export interface ListStrategy {
  /** Objects are merged by this key; absent for lists of primitives, which merge as a set. */
  mergeKey?: string;
}

/** Paths are dotted field names from the object root; list items add no segment. */
type StrategyTable = Record<string, ListStrategy>;

const OBJECT_META: StrategyTable = {
  "metadata.finalizers": {},
  "metadata.ownerReferences": { mergeKey: "uid" },
};

const KIND_TABLES: Record<string, StrategyTable> = {
  "/Namespace": { "status.conditions": { mergeKey: "type" } },
  "/ConfigMap": {},
  "/Secret": {},
  "/ServiceAccount": { secrets: { mergeKey: "name" } },
  "/Event": {},
  "events.k8s.io/Event": {},
  "coordination.k8s.io/Lease": {},
  "rbac.authorization.k8s.io/Role": {},
  "rbac.authorization.k8s.io/ClusterRole": {},
  "rbac.authorization.k8s.io/RoleBinding": {},
  "rbac.authorization.k8s.io/ClusterRoleBinding": {},
  "apiextensions.k8s.io/CustomResourceDefinition": {},
};

const tableKey = (group: string, kind: string): string => `${group}/${kind}`;

/** True for the built-in kinds that accept strategic-merge-patch (custom resources get 415). */
export function isStrategicMergeSupported(group: string, kind: string): boolean {
  return Object.hasOwn(KIND_TABLES, tableKey(group, kind));
}

/** The list strategy at `path` of a kind, or undefined when that list is replaced atomically. */
export function listStrategy(group: string, kind: string, path: string[]): ListStrategy | undefined {
  const dotted = path.join(".");
  if (Object.hasOwn(OBJECT_META, dotted)) return OBJECT_META[dotted];
  const table = KIND_TABLES[tableKey(group, kind)];
  return table && Object.hasOwn(table, dotted) ? table[dotted] : undefined;
}
