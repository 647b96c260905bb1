import { z } from "zod";
import { KUBERNETES_EXTENSION_KEYS } from "./extensions.js";
import type { JSONSchemaProps } from "./types.js";

/**
 * Turns a zod schema into a Kubernetes structural schema, by post-processing `z.toJSONSchema()`.
 *
 * zod's JSON Schema (draft 2020-12) is rewritten into the OpenAPI v3 dialect of CRDs: numeric
 * exclusive bounds become boolean flags, `const` becomes a one-value `enum`, zod's own artefacts
 * (safe-integer bounds, the date-time regex, `propertyNames`, `additionalProperties: false`) are
 * dropped, properties are sorted and keys are written in one fixed order so output is stable.
 * Anything a structural schema cannot hold ($ref, unions, tuples, unknown keywords) throws, naming
 * the path: such a zod schema must be rewritten (e.g. "exactly one of" as optional fields plus a
 * CEL rule), never silently approximated.
 */

type JsonNode = Record<string, unknown>;

const TYPES = new Set(["object", "array", "string", "integer", "number", "boolean"]);
/** Keywords copied as they are, in output order. */
const SCALAR_KEYS = [
  "minLength",
  "maxLength",
  "pattern",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "multipleOf",
] as const;
/** Keywords zod emits that carry nothing a CRD can use. */
const IGNORED_KEYS = new Set(["$schema", "propertyNames", "title", "examples", "id"]);
const HANDLED_KEYS = new Set<string>([
  "description",
  "type",
  "format",
  "enum",
  "const",
  "default",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "items",
  "properties",
  "additionalProperties",
  "required",
  ...SCALAR_KEYS,
  ...KUBERNETES_EXTENSION_KEYS,
]);

export class StructuralSchemaError extends Error {
  constructor(path: string, problem: string) {
    super(`${path || "(root)"}: ${problem}`);
    this.name = "StructuralSchemaError";
  }
}

/** The structural schema of a zod schema, as it would appear in a CRD's openAPIV3Schema. */
export function toStructuralSchema(schema: z.ZodType): JSONSchemaProps {
  const json = z.toJSONSchema(schema, {
    io: "input",
    reused: "inline",
    cycles: "throw",
    unrepresentable: "throw",
  });
  return convert(json as JsonNode, "");
}

function convert(node: JsonNode, path: string): JSONSchemaProps {
  for (const key of Object.keys(node)) {
    if (!HANDLED_KEYS.has(key) && !IGNORED_KEYS.has(key)) {
      throw new StructuralSchemaError(path, `keyword "${key}" has no structural equivalent`);
    }
  }
  const out: JSONSchemaProps = {};
  if (typeof node.description === "string") out.description = node.description;
  out.type = convertType(node.type, path);
  if (typeof node.format === "string") out.format = node.format;
  if (node.const !== undefined) out.enum = [node.const];
  if (Array.isArray(node.enum)) out.enum = [...node.enum];
  if (node.default !== undefined) out.default = canonical(node.default);
  convertBounds(node, out);
  for (const key of SCALAR_KEYS) {
    const value = node[key];
    if (key === "pattern" && out.format === "date-time") continue; // zod's regex duplicates the format
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  if (Array.isArray(node.required) && node.required.length > 0)
    out.required = [...(node.required as string[])].sort();
  convertChildren(node, out, path);
  for (const key of KUBERNETES_EXTENSION_KEYS) {
    if (node[key] !== undefined) (out as Record<string, unknown>)[key] = structuredClone(node[key]);
  }
  return out;
}

function convertType(type: unknown, path: string): JSONSchemaProps["type"] {
  if (typeof type !== "string" || !TYPES.has(type)) {
    throw new StructuralSchemaError(path, `needs a single type, got ${JSON.stringify(type)}`);
  }
  return type as JSONSchemaProps["type"];
}

/** Numeric bounds: drop zod's safe-integer defaults, turn 2020-12 exclusive numbers into OpenAPI v3 flags. */
function convertBounds(node: JsonNode, out: JSONSchemaProps): void {
  const minimum =
    typeof node.minimum === "number" && node.minimum !== Number.MIN_SAFE_INTEGER ? node.minimum : undefined;
  const maximum =
    typeof node.maximum === "number" && node.maximum !== Number.MAX_SAFE_INTEGER ? node.maximum : undefined;
  if (typeof node.exclusiveMinimum === "number") {
    out.minimum = node.exclusiveMinimum;
    out.exclusiveMinimum = true;
  } else if (minimum !== undefined) out.minimum = minimum;
  if (typeof node.exclusiveMaximum === "number") {
    out.maximum = node.exclusiveMaximum;
    out.exclusiveMaximum = true;
  } else if (maximum !== undefined) out.maximum = maximum;
}

function convertChildren(node: JsonNode, out: JSONSchemaProps, path: string): void {
  if (node.items !== undefined) {
    if (typeof node.items !== "object" || Array.isArray(node.items)) {
      throw new StructuralSchemaError(path, "tuples have no structural equivalent");
    }
    out.items = convert(node.items as JsonNode, `${path}[]`);
  }
  const properties = node.properties as Record<string, JsonNode> | undefined;
  if (properties !== undefined) {
    out.properties = {};
    for (const name of Object.keys(properties).sort()) {
      out.properties[name] = convert(properties[name] as JsonNode, path ? `${path}.${name}` : name);
    }
  }
  const additional = node.additionalProperties;
  if (additional === undefined || additional === false) return;
  if (additional === true || properties !== undefined) {
    throw new StructuralSchemaError(
      path,
      "additionalProperties must be a schema and cannot sit next to properties",
    );
  }
  out.additionalProperties = convert(additional as JsonNode, `${path}.*`);
}

/** A deep copy with object keys sorted, so defaults and extension values serialise stably. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return Object.fromEntries(entries.map(([key, inner]) => [key, canonical(inner)]));
  }
  return value;
}
