import { KUBERNETES_EXTENSION_KEYS } from "./extensions.js";
import type { JSONSchemaProps } from "./types.js";

/**
 * Checks that a CRD schema is structural in the sense the Kubernetes API server requires, plus
 * Roster's own house rules. Returns one line per violation, each starting with the path.
 *
 * Kubernetes: every node typed (unless int-or-string or preserve-unknown-fields), no $ref, no
 * uniqueItems, no additionalProperties next to properties, list-map keys that are required or
 * defaulted scalars, set items that are scalars.
 * House rules: no anyOf/oneOf/allOf/not at all (use CEL), and a description on every field.
 */

const ALLOWED_KEYS = new Set<string>([
  "description",
  "type",
  "format",
  "enum",
  "default",
  "nullable",
  "minimum",
  "exclusiveMinimum",
  "maximum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "items",
  "properties",
  "additionalProperties",
  "required",
  ...KUBERNETES_EXTENSION_KEYS,
]);
const SCALARS = new Set(["string", "integer", "number", "boolean"]);

/** Paths exempt from the description rule: the root's metadata stays a bare `type: object`. */
const UNDESCRIBED = new Set(["metadata"]);

export function structuralViolations(schema: JSONSchemaProps): string[] {
  const violations: string[] = [];
  visit(schema, "", true, violations);
  return violations;
}

function visit(node: JSONSchemaProps, path: string, isField: boolean, out: string[]): void {
  const at = path || "(root)";
  for (const key of Object.keys(node)) {
    if (!ALLOWED_KEYS.has(key)) out.push(`${at}: forbidden keyword "${key}"`);
  }
  const untyped =
    node["x-kubernetes-int-or-string"] === true || node["x-kubernetes-preserve-unknown-fields"] === true;
  if (node.type === undefined && !untyped) out.push(`${at}: has no type`);
  if (isField && !UNDESCRIBED.has(path) && !node.description) out.push(`${at}: has no description`);
  if (node.properties !== undefined && node.additionalProperties !== undefined) {
    out.push(`${at}: additionalProperties next to properties`);
  }
  if (node.type === "array" && node.items === undefined) out.push(`${at}: array without items`);
  checkRequired(node, at, out);
  checkListType(node, at, out);
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    visit(child, path ? `${path}.${name}` : name, true, out);
  }
  if (node.items !== undefined) visit(node.items, `${path}[]`, false, out);
  if (node.additionalProperties !== undefined) visit(node.additionalProperties, `${path}.*`, false, out);
}

function checkRequired(node: JSONSchemaProps, at: string, out: string[]): void {
  for (const name of node.required ?? []) {
    if (node.properties?.[name] === undefined) out.push(`${at}: required field "${name}" is not a property`);
  }
}

function checkListType(node: JSONSchemaProps, at: string, out: string[]): void {
  const listType = node["x-kubernetes-list-type"];
  if (listType === undefined) return;
  if (node.type !== "array") {
    out.push(`${at}: x-kubernetes-list-type on a non-array`);
    return;
  }
  const items = node.items;
  if (listType === "set" && items && !SCALARS.has(items.type ?? ""))
    out.push(`${at}: set items must be scalars`);
  if (listType !== "map") return;
  const keys = node["x-kubernetes-list-map-keys"] ?? [];
  if (keys.length === 0) out.push(`${at}: list-type map without x-kubernetes-list-map-keys`);
  for (const key of keys) {
    const property = items?.properties?.[key];
    if (property === undefined || !SCALARS.has(property.type ?? "")) {
      out.push(`${at}: map key "${key}" must be a scalar property of the items`);
    } else if (!(items?.required ?? []).includes(key) && property.default === undefined) {
      out.push(`${at}: map key "${key}" must be required or defaulted`);
    }
  }
}
