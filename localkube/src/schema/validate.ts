// Validation of a custom resource against its version's schema, in kube-apiserver's order:
// OpenAPI value validation, embedded resources, list-type uniqueness, then (unless a type or
// enum, required or size error already blocks it) CEL x-kubernetes-validations.
import { validateCel } from "./cel/validate-cel.js";
import { validateEmbeddedResources } from "./embedded.js";
import { invalid } from "./errors.js";
import { validateListSetsAndMaps } from "./listtype.js";
import { normalizeSchema } from "./normalize.js";
import { validateOpenApi } from "./openapi-validate.js";
import type { FieldCause, JSONSchemaProps } from "./types.js";
import { additionalSchema, isObject } from "./types.js";

/** Schema errors after which the object lacks the shape CEL rules were written for. */
const BLOCKING = new Set([
  "FieldValueTypeInvalid",
  "FieldValueNotSupported",
  "FieldValueRequired",
  "FieldValueTooLong",
  "FieldValueTooMany",
]);

/**
 * All schema causes for `obj` (a whole custom resource, after prune and defaulting). `oldObj` is
 * the stored object on update: CEL transition rules (those using `oldSelf`) run only where an old
 * value exists at the same path. Causes are in Kubernetes' order; an empty list means valid.
 */
export function validate(
  rawSchema: JSONSchemaProps | undefined,
  obj: unknown,
  oldObj?: unknown,
): FieldCause[] {
  const schema = normalizeSchema(rawSchema);
  if (schema === undefined) return [];
  const causes = validateOpenApi(schema, obj);
  causes.push(...validateEmbeddedResources(schema, obj));
  if (isObject(obj)) causes.push(...validateListSetsAndMaps(schema, obj));
  if (causes.some((c) => BLOCKING.has(c.reason))) {
    if (hasRules(schema)) {
      causes.push(
        invalid(
          "<nil>",
          null,
          "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
        ),
      );
    }
    return causes;
  }
  causes.push(...validateCel(schema, obj, oldObj));
  return causes;
}

/** Whether any node of the schema carries x-kubernetes-validations. */
export function hasRules(schema: JSONSchemaProps | undefined): boolean {
  if (schema === undefined) return false;
  if ((schema["x-kubernetes-validations"] ?? []).length > 0) return true;
  if (!Array.isArray(schema.items) && hasRules(schema.items)) return true;
  if (hasRules(additionalSchema(schema))) return true;
  if ((schema.allOf ?? []).some(hasRules)) return true;
  return Object.values(schema.properties ?? {}).some(hasRules);
}
