// Public API of localkube's patch library (pure: no I/O).
export { PatchError, UNSUPPORTED_MEDIA_TYPE_MESSAGE, type StatusCause } from "./errors.js";
export { applyMergePatch } from "./merge-patch.js";
export { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from "./json-patch.js";
export { applyStrategicMergePatch, type KindRef } from "./strategic-merge.js";
export { isStrategicMergeSupported } from "./smp-schema.js";
export {
  serverSideApply,
  type ServerSideApplyInput,
  type ServerSideApplyResult,
} from "./server-side-apply.js";
export {
  decodeManagedFields,
  encodeManagedFields,
  managerName,
  updateManagedFields,
  type ManagedFieldsEntry,
  type Operation,
  type UpdateManagedFieldsInput,
} from "./managed-fields.js";
export {
  applyConflictError,
  applyConflictMessage,
  describeManager,
  type ApplyConflict,
} from "./conflicts.js";
export type { IgnorePath, ListType, ListTypes } from "./field-walk.js";
export { fromFieldsV1, pathString, toFieldsV1, FieldSet, type FieldPath } from "./fieldpath.js";
