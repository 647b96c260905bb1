/**
 * Top-level fields of the built-in kinds (besides apiVersion, kind, metadata). Anything else
 * is an unknown field: dropped, and reported per fieldValidation like the real decoder does.
 */
const FIELDS: Record<string, string[]> = {
  "/namespaces": ["spec", "status"],
  "/configmaps": ["data", "binaryData", "immutable"],
  "/secrets": ["data", "stringData", "type", "immutable"],
  "/serviceaccounts": ["secrets", "imagePullSecrets", "automountServiceAccountToken"],
  "/events": [
    "involvedObject",
    "reason",
    "message",
    "source",
    "firstTimestamp",
    "lastTimestamp",
    "count",
    "type",
    "eventTime",
    "series",
    "action",
    "related",
    "reportingComponent",
    "reportingInstance",
  ],
  "coordination.k8s.io/leases": ["spec"],
  "rbac.authorization.k8s.io/roles": ["rules"],
  "rbac.authorization.k8s.io/clusterroles": ["rules", "aggregationRule"],
  "rbac.authorization.k8s.io/rolebindings": ["subjects", "roleRef"],
  "rbac.authorization.k8s.io/clusterrolebindings": ["subjects", "roleRef"],
  "apiextensions.k8s.io/customresourcedefinitions": ["spec", "status"],
};

const ALWAYS = new Set(["apiVersion", "kind", "metadata"]);

/** Removes unknown top-level fields of a built-in object in place and returns their names. */
export function pruneBuiltinFields(storeKey: string, obj: Record<string, unknown>): string[] {
  const known = FIELDS[storeKey];
  if (!known) return [];
  const unknown: string[] = [];
  for (const key of Object.keys(obj)) {
    if (ALWAYS.has(key) || known.includes(key)) continue;
    unknown.push(key);
    delete obj[key];
  }
  return unknown;
}
