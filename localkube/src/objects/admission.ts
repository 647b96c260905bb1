/**
 * Shared admission for writes: metadata pruning, kind hooks, CR schema (prune, default,
 * validate), metadata validation and fieldValidation handling. Throws ApiError on failure.
 */
import { badRequest, invalid, type StatusCause } from "../errors.js";
import type { CustomResourceSchema, FieldValidation } from "../crd/schemaSeam.js";
import { pruneBuiltinFields } from "../kinds/builtinFields.js";
import { kindHook } from "../kinds/hooks.js";
import type { KubeObject, ResourceType } from "../kinds/types.js";
import { OBJECT_META_FIELDS, nameRuleFor, validateObjectMeta } from "./meta.js";

export interface AdmissionInput {
  rt: ResourceType;
  object: KubeObject;
  old: KubeObject | undefined;
  fieldValidation: FieldValidation;
  /** Skips kind hooks (writes through /status). */
  statusOnly: boolean;
  schema: CustomResourceSchema | undefined;
  extraCauses?: StatusCause[];
}

export interface AdmissionResult {
  object: KubeObject;
  warnings: string[];
}

/** ObjectMeta's collections are omitempty: an empty map or list is not stored. */
function dropEmptyCollections(object: KubeObject): void {
  const meta = object.metadata;
  for (const key of ["labels", "annotations", "finalizers", "ownerReferences", "managedFields"]) {
    const v = meta[key];
    if (
      v === null ||
      (Array.isArray(v) && v.length === 0) ||
      (typeof v === "object" && v !== null && Object.keys(v).length === 0)
    )
      delete meta[key];
  }
}

function pruneMetadata(object: KubeObject): string[] {
  dropEmptyCollections(object);
  const unknown: string[] = [];
  for (const key of Object.keys(object.metadata)) {
    if (!OBJECT_META_FIELDS.has(key)) {
      unknown.push(`metadata.${key}`);
      delete object.metadata[key];
    }
  }
  return unknown;
}

function handleUnknownFields(rt: ResourceType, unknown: string[], mode: FieldValidation): string[] {
  if (unknown.length === 0 || mode === "Ignore") return [];
  if (mode === "Strict") {
    const list = unknown.map((f) => `unknown field "${f}"`).join(", ");
    throw badRequest(
      `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${list}`,
    );
  }
  return unknown.map((f) => `unknown field "${f}"`);
}

/** Runs admission on a candidate object (mutated in place, then returned). */
export function admit(input: AdmissionInput): AdmissionResult {
  const { rt, old } = input;
  let object = input.object;
  const unknown = [...pruneMetadata(object), ...pruneBuiltinFields(rt.builtin ? rt.storeKey : "", object)];
  const causes: StatusCause[] = [...(input.extraCauses ?? [])];
  const hook = kindHook(rt.storeKey);
  if (hook && !input.statusOnly) causes.push(...hook(object, old, rt));
  if (input.schema) {
    const result = input.schema.admit(object, old);
    object = result.object;
    unknown.push(...result.unknownFields);
    causes.push(...result.causes);
  }
  const warnings = handleUnknownFields(rt, unknown, input.fieldValidation);
  if (!input.statusOnly) causes.push(...validateObjectMeta(object.metadata, nameRuleFor(rt.storeKey)));
  if (causes.length > 0) throw invalid(rt.group, rt.kind, object.metadata.name ?? "", causes);
  return { object, warnings };
}
