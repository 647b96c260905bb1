// Strategic merge patch for the built-in kinds (see smp-schema.ts for the per-kind list strategies).
// Like RFC 7386 (objects merge, null deletes) plus:
//   - lists with patchStrategy=merge: primitives merge as a set, objects merge by their merge key;
//   - `$patch: replace | delete | merge` in a map or as a list item;
//   - `$retainKeys`, `$deleteFromPrimitiveList/<field>`, `$setElementOrder/<field>`.
// Custom resources are refused with 415, as the API server does.
import { PatchError, badRequest, unsupportedMediaType } from "./errors.js";
import {
  clone,
  deepEqual,
  getProp,
  goJsonTypeName,
  isObject,
  setProp,
  type JsonObject,
} from "./json-value.js";
import { isStrategicMergeSupported, listStrategy, type ListStrategy } from "./smp-schema.js";

export interface KindRef {
  group: string;
  kind: string;
}

const PATCH = "$patch";
const RETAIN_KEYS = "$retainKeys";
const DELETE_FROM = "$deleteFromPrimitiveList/";
const SET_ORDER = "$setElementOrder/";

const invalid = (message: string): PatchError => new PatchError(422, "Invalid", message);

interface Ctx {
  kind: KindRef;
}

/** Splits a patch map into its plain fields and its directives. */
function directivesOf(patch: JsonObject): { fields: JsonObject; deletes: JsonObject; orders: JsonObject } {
  const fields: JsonObject = {};
  const deletes: JsonObject = {};
  const orders: JsonObject = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM)) setProp(deletes, key.slice(DELETE_FROM.length), value);
    else if (key.startsWith(SET_ORDER)) setProp(orders, key.slice(SET_ORDER.length), value);
    else if (key !== PATCH && key !== RETAIN_KEYS) setProp(fields, key, value);
  }
  return { fields, deletes, orders };
}

function applyRetainKeys(result: JsonObject, patch: JsonObject): void {
  const retain = patch[RETAIN_KEYS];
  if (retain === undefined) return;
  if (!Array.isArray(retain))
    throw badRequest(`$retainKeys must be a list of field names, got ${goJsonTypeName(retain)}`);
  for (const key of Object.keys(patch)) {
    if (!key.startsWith("$") && !retain.includes(key)) {
      throw invalid("The content of the patch doesn't match the $retainKeys list");
    }
  }
  for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
}

function applyDeletes(result: JsonObject, deletes: JsonObject): void {
  for (const [field, values] of Object.entries(deletes)) {
    const current = getProp(result, field);
    if (!Array.isArray(values) || !Array.isArray(current)) continue;
    setProp(
      result,
      field,
      current.filter((item) => !values.some((v) => deepEqual(v, item))),
    );
  }
}

/**
 * Merges `patch` into `original` (a map at `path`). Returns undefined when the patch says
 * `$patch: delete` for this map, so the caller removes it.
 */
function mergeMap(original: unknown, patch: JsonObject, path: string[], ctx: Ctx): JsonObject | undefined {
  const directive = patch[PATCH];
  if (directive === "delete") return undefined;
  if (directive === "replace") return mergeMap({}, { ...patch, [PATCH]: "merge" }, path, ctx);
  if (directive !== undefined && directive !== "merge")
    throw badRequest(`Unknown patch type: ${String(directive)}`);
  const result: JsonObject = isObject(original) ? { ...original } : {};
  applyRetainKeys(result, patch);
  const { fields, deletes, orders } = directivesOf(patch);
  applyDeletes(result, deletes);
  for (const [key, value] of Object.entries(fields)) {
    const merged = mergeValue(getProp(result, key), value, [...path, key], ctx);
    if (merged === undefined) delete result[key];
    else setProp(result, key, merged);
  }
  for (const [field, order] of Object.entries(orders)) {
    const list = getProp(result, field);
    if (Array.isArray(order) && Array.isArray(list)) {
      setProp(
        result,
        field,
        applyOrder(list, order, listStrategy(ctx.kind.group, ctx.kind.kind, [...path, field])),
      );
    }
  }
  return result;
}

function mergeValue(original: unknown, patch: unknown, path: string[], ctx: Ctx): unknown {
  if (patch === null) return undefined;
  if (isObject(patch)) return mergeMap(original, patch, path, ctx);
  if (Array.isArray(patch)) {
    const strategy = listStrategy(ctx.kind.group, ctx.kind.kind, path);
    if (!strategy) return replaceList(patch, path, ctx);
    return mergeList(Array.isArray(original) ? original : [], patch, strategy, path, ctx);
  }
  return clone(patch);
}

/** An atomic list: the patch value wins; nested maps are cleaned of directives and nulls. */
function replaceList(patch: unknown[], path: string[], ctx: Ctx): unknown[] {
  return patch.map((item) => (isObject(item) ? (mergeMap({}, item, path, ctx) ?? {}) : clone(item)));
}

function mergeList(
  original: unknown[],
  patch: unknown[],
  strategy: ListStrategy,
  path: string[],
  ctx: Ctx,
): unknown[] {
  const replace = patch.some((item) => isObject(item) && item[PATCH] === "replace");
  const items = patch.filter((item) => !(isObject(item) && item[PATCH] === "replace"));
  if (strategy.mergeKey === undefined) {
    const base = replace ? [] : original.map(clone);
    for (const item of items) if (!base.some((existing) => deepEqual(existing, item))) base.push(clone(item));
    return base;
  }
  return mergeObjectList(replace ? [] : original, items, strategy.mergeKey, path, ctx);
}

function mergeObjectList(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
  path: string[],
  ctx: Ctx,
): unknown[] {
  const result = original.map(clone);
  for (const item of patch) {
    if (!isObject(item))
      throw badRequest(`unable to find api field in struct for the list item ${JSON.stringify(item)}`);
    if (!Object.hasOwn(item, mergeKey)) {
      throw invalid(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
    }
    const index = result.findIndex(
      (existing) => isObject(existing) && deepEqual(existing[mergeKey], item[mergeKey]),
    );
    if (item[PATCH] === "delete") {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    const merged = mergeMap(index >= 0 ? result[index] : {}, item, path, ctx);
    if (index >= 0) result[index] = merged;
    else result.push(merged);
  }
  return result;
}

/** `$setElementOrder`: listed items first, in the listed order; any other items keep their relative order after them. */
function applyOrder(list: unknown[], order: unknown[], strategy: ListStrategy | undefined): unknown[] {
  const key = strategy?.mergeKey;
  const matches = (item: unknown, entry: unknown): boolean =>
    key === undefined
      ? deepEqual(item, entry)
      : isObject(item) && isObject(entry) && deepEqual(item[key], entry[key]);
  const ordered: unknown[] = [];
  const used = new Set<number>();
  for (const entry of order) {
    const index = list.findIndex((item, i) => !used.has(i) && matches(item, entry));
    if (index >= 0) {
      used.add(index);
      ordered.push(list[index]);
    }
  }
  return [...ordered, ...list.filter((_, i) => !used.has(i))];
}

/**
 * Applies a strategic merge patch to an object of a built-in kind and returns the new object.
 * Throws PatchError: 415 for kinds without strategic merge support (custom resources), 400 for a
 * malformed patch, 422 for a patch that contradicts itself (merge key missing, $retainKeys).
 */
export function applyStrategicMergePatch<T = JsonObject>(target: unknown, patch: unknown, kind: KindRef): T {
  if (!isStrategicMergeSupported(kind.group, kind.kind)) throw unsupportedMediaType();
  if (!isObject(patch)) {
    throw badRequest(
      `json: cannot unmarshal ${goJsonTypeName(patch)} into Go value of type map[string]interface {}`,
    );
  }
  return (mergeMap(clone(target), patch, [], { kind }) ?? {}) as T;
}
