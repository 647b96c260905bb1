// Request bodies are untrusted JSON: these normalizers turn any value into a well-typed schema /
// CRD view, dropping fields of the wrong JSON type (as if absent), so the library never throws.
import type { CrdVersion, CustomResourceDefinition } from "./crd-types.js";
import type { JSONSchemaProps, ValidationRule } from "./types.js";
import { isObject } from "./types.js";

const STRING_KEYS = ["type", "format", "description", "title", "pattern", "$ref", "$schema", "id"] as const;
const NUMBER_KEYS = [
  "maximum",
  "minimum",
  "multipleOf",
  "maxLength",
  "minLength",
  "maxItems",
  "minItems",
  "maxProperties",
  "minProperties",
] as const;
const BOOLEAN_KEYS = [
  "exclusiveMaximum",
  "exclusiveMinimum",
  "uniqueItems",
  "nullable",
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-embedded-resource",
  "x-kubernetes-int-or-string",
] as const;
const EXTENSION_STRINGS = ["x-kubernetes-list-type", "x-kubernetes-map-type"] as const;

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x) => typeof x === "string") : undefined;

function schemaMap(
  v: unknown,
  seen: WeakMap<object, JSONSchemaProps>,
): Record<string, JSONSchemaProps> | undefined {
  if (!isObject(v)) return undefined;
  return Object.fromEntries(Object.entries(v).map(([k, s]) => [k, toSchema(s, seen)]));
}

function schemaOrBool(
  v: unknown,
  seen: WeakMap<object, JSONSchemaProps>,
): JSONSchemaProps | boolean | undefined {
  return typeof v === "boolean" ? v : isObject(v) ? toSchema(v, seen) : undefined;
}

function rules(v: unknown): ValidationRule[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.map((r) => {
    const o = isObject(r) ? r : {};
    const rule: ValidationRule = { rule: str(o.rule) ?? "" };
    for (const k of ["message", "messageExpression", "fieldPath"] as const)
      if (str(o[k]) !== undefined) rule[k] = str(o[k]);
    if (str(o.reason) !== undefined) rule.reason = str(o.reason) as ValidationRule["reason"];
    if (typeof o.optionalOldSelf === "boolean") rule.optionalOldSelf = o.optionalOldSelf;
    return rule;
  });
}

function toSchema(value: unknown, seen: WeakMap<object, JSONSchemaProps>): JSONSchemaProps {
  if (!isObject(value)) return {};
  const cached = seen.get(value);
  if (cached) return cached;
  const out: Record<string, unknown> = {};
  seen.set(value, out as JSONSchemaProps);
  for (const k of STRING_KEYS) if (typeof value[k] === "string") out[k] = value[k];
  for (const k of NUMBER_KEYS)
    if (typeof value[k] === "number" && Number.isFinite(value[k])) out[k] = value[k];
  for (const k of BOOLEAN_KEYS) if (typeof value[k] === "boolean") out[k] = value[k];
  for (const k of EXTENSION_STRINGS) if (typeof value[k] === "string") out[k] = value[k];
  for (const k of ["default", "example"] as const) if (value[k] !== undefined) out[k] = value[k];
  if (Array.isArray(value.enum)) out.enum = value.enum;
  if (strings(value.required)) out.required = strings(value.required);
  if (strings(value["x-kubernetes-list-map-keys"]))
    out["x-kubernetes-list-map-keys"] = strings(value["x-kubernetes-list-map-keys"]);
  if (rules(value["x-kubernetes-validations"]))
    out["x-kubernetes-validations"] = rules(value["x-kubernetes-validations"]);
  if (Array.isArray(value.items)) out.items = value.items.map((s) => toSchema(s, seen));
  else if (isObject(value.items)) out.items = toSchema(value.items, seen);
  for (const k of ["properties", "patternProperties", "definitions"] as const) {
    const m = schemaMap(value[k], seen);
    if (m) out[k] = m;
  }
  for (const k of ["additionalProperties", "additionalItems"] as const) {
    const s = schemaOrBool(value[k], seen);
    if (s !== undefined) out[k] = s;
  }
  for (const k of ["allOf", "anyOf", "oneOf"] as const) {
    if (Array.isArray(value[k])) out[k] = (value[k] as unknown[]).map((s) => toSchema(s, seen));
  }
  if (isObject(value.not)) out.not = toSchema(value.not, seen);
  if (isObject(value.dependencies)) out.dependencies = value.dependencies;
  if (isObject(value.externalDocs)) out.externalDocs = value.externalDocs;
  return out as JSONSchemaProps;
}

const normalized = new WeakMap<object, JSONSchemaProps>();

/** A well-typed copy of a schema (cached per input object; the input must not be mutated later). */
export function normalizeSchema(schema: unknown): JSONSchemaProps | undefined {
  if (schema === undefined || schema === null) return undefined;
  if (!isObject(schema)) return {};
  let out = normalized.get(schema);
  if (out === undefined) {
    out = toSchema(schema, new WeakMap());
    normalized.set(schema, out);
  }
  return out;
}

function version(v: unknown): CrdVersion {
  const o = isObject(v) ? v : {};
  const out: CrdVersion = {};
  if (typeof o.name === "string") out.name = o.name;
  if (typeof o.served === "boolean") out.served = o.served;
  if (typeof o.storage === "boolean") out.storage = o.storage;
  const schema = isObject(o.schema) ? o.schema.openAPIV3Schema : undefined;
  if (schema !== undefined && schema !== null)
    out.schema = { openAPIV3Schema: normalizeSchema(schema) ?? {} };
  if (Array.isArray(o.additionalPrinterColumns)) {
    out.additionalPrinterColumns = o.additionalPrinterColumns.map((c) => {
      const col = isObject(c) ? c : {};
      return {
        name: str(col.name),
        type: str(col.type),
        format: str(col.format),
        jsonPath: str(col.jsonPath),
      };
    });
  }
  return out;
}

/** A well-typed copy of a CRD with the fields validateCrd reads. */
export function normalizeCrd(value: unknown): CustomResourceDefinition {
  const crd = isObject(value) ? value : {};
  const meta = isObject(crd.metadata) ? crd.metadata : {};
  const spec = isObject(crd.spec) ? crd.spec : {};
  const names = isObject(spec.names) ? spec.names : {};
  const status = isObject(crd.status) ? crd.status : {};
  const conversion = isObject(spec.conversion) ? spec.conversion : undefined;
  return {
    metadata: { name: str(meta.name), generateName: str(meta.generateName) },
    spec: {
      group: str(spec.group),
      scope: str(spec.scope),
      names: {
        plural: str(names.plural),
        singular: str(names.singular),
        kind: str(names.kind),
        listKind: str(names.listKind),
        shortNames: strings(names.shortNames),
        categories: strings(names.categories),
      },
      versions: Array.isArray(spec.versions) ? spec.versions.map(version) : [],
      conversion: conversion && { strategy: str(conversion.strategy), webhook: conversion.webhook },
      preserveUnknownFields:
        typeof spec.preserveUnknownFields === "boolean" ? spec.preserveUnknownFields : undefined,
    },
    status: { storedVersions: strings(status.storedVersions) },
  };
}
