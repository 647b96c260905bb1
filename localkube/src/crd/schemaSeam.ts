/**
 * The seam to the schema library (localkube/src/schema): everything the server asks of a
 * CRD's OpenAPI schema goes through these functions.
 */
import type { StatusCause } from "../errors.js";
import type { JsonObject, KubeObject } from "../kinds/types.js";
import { applyDefaults, prune, validate, type JSONSchemaProps } from "../schema/index.js";

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export interface AdmitResult {
  /** The pruned and defaulted object. */
  object: KubeObject;
  /** Validation failures (422). */
  causes: StatusCause[];
  /** Dotted paths of fields that pruning removed ("spec.colour"). */
  unknownFields: string[];
}

export interface CustomResourceSchema {
  /** Prune -> default -> validate (incl. CEL with oldSelf when `old` is given). Mutates `object`. */
  admit(object: KubeObject, old: KubeObject | undefined): AdmitResult;
  /** Defaulting applied to stored objects when they are read (never written back). */
  defaultOnRead(object: KubeObject): KubeObject;
}

function hasDefaults(node: unknown): boolean {
  if (node === null || typeof node !== "object") return false;
  if (Array.isArray(node)) return node.some(hasDefaults);
  const record = node as Record<string, unknown>;
  if (record["default"] !== undefined) return true;
  return Object.entries(record).some(([k, v]) => k !== "enum" && k !== "example" && hasDefaults(v));
}

/** Builds the schema handler for one served version of a CRD. */
export function schemaFor(openAPIV3Schema: JsonObject | undefined): CustomResourceSchema {
  const schema = openAPIV3Schema as JSONSchemaProps | undefined;
  const defaults = hasDefaults(schema);
  return {
    admit: (object, old) => {
      const unknownFields = prune(schema, object);
      applyDefaults(schema, object);
      const causes = validate(schema, object, old);
      return { object, causes, unknownFields };
    },
    defaultOnRead: (object) => {
      if (!defaults) return object;
      const copy = structuredClone(object);
      applyDefaults(schema, copy);
      return copy;
    },
  };
}
