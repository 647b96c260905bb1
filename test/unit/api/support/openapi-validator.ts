import { evaluate } from "@marcbachmann/cel-js";
import type { JSONSchemaProps } from "../../../../operator/src/api/crd/types.js";

/**
 * A small test-side validator of objects against a CRD's openAPIV3Schema, standing in for the
 * API server in unit tests: types, enums, required fields, unknown fields (as kubectl's strict
 * field validation reports them), string/number/list bounds, patterns, date-times, set and map
 * list uniqueness, and the CEL `x-kubernetes-validations` rules (evaluated with cel-js using
 * Kubernetes' type mapping: integers as int, date-time strings as timestamps). Transition rules
 * (those using oldSelf) are not evaluated here. Errors are "path: message" lines.
 */

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
const show = (value: unknown): string => JSON.stringify(value);

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeMatches(type: string, value: unknown): boolean {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

/** Validates a whole object: the API server's own metadata checks, then the schema. */
export function validateObject(
  object: Record<string, unknown>,
  schema: JSONSchemaProps,
  namespaced: boolean,
): string[] {
  return [...validateMetadata(object.metadata, namespaced), ...validateNode(object, schema, "")];
}

/** The metadata checks the API server makes for every custom resource. */
export function validateMetadata(metadata: unknown, namespaced: boolean): string[] {
  if (typeOf(metadata) !== "object") return ["metadata: Required value"];
  const meta = metadata as Record<string, unknown>;
  const errors: string[] = [];
  const name = meta.name;
  if (typeof name !== "string" || name.length === 0)
    errors.push("metadata.name: Required value: name is required");
  else if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    errors.push(
      `metadata.name: Invalid value: ${show(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`,
    );
  }
  const namespace = meta.namespace;
  if (
    namespace !== undefined &&
    namespaced &&
    (typeof namespace !== "string" || !DNS1123_LABEL.test(namespace))
  ) {
    errors.push(
      `metadata.namespace: Invalid value: ${show(namespace)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`,
    );
  }
  return errors;
}

export function validateNode(value: unknown, schema: JSONSchemaProps, path: string): string[] {
  const at = path || "(root)";
  if (schema.type !== undefined && !typeMatches(schema.type, value)) {
    return [
      `${at}: Invalid value: ${show(typeOf(value))}: ${at} in body must be of type ${schema.type}: ${show(typeOf(value))}`,
    ];
  }
  const errors: string[] = [];
  if (schema.enum !== undefined && !schema.enum.some((allowed) => allowed === value)) {
    errors.push(
      `${at}: Unsupported value: ${show(value)}: supported values: ${schema.enum.map(show).join(", ")}`,
    );
  }
  if (typeof value === "string") errors.push(...checkString(value, schema, at));
  if (typeof value === "number") errors.push(...checkNumber(value, schema, at));
  if (Array.isArray(value)) errors.push(...checkArray(value, schema, path));
  if (typeOf(value) === "object") errors.push(...checkObject(value as Record<string, unknown>, schema, path));
  if (errors.length === 0) errors.push(...checkRules(value, schema, path));
  return errors;
}

function checkString(value: string, schema: JSONSchemaProps, at: string): string[] {
  const errors: string[] = [];
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    errors.push(
      `${at}: Invalid value: ${show(value)}: ${at} in body should be at least ${schema.minLength} chars long`,
    );
  }
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    errors.push(`${at}: Too long: may not be more than ${schema.maxLength} bytes`);
  }
  if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
    errors.push(`${at}: Invalid value: ${show(value)}: ${at} in body should match '${schema.pattern}'`);
  }
  if (schema.format === "date-time" && (!RFC3339.test(value) || Number.isNaN(Date.parse(value)))) {
    errors.push(
      `${at}: Invalid value: ${show(value)}: ${at} in body must be of type date-time: ${show(value)}`,
    );
  }
  return errors;
}

function checkNumber(value: number, schema: JSONSchemaProps, at: string): string[] {
  const errors: string[] = [];
  if (
    schema.minimum !== undefined &&
    (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)
  ) {
    errors.push(
      `${at}: Invalid value: ${value}: ${at} in body should be greater than or equal to ${schema.minimum}`,
    );
  }
  if (
    schema.maximum !== undefined &&
    (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum)
  ) {
    errors.push(
      `${at}: Invalid value: ${value}: ${at} in body should be less than or equal to ${schema.maximum}`,
    );
  }
  return errors;
}

function checkArray(value: unknown[], schema: JSONSchemaProps, path: string): string[] {
  const at = path || "(root)";
  const errors: string[] = [];
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    errors.push(
      `${at}: Invalid value: ${value.length}: ${at} in body should have at least ${schema.minItems} items`,
    );
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    errors.push(`${at}: Too many: ${value.length}: must have at most ${schema.maxItems} items`);
  }
  const items = schema.items;
  if (items !== undefined)
    value.forEach((item, index) => errors.push(...validateNode(item, items, `${path}[${index}]`)));
  const identity = listIdentity(schema);
  if (identity !== undefined) {
    const seen = new Set<string>();
    value.forEach((item, index) => {
      const key = identity(item);
      if (seen.has(key)) errors.push(`${path}[${index}]: Duplicate value: ${key}`);
      seen.add(key);
    });
  }
  return errors;
}

function listIdentity(schema: JSONSchemaProps): ((item: unknown) => string) | undefined {
  const listType = schema["x-kubernetes-list-type"];
  if (listType === "set") return (item) => show(item);
  if (listType !== "map") return undefined;
  const keys = schema["x-kubernetes-list-map-keys"] ?? [];
  return (item) => show(keys.map((key) => (item as Record<string, unknown>)[key]));
}

function checkObject(value: Record<string, unknown>, schema: JSONSchemaProps, path: string): string[] {
  const errors: string[] = [];
  for (const name of schema.required ?? []) {
    if (value[name] === undefined) errors.push(`${join(path, name)}: Required value`);
  }
  const freeForm = schema.properties === undefined && schema.additionalProperties === undefined;
  for (const [name, child] of Object.entries(value)) {
    const childSchema = schema.properties?.[name] ?? schema.additionalProperties;
    if (childSchema !== undefined) errors.push(...validateNode(child, childSchema, join(path, name)));
    else if (!freeForm && !schema["x-kubernetes-preserve-unknown-fields"])
      errors.push(`${join(path, name)}: unknown field`);
  }
  return errors;
}

function checkRules(value: unknown, schema: JSONSchemaProps, path: string): string[] {
  const errors: string[] = [];
  for (const rule of schema["x-kubernetes-validations"] ?? []) {
    if (/\boldSelf\b/.test(rule.rule)) continue;
    const at = `${path}${rule.fieldPath ?? ""}` || "(root)";
    let result: unknown;
    try {
      result = evaluate(rule.rule, { self: toCel(value, schema) });
    } catch (error) {
      errors.push(`${at}: rule ${show(rule.rule)} failed to evaluate: ${(error as Error).message}`);
      continue;
    }
    if (result !== true) errors.push(`${at}: Invalid value: "object": ${rule.message}`);
  }
  return errors;
}

/** A JSON value as CEL sees it under Kubernetes' type mapping. */
export function toCel(value: unknown, schema: JSONSchemaProps | undefined): unknown {
  if (schema === undefined) return value;
  if (typeof value === "number" && schema.type === "integer") return BigInt(value);
  if (typeof value === "string" && schema.format === "date-time") return new Date(value);
  if (Array.isArray(value)) return value.map((item) => toCel(item, schema.items));
  if (typeOf(value) === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    return Object.fromEntries(
      entries.map(([key, inner]) => [
        key,
        toCel(inner, schema.properties?.[key] ?? schema.additionalProperties),
      ]),
    );
  }
  return value;
}
