// Conversion of unstructured JSON into CEL values typed by the schema, as Kubernetes does:
// integer -> int (bigint), number -> double, date/date-time -> timestamp, duration -> duration,
// int-or-string numbers -> int, unknown (preserved) integers -> int. Property names that are
// not CEL identifiers are escaped (`x-y` -> `x__dash__y`). At a resource root, metadata only
// exposes name and generateName.
import type { JSONSchemaProps } from "../types.js";
import { isObject, additionalSchema } from "../types.js";
import { celDuration } from "./environment.js";

const RESERVED = new Set([
  "true",
  "false",
  "null",
  "in",
  "as",
  "break",
  "const",
  "continue",
  "else",
  "for",
  "function",
  "if",
  "import",
  "let",
  "loop",
  "package",
  "namespace",
  "return",
  "var",
  "void",
  "while",
]);

/** The CEL field name of a property (Kubernetes' escaping rules), or undefined if inexpressible. */
export function escapePropertyName(name: string): string | undefined {
  if (RESERVED.has(name)) return `__${name}__`;
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) return undefined;
  return name
    .replace(/__/g, "__underscores__")
    .replace(/\./g, "__dot__")
    .replace(/-/g, "__dash__")
    .replace(/\//g, "__slash__");
}

function toNumber(value: number, schema: JSONSchemaProps | undefined): unknown {
  const type = schema?.type;
  if (type === "number") return value;
  if (type === "integer" || schema?.["x-kubernetes-int-or-string"] || type === undefined) {
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  return value;
}

function toString(value: string, schema: JSONSchemaProps | undefined): unknown {
  const format = schema?.type === "string" ? schema.format : undefined;
  if (format === "date" || format === "date-time") {
    const parsed = new Date(value);
    return Number.isNaN(parsed.getTime()) ? value : parsed;
  }
  if (format === "duration") return celDuration(value) ?? value;
  return value;
}

function toObject(
  value: Record<string, unknown>,
  schema: JSONSchemaProps | undefined,
  isRoot: boolean,
): unknown {
  const out: Record<string, unknown> = {};
  const additional = additionalSchema(schema);
  const hasProperties = schema?.properties !== undefined && additional === undefined;
  for (const [k, v] of Object.entries(value)) {
    const sub = schema?.properties?.[k] ?? additional;
    const name = hasProperties ? escapePropertyName(k) : k;
    if (name === undefined) continue;
    if (isRoot && k === "metadata" && isObject(v)) {
      out[k] = pickNameFields(v);
      continue;
    }
    out[name] = toCel(v, sub);
  }
  return out;
}

function pickNameFields(meta: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof meta.name === "string") out.name = meta.name;
  if (typeof meta.generateName === "string") out.generateName = meta.generateName;
  return out;
}

/** Converts a JSON value validated by `schema` into the CEL value rules see as `self`. */
export function toCel(value: unknown, schema: JSONSchemaProps | undefined, isRoot = false): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return toNumber(value, schema);
  if (typeof value === "string") return toString(value, schema);
  if (Array.isArray(value)) {
    const items = schema === undefined || Array.isArray(schema.items) ? undefined : schema.items;
    // Array.from builds the list in this realm: arrays made by structuredClone under Jest's vm
    // belong to another realm, and the CEL library recognises lists by their constructor.
    return Array.from(value, (v) => toCel(v, items));
  }
  if (isObject(value)) return toObject(value, schema, isRoot);
  return value;
}
