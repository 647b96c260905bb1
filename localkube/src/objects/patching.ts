/**
 * The patch seam: turns (original, patch body, content type) into the patched object.
 * Delegates to localkube/src/patch when that library provides a strategy; the small
 * built-in merge/json implementations here are the fallback.
 */
import fastJsonPatch from "fast-json-patch";
import { ApiError, badRequest, unsupportedMediaType } from "../errors.js";
import type { JsonObject, KubeObject, ResourceType } from "../kinds/types.js";

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

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** RFC 6902 JSON patch with Kubernetes' status codes: malformed 400, failed op 422. */
export function jsonPatch(target: KubeObject, ops: unknown): KubeObject {
  if (!Array.isArray(ops))
    throw badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  if (ops.length > 10000)
    throw new ApiError(
      422,
      "RequestEntityTooLarge",
      "The allowed maximum operations in a JSON patch is 10000, got " + ops.length,
    );
  const validationError = fastJsonPatch.validate(ops as fastJsonPatch.Operation[], undefined);
  if (validationError)
    throw badRequest(
      `the server rejected our request due to an error in our request: ${validationError.message.split("\n")[0]}`,
    );
  try {
    return fastJsonPatch.applyPatch(structuredClone(target), ops as fastJsonPatch.Operation[], false, true)
      .newDocument;
  } catch (err) {
    const message = err instanceof Error ? (err.message.split("\n")[0] ?? "") : String(err);
    throw new ApiError(
      422,
      "Invalid",
      `the server rejected our request due to an error in our request: ${message}`,
    );
  }
}

/** Minimal strategic merge: merge patch that drops directives and merges finalizers as a set. */
function strategicFallback(target: KubeObject, patch: unknown): KubeObject {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (!isObject(v)) return v;
    const out: JsonObject = {};
    for (const [k, val] of Object.entries(v)) if (!k.startsWith("$")) out[k] = strip(val);
    return out;
  };
  const merged = mergePatch(target, strip(patch)) as KubeObject;
  const patchMeta = isObject(patch) && isObject(patch["metadata"]) ? patch["metadata"] : undefined;
  if (patchMeta && Array.isArray(patchMeta["finalizers"]))
    merged.metadata.finalizers = [
      ...new Set([...(target.metadata.finalizers ?? []), ...(patchMeta["finalizers"] as string[])]),
    ];
  return merged;
}

export function applyNonApplyPatch(
  rt: ResourceType,
  type: Exclude<PatchType, "apply">,
  original: KubeObject,
  patch: unknown,
): KubeObject {
  switch (type) {
    case "merge":
      if (!isObject(patch))
        throw badRequest("json: cannot unmarshal array into Go value of type map[string]interface {}");
      return mergePatch(original, patch) as KubeObject;
    case "json":
      return jsonPatch(original, patch);
    case "strategic":
      if (!rt.builtin) throw unsupportedMediaType();
      if (!isObject(patch))
        throw badRequest("json: cannot unmarshal array into Go value of type map[string]interface {}");
      return strategicFallback(original, patch);
  }
}
