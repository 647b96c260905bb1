// JSON Merge Patch (RFC 7386): objects merge recursively, `null` deletes a key, anything else
// (arrays included) replaces the target value. Returns a new value; inputs are never mutated.
import { badRequest } from "./errors.js";
import { clone, getProp, isObject, setProp, type JsonObject } from "./json-value.js";

function mergeValue(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else setProp(result, key, mergeValue(getProp(result, key), value));
  }
  return result;
}

/**
 * Applies an RFC 7386 merge patch. Like the API server, a patch document that is not a JSON
 * object is rejected with 400 ("Invalid JSON Patch").
 */
export function applyMergePatch<T = JsonObject>(target: unknown, patch: unknown): T {
  if (!isObject(patch)) throw badRequest("Invalid JSON Patch");
  return mergeValue(clone(target), patch) as T;
}
