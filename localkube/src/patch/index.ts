// Public API of localkube's patch library (pure: no I/O).
export { PatchError, UNSUPPORTED_MEDIA_TYPE_MESSAGE, type StatusCause } from "./errors.js";
export { applyMergePatch } from "./merge-patch.js";
export { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from "./json-patch.js";
export { applyStrategicMergePatch, type KindRef } from "./strategic-merge.js";
export { isStrategicMergeSupported } from "./smp-schema.js";
