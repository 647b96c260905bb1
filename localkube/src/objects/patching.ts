/**
 * The patch seam: turns (original, patch body, content type) into the patched object using
 * the patch library (localkube/src/patch), and maps its errors to Status errors.
 */
import { ApiError, badRequest, unsupportedMediaType } from "../errors.js";
import type { KubeObject, ResourceType } from "../kinds/types.js";
import { PatchError, applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from "../patch/index.js";

export type PatchType = "merge" | "json" | "strategic" | "apply";

export function patchTypeOf(contentType: string | undefined): PatchType {
  const ct = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  switch (ct) {
    case "application/merge-patch+json":
      return "merge";
    case "application/json-patch+json":
      return "json";
    case "application/strategic-merge-patch+json":
      return "strategic";
    case "application/apply-patch+yaml":
    case "application/apply-patch+cbor":
      return "apply";
    default:
      throw unsupportedMediaType();
  }
}

/** Re-throws a PatchError as the equivalent ApiError. */
export function asApiError(err: unknown): unknown {
  if (!(err instanceof PatchError)) return err;
  return new ApiError(err.code, err.reason, err.message, err.causes.length > 0 ? { causes: err.causes } : {});
}

function run(fn: () => unknown): KubeObject {
  let result: unknown;
  try {
    result = fn();
  } catch (err) {
    throw asApiError(err);
  }
  if (result === null || typeof result !== "object" || Array.isArray(result))
    throw badRequest("the patch produced something other than an object");
  const obj = result as KubeObject;
  if (!obj.metadata || typeof obj.metadata !== "object" || Array.isArray(obj.metadata)) obj.metadata = {};
  return obj;
}

export function applyNonApplyPatch(
  rt: ResourceType,
  type: Exclude<PatchType, "apply">,
  original: KubeObject,
  patch: unknown,
): KubeObject {
  switch (type) {
    case "merge":
      return run(() => applyMergePatch(original, patch));
    case "json":
      return run(() => applyJsonPatch(original, patch));
    case "strategic":
      if (!rt.builtin) throw unsupportedMediaType();
      return run(() => applyStrategicMergePatch(original, patch, { group: rt.group, kind: rt.kind }));
  }
}
