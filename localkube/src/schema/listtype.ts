// x-kubernetes-list-type set/map uniqueness (apiextensions listtype.ValidateListSetsAndMaps):
// the second appearance of a value (set) or key (map) is a `Duplicate value` cause.
import { childPath, duplicate, indexPath, invalid } from "./errors.js";
import type { FieldCause, JSONSchemaProps } from "./types.js";
import { additionalSchema, isObject } from "./types.js";

/** Canonical text of a JSON value for set membership (object keys sorted). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  }
  return value === undefined ? "<unspecified>" : JSON.stringify(value);
}

/** Indices of the first repeated appearance of each non-unique value. */
function nonUniqueIndices(values: unknown[]): number[] {
  const seen = new Map<string, number>();
  const out: number[] = [];
  values.forEach((v, i) => {
    const key = canonical(v);
    const times = seen.get(key) ?? 0;
    seen.set(key, times + 1);
    if (times === 1) out.push(i);
  });
  return out;
}

function validateListMap(path: string, schema: JSONSchemaProps, list: unknown[]): FieldCause[] {
  for (const [i, x] of list.entries()) {
    if (x !== null && !isObject(x))
      return [invalid(indexPath(path, i), x, "must be an object for an array of list-type map")];
  }
  const keyFields = schema["x-kubernetes-list-map-keys"] ?? [];
  const keys = list.map((x) => {
    const key: Record<string, unknown> = {};
    if (isObject(x)) for (const f of keyFields) if (f in x) key[f] = x[f];
    return key;
  });
  return nonUniqueIndices(keys).map((i) => duplicate(indexPath(path, i), keys[i]));
}

function validateArray(path: string, schema: JSONSchemaProps, list: unknown[]): FieldCause[] {
  const out: FieldCause[] = [];
  const listType = schema["x-kubernetes-list-type"];
  if (listType === "set")
    out.push(...nonUniqueIndices(list).map((i) => duplicate(indexPath(path, i), list[i])));
  if (listType === "map") out.push(...validateListMap(path, schema, list));
  const items = schema.items;
  if (items !== undefined && !Array.isArray(items)) {
    list.forEach((item, i) => out.push(...validateValue(indexPath(path, i), items, item)));
  }
  return out;
}

function validateValue(path: string, schema: JSONSchemaProps, value: unknown): FieldCause[] {
  if (Array.isArray(value)) return validateArray(path, schema, value);
  if (isObject(value)) return validateListSetsAndMaps(schema, value, path);
  return [];
}

/** Uniqueness causes for every set/map list below `obj` (an object validated by `schema`). */
export function validateListSetsAndMaps(
  schema: JSONSchemaProps,
  obj: Record<string, unknown>,
  path = "",
): FieldCause[] {
  const out: FieldCause[] = [];
  const additional = additionalSchema(schema);
  for (const [k, v] of Object.entries(obj)) {
    const sub = schema.properties?.[k];
    if (sub !== undefined) out.push(...validateValue(childPath(path, k), sub, v));
    else if (additional) out.push(...validateValue(indexPath(path, k), additional, v));
  }
  return out;
}
