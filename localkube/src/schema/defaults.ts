// Defaulting (apiextensions structuraldefaulting.Default): a property's default fills it when it
// is missing, or null while not nullable, provided its parent object exists. Defaults are deep
// copies, and are themselves defaulted further down.
import { normalizeSchema } from "./normalize.js";
import type { JSONSchemaProps } from "./types.js";
import { isObject, additionalSchema } from "./types.js";

function clone<T>(value: T): T {
  return structuredClone(value);
}

function isNonNullableNull(value: unknown, s: JSONSchemaProps | undefined): boolean {
  return value === null && s !== undefined && !s.nullable;
}

function defaultMap(x: Record<string, unknown>, s: JSONSchemaProps): void {
  for (const [k, prop] of Object.entries(s.properties ?? {})) {
    if (prop.default === undefined) continue;
    if (!(k in x) || isNonNullableNull(x[k], prop)) x[k] = clone(prop.default);
  }
  const additional = additionalSchema(s);
  for (const [k, v] of Object.entries(x)) {
    const prop = s.properties?.[k];
    if (prop !== undefined) defaultValue(prop, v);
    else if (additional !== undefined) {
      if (isNonNullableNull(v, additional) && additional.default !== undefined)
        x[k] = clone(additional.default);
      else defaultValue(additional, v);
    }
  }
}

/**
 * Applies schema defaults to `obj` in place (request bodies and objects read from storage).
 * The caller runs prune -> applyDefaults -> validate in that order.
 */
export function applyDefaults(schema: JSONSchemaProps | undefined, obj: unknown): void {
  defaultValue(normalizeSchema(schema), obj);
}

function defaultValue(schema: JSONSchemaProps | undefined, obj: unknown): void {
  if (schema === undefined) return;
  if (isObject(obj)) return defaultMap(obj, schema);
  if (!Array.isArray(obj)) return;
  const items = schema.items;
  if (items === undefined || Array.isArray(items)) return;
  obj.forEach((v, i) => {
    if (isNonNullableNull(v, items) && items.default !== undefined) obj[i] = clone(items.default);
    else defaultValue(items, v);
  });
}
