/**
 * The Kubernetes extensions of OpenAPI that a Roster schema can carry, as zod metadata.
 *
 * zod copies every key of a schema's metadata into `z.toJSONSchema()` output, so a schema gets a
 * Kubernetes extension by spreading one of these helpers into its `.meta({...})`:
 *
 *   z.array(Condition).meta({ description: "...", ...listMap(["type"]) })
 *
 * The CRD builder keeps exactly these keys (and rejects any other unknown key), so this file is
 * the complete list of extensions Roster uses.
 */

/** One `x-kubernetes-validations` rule, evaluated by the API server with CEL. */
export interface ValidationRule {
  /** CEL expression; `self` is the value of the schema node, `oldSelf` its previous value. */
  rule: string;
  /** Sentence shown when the rule fails. */
  message: string;
  /** JSONPath (relative to `self`) of the field the error is reported on, e.g. ".endDate". */
  fieldPath?: string;
  /** The error type: FieldValueInvalid (default), FieldValueForbidden, FieldValueRequired... */
  reason?: "FieldValueInvalid" | "FieldValueForbidden" | "FieldValueRequired" | "FieldValueDuplicate";
}

/** The extension keys the CRD builder accepts from zod metadata. */
export const KUBERNETES_EXTENSION_KEYS = [
  "x-kubernetes-validations",
  "x-kubernetes-list-type",
  "x-kubernetes-list-map-keys",
  "x-kubernetes-int-or-string",
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-map-type",
] as const;

export type KubernetesExtensionKey = (typeof KUBERNETES_EXTENSION_KEYS)[number];

/** CEL validation rules attached to a node. */
export function celRules(...rules: ValidationRule[]): { "x-kubernetes-validations": ValidationRule[] } {
  return { "x-kubernetes-validations": rules };
}

/** A transition rule that refuses any change to a field once it is set. */
export function immutable(fieldName: string): { "x-kubernetes-validations": ValidationRule[] } {
  return celRules({ rule: "self == oldSelf", message: `${fieldName} is immutable` });
}

/** A list whose items are objects identified by the given keys (merged item by item by SSA). */
export function listMapType(keys: readonly string[]): {
  "x-kubernetes-list-type": "map";
  "x-kubernetes-list-map-keys": string[];
} {
  return { "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": [...keys] };
}

/** A list of unique scalars (the API server rejects duplicates). */
export function listSetType(): { "x-kubernetes-list-type": "set" } {
  return { "x-kubernetes-list-type": "set" };
}

/** A value that may be an integer or a string (like a port name or a percentage). */
export function intOrString(): { "x-kubernetes-int-or-string": true } {
  return { "x-kubernetes-int-or-string": true };
}

/** An object whose unknown fields are kept instead of pruned. */
export function preserveUnknownFields(): { "x-kubernetes-preserve-unknown-fields": true } {
  return { "x-kubernetes-preserve-unknown-fields": true };
}
