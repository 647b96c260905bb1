// OpenAPI value validation of a custom resource against its schema, following kube-openapi's
// SchemaValidator (the validator kube-apiserver runs for CRs) and apiextensions'
// ConvertToFieldErrors, so every cause carries Kubernetes' exact message.
//
// Paths: the validator names a node `spec.a`, `spec.list[0]`, `spec.map.key` (additionalProperties
// use a dot) and uses that name both in the message (`<name> in body ...`) and as the cause field.
import { conformsToFormat, isSupportedFormat } from "./formats.js";
import { goFloat, goNumber } from "./gofmt.js";
import { childPath, invalid, notSupported, required, tooLong, tooMany, typeInvalid } from "./errors.js";
import type { FieldCause, JSONSchemaProps } from "./types.js";
import { isObject } from "./types.js";

type JsonType = "null" | "boolean" | "string" | "integer" | "number" | "array" | "object";

function jsonTypeOf(data: unknown): JsonType {
  if (data === null || data === undefined) return "null";
  if (typeof data === "boolean") return "boolean";
  if (typeof data === "string") return "string";
  if (typeof data === "number") return Number.isInteger(data) ? "integer" : "number";
  return Array.isArray(data) ? "array" : "object";
}

/** The types a node admits: int-or-string is validated as `integer,string`. */
function schemaTypes(s: JSONSchemaProps): string[] {
  if (s["x-kubernetes-int-or-string"]) return ["integer", "string"];
  return s.type ? [s.type] : [];
}

function fieldOf(name: string): string {
  const trimmed = name.startsWith(".") ? name.slice(1) : name;
  return trimmed === "" ? "<nil>" : trimmed;
}

const patternCache = new Map<string, RegExp | null>();
function compilePattern(pattern: string): RegExp | null {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, "u");
    } catch {
      re = null;
    }
    patternCache.set(pattern, re);
  }
  return re;
}

/** Validates `data` against `schema`; `path` is the node's name ("" at the root). */
export function validateOpenApi(schema: JSONSchemaProps, data: unknown, path = ""): FieldCause[] {
  const out: FieldCause[] = [];
  const types = schemaTypes(schema);
  const format = isSupportedFormat(schema.format) ? schema.format : undefined;
  if (data === null || data === undefined) {
    if (types.length > 0 && !schema.nullable) {
      out.push(
        typeInvalid(fieldOf(path), "null", `${path} in body must be of type ${types.join(",")}: "null"`),
      );
    }
    checkEnum(schema, null, path, out);
    return out;
  }
  checkType(types, format, data, path, out);
  checkComposition(schema, data, path, out);
  if (typeof data === "string") checkString(schema, format, data, path, out);
  if (typeof data === "number") checkNumber(schema, data, path, out);
  if (Array.isArray(data)) checkArray(schema, data, path, out);
  checkEnum(schema, data, path, out);
  if (isObject(data)) checkObject(schema, data, path, out);
  return out;
}

function checkType(
  types: string[],
  format: string | undefined,
  data: unknown,
  path: string,
  out: FieldCause[],
): void {
  if (types.length === 0) return;
  const actual = jsonTypeOf(data);
  const numeric = types.includes("number") || types.includes("integer");
  const isIntFloat = actual === "integer" && types.includes("number");
  const kindIsStringOrSlice = actual === "string" || actual === "array";
  if (format !== undefined && !kindIsStringOrSlice && !(types.includes(actual) || isIntFloat)) {
    const inferred = actual === "integer" ? "int64" : actual === "number" ? "float64" : "";
    out.push(
      typeInvalid(fieldOf(path), inferred, `${path} in body must be of type ${format}: "${inferred}"`),
    );
    return;
  }
  if (!numeric && format !== undefined && kindIsStringOrSlice) return;
  if (!(types.includes(actual) || isIntFloat)) {
    out.push(
      typeInvalid(fieldOf(path), actual, `${path} in body must be of type ${types.join(",")}: "${actual}"`),
    );
  }
}

function checkComposition(schema: JSONSchemaProps, data: unknown, path: string, out: FieldCause[]): void {
  if (schema.anyOf && schema.anyOf.length > 0) {
    const results = schema.anyOf.map((s) => validateOpenApi(s, data, path));
    if (!results.some((r) => r.length === 0)) {
      out.push(invalid(fieldOf(path), "", `${path} must validate at least one schema (anyOf)`));
      out.push(...(results[0] ?? []));
    }
  }
  if (schema.oneOf && schema.oneOf.length > 0) {
    const results = schema.oneOf.map((s) => validateOpenApi(s, data, path));
    const valid = results.filter((r) => r.length === 0).length;
    if (valid !== 1) {
      const extra = valid === 0 ? "Found none valid" : `Found ${valid} valid alternatives`;
      out.push(invalid(fieldOf(path), "", `${path} must validate one and only one schema (oneOf). ${extra}`));
      if (valid === 0) out.push(...(results[0] ?? []));
    }
  }
  if (schema.allOf && schema.allOf.length > 0) {
    const results = schema.allOf.map((s) => validateOpenApi(s, data, path));
    const valid = results.filter((r) => r.length === 0).length;
    for (const r of results) out.push(...r);
    if (valid !== results.length) {
      const extra = valid === 0 ? ". None validated" : "";
      out.push(invalid(fieldOf(path), "", `${path} must validate all the schemas (allOf)${extra}`));
    }
  }
  if (schema.not && validateOpenApi(schema.not, data, path).length === 0) {
    out.push(invalid(fieldOf(path), "", `${path} must not validate the schema (not)`));
  }
}

function checkString(
  schema: JSONSchemaProps,
  format: string | undefined,
  data: string,
  path: string,
  out: FieldCause[],
): void {
  const length = [...data].length;
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    out.push(tooLong(fieldOf(path), schema.maxLength));
  } else if (schema.minLength !== undefined && length < schema.minLength) {
    out.push(
      invalid(fieldOf(path), data, `${path} in body should be at least ${schema.minLength} chars long`),
    );
  } else if (schema.pattern) {
    const re = compilePattern(schema.pattern);
    if (re && !re.test(data)) {
      out.push(invalid(fieldOf(path), data, `${path} in body should match '${schema.pattern}'`));
    }
  }
  if (format !== undefined && !conformsToFormat(format, data)) {
    out.push(typeInvalid(fieldOf(path), data, `${path} in body must be of type ${format}: "${data}"`));
  }
}

/** A bound printed as kube-openapi does: an int64 for integral data and bound, else a float64. */
function bound(value: number, data: number): string {
  return Number.isInteger(data) && Number.isInteger(value) ? goNumber(value) : goFloat(value);
}

function checkNumber(schema: JSONSchemaProps, data: number, path: string, out: FieldCause[]): void {
  const field = fieldOf(path);
  const { multipleOf, minimum, maximum } = schema;
  if (multipleOf !== undefined && multipleOf > 0) {
    const q = data / multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9) {
      out.push(invalid(field, data, `${path} in body should be a multiple of ${bound(multipleOf, data)}`));
    }
  }
  if (minimum !== undefined) {
    const fails = schema.exclusiveMinimum ? data <= minimum : data < minimum;
    const rel = schema.exclusiveMinimum ? "greater than" : "greater than or equal to";
    if (fails) out.push(invalid(field, data, `${path} in body should be ${rel} ${bound(minimum, data)}`));
  }
  if (maximum !== undefined) {
    const fails = schema.exclusiveMaximum ? data >= maximum : data > maximum;
    const rel = schema.exclusiveMaximum ? "less than" : "less than or equal to";
    if (fails) out.push(invalid(field, data, `${path} in body should be ${rel} ${bound(maximum, data)}`));
  }
}

function checkArray(schema: JSONSchemaProps, data: unknown[], path: string, out: FieldCause[]): void {
  const items = schema.items;
  if (items !== undefined && !Array.isArray(items)) {
    data.forEach((item, i) => out.push(...validateOpenApi(items, item, `${path}[${i}]`)));
  }
  if (schema.minItems !== undefined && data.length < schema.minItems) {
    out.push(
      invalid(fieldOf(path), data.length, `${path} in body should have at least ${schema.minItems} items`),
    );
  }
  if (schema.maxItems !== undefined && data.length > schema.maxItems) {
    out.push(tooMany(fieldOf(path), data.length, schema.maxItems));
  }
}

function checkEnum(schema: JSONSchemaProps, data: unknown, path: string, out: FieldCause[]): void {
  if (!schema.enum || schema.enum.length === 0) return;
  if (schema.enum.some((e) => deepEqual(e, data))) return;
  const allowed = schema.enum.map((e) => (typeof e === "string" ? e : JSON.stringify(e)));
  out.push(notSupported(fieldOf(path), data, allowed));
}

function checkObject(
  schema: JSONSchemaProps,
  data: Record<string, unknown>,
  path: string,
  out: FieldCause[],
): void {
  const keys = Object.keys(data);
  if (schema.minProperties !== undefined && keys.length < schema.minProperties) {
    out.push(
      invalid(
        fieldOf(path),
        keys.length,
        `${path} in body should have at least ${schema.minProperties} properties`,
      ),
    );
    return;
  }
  if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) {
    out.push(tooMany(fieldOf(path), keys.length, schema.maxProperties));
    return;
  }
  const props = schema.properties ?? {};
  const additional = schema.additionalProperties;
  if (additional === false) {
    for (const k of keys.filter((k) => !(k in props))) {
      out.push(invalid(fieldOf(path), k, `${path}.${k} in body is a forbidden property`));
    }
  } else if (isObject(additional)) {
    for (const k of keys.filter((k) => !(k in props))) {
      out.push(...validateOpenApi(additional as JSONSchemaProps, data[k], `${path}.${k}`));
    }
  }
  for (const [name, sub] of Object.entries(props)) {
    if (name in data) out.push(...validateOpenApi(sub, data[name], childPath(path, name)));
  }
  for (const k of schema.required ?? []) {
    if (!(k in data)) out.push(required(fieldOf(`${path}.${k}`)));
  }
}

/** Deep equality of JSON values (enum membership). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}
