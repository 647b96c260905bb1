// Pruning of unknown fields (apiextensions pruning.PruneWithOptions + ObjectMeta coercion +
// PruneNonNullableNullsWithoutDefaults). Mutates the object and reports every dropped path.
import { normalizeSchema } from "./normalize.js";
import type { JSONSchemaProps } from "./types.js";
import { isObject, additionalSchema } from "./types.js";

/** The fields of metav1.ObjectMeta that survive in a stored object's metadata. */
export const OBJECT_META_FIELDS = new Set([
  "name",
  "generateName",
  "namespace",
  "selfLink",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "labels",
  "annotations",
  "ownerReferences",
  "finalizers",
  "managedFields",
]);

const TYPE_META = new Set(["apiVersion", "kind", "metadata"]);

interface PruneState {
  unknown: string[];
}

function join(parent: string, key: string): string {
  return parent === "" ? key : `${parent}.${key}`;
}

function pruneObjectMeta(meta: unknown, path: string, state: PruneState): void {
  if (!isObject(meta)) return;
  for (const k of Object.keys(meta)) {
    if (OBJECT_META_FIELDS.has(k)) continue;
    state.unknown.push(join(path, k));
    delete meta[k];
  }
}

function pruneMap(
  x: Record<string, unknown>,
  s: JSONSchemaProps | undefined,
  path: string,
  state: PruneState,
): void {
  if (s === undefined) {
    for (const k of Object.keys(x)) {
      state.unknown.push(join(path, k));
      delete x[k];
    }
    return;
  }
  const additional = additionalSchema(s);
  for (const [k, v] of Object.entries(x)) {
    if (s["x-kubernetes-embedded-resource"] && TYPE_META.has(k)) {
      if (k === "metadata") pruneObjectMeta(v, join(path, k), state);
      continue;
    }
    const prop = s.properties?.[k];
    if (prop !== undefined) pruneValue(v, prop, join(path, k), state);
    else if (s.additionalProperties !== undefined && s.additionalProperties !== false) {
      pruneValue(v, additional, join(path, k), state);
    } else {
      state.unknown.push(join(path, k));
      delete x[k];
    }
  }
}

/** Under x-kubernetes-preserve-unknown-fields: unknown fields stay, specified ones are pruned. */
function skipPrune(x: unknown, s: JSONSchemaProps, path: string, state: PruneState): void {
  if (Array.isArray(x)) {
    const items = s.items;
    if (items !== undefined && !Array.isArray(items))
      x.forEach((v, i) => skipPrune(v, items, `${path}[${i}]`, state));
    return;
  }
  if (!isObject(x)) return;
  const additional = additionalSchema(s);
  for (const [k, v] of Object.entries(x)) {
    if (s["x-kubernetes-embedded-resource"] && TYPE_META.has(k)) {
      if (k === "metadata") pruneObjectMeta(v, join(path, k), state);
      continue;
    }
    const prop = s.properties?.[k];
    if (prop !== undefined) pruneValue(v, prop, join(path, k), state);
    else if (additional !== undefined) pruneValue(v, additional, join(path, k), state);
  }
}

function pruneValue(x: unknown, s: JSONSchemaProps | undefined, path: string, state: PruneState): void {
  if (s?.["x-kubernetes-preserve-unknown-fields"]) return skipPrune(x, s, path, state);
  if (isObject(x)) return pruneMap(x, s, path, state);
  if (Array.isArray(x)) {
    const items = s === undefined || Array.isArray(s.items) ? undefined : s.items;
    x.forEach((v, i) => pruneValue(v, items, `${path}[${i}]`, state));
  }
}

/** Drops `null` values of non-nullable fields that have no default (they would fail validation). */
function pruneNonNullableNulls(x: unknown, s: JSONSchemaProps | undefined): void {
  if (s === undefined) return;
  if (Array.isArray(x)) {
    const items = s.items;
    if (items !== undefined && !Array.isArray(items)) x.forEach((v) => pruneNonNullableNulls(v, items));
    return;
  }
  if (!isObject(x)) return;
  const additional = additionalSchema(s);
  for (const [k, v] of Object.entries(x)) {
    const sub = s.properties?.[k] ?? additional;
    if (sub === undefined) continue;
    if (v === null && !sub.nullable && sub.default === undefined) delete x[k];
    else pruneNonNullableNulls(v, sub);
  }
}

/**
 * Removes unknown fields from a custom resource, in place, as kube-apiserver does when decoding
 * a request. At the root (and in x-kubernetes-embedded-resource objects) apiVersion, kind and
 * metadata are kept, and metadata keeps only ObjectMeta fields. Fields under
 * x-kubernetes-preserve-unknown-fields are kept. Non-nullable nulls without a default are
 * dropped too (not reported). Returns the dropped paths (`spec.colour`, `spec.list[0].x`,
 * `metadata.foo`) for fieldValidation Strict errors / Warn warnings.
 */
export function prune(schema: JSONSchemaProps | undefined, obj: Record<string, unknown>): string[] {
  const state: PruneState = { unknown: [] };
  if (!isObject(obj)) return state.unknown;
  const s = normalizeSchema(schema);
  const root: JSONSchemaProps = { ...(s ?? {}), "x-kubernetes-embedded-resource": true };
  pruneValue(obj, root, "", state);
  pruneNonNullableNulls(obj, s);
  return state.unknown;
}
