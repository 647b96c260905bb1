// Structural-schema checks of a CRD version's openAPIV3Schema (apiextensions
// ValidateCustomResourceDefinitionOpenAPISchema + schema.ValidateStructural), with Kubernetes'
// messages. Paths use field.Path notation: `...openAPIV3Schema.properties[spec].type`.
import { compileRuleCauses } from "./rules.js";
import { childPath, forbidden, indexPath, invalid, notSupported, required } from "./errors.js";
import { checkListAndMapTypes } from "./structural-lists.js";
import { checkNestedValueValidation, checkPattern } from "./structural-nested.js";
import { normalizeSchema } from "./normalize.js";
import { validateOpenApi } from "./openapi-validate.js";
import type { FieldCause, JSONSchemaProps } from "./types.js";
import { additionalSchema, isObject, itemsSchema } from "./types.js";

const OPENAPI_TYPES = ["array", "boolean", "integer", "number", "object", "string"];

type Level = "root" | "item" | "field";

/** Checks that apply to every node, also inside allOf/anyOf/oneOf/not (specStandardValidatorV3). */
function checkSpecStandard(s: JSONSchemaProps, path: string, out: FieldCause[]): void {
  if (s.type && s.type !== "null" && !OPENAPI_TYPES.includes(s.type)) {
    out.push(notSupported(childPath(path, "type"), s.type, OPENAPI_TYPES));
  }
  if (s.id) out.push(forbidden(childPath(path, "id"), "id is not supported"));
  if (s.additionalItems !== undefined)
    out.push(forbidden(childPath(path, "additionalItems"), "additionalItems is not supported"));
  if (s.patternProperties && Object.keys(s.patternProperties).length > 0) {
    out.push(forbidden(childPath(path, "patternProperties"), "patternProperties is not supported"));
  }
  if (s.definitions && Object.keys(s.definitions).length > 0) {
    out.push(forbidden(childPath(path, "definitions"), "definitions is not supported"));
  }
  if (s.dependencies !== undefined)
    out.push(forbidden(childPath(path, "dependencies"), "dependencies is not supported"));
  if (s.$ref !== undefined) out.push(forbidden(childPath(path, "$ref"), "$ref is not supported"));
  if (s.type === "null") {
    out.push(
      forbidden(childPath(path, "type"), "type cannot be set to null, use nullable as an alternative"),
    );
  }
  if (Array.isArray(s.items)) {
    out.push(forbidden(childPath(path, "items"), "items must be a schema object and not an array"));
  }
  if (s.uniqueItems) {
    out.push(
      forbidden(
        childPath(path, "uniqueItems"),
        "uniqueItems cannot be set to true since the runtime complexity becomes quadratic",
      ),
    );
  }
  const props = Object.keys(s.properties ?? {});
  if (s.additionalProperties !== undefined && props.length > 0 && s.additionalProperties !== true) {
    out.push(
      forbidden(
        childPath(path, "additionalProperties"),
        "additionalProperties and properties are mutual exclusive",
      ),
    );
  }
}

/** Where a walk is: the resource root, or below a non-map list (old values do not correlate). */
interface WalkContext {
  isRoot?: boolean;
  uncorrelatable?: string;
}

/** Recurses the OpenAPI-level checks through every sub-schema. */
function checkOpenApiSchema(
  s: JSONSchemaProps | undefined,
  path: string,
  out: FieldCause[],
  ctx: WalkContext = {},
): void {
  if (s === undefined) return;
  checkSpecStandard(s, path, out);
  checkListAndMapTypes(s, path, out);
  out.push(...compileRuleCauses(s, path, ctx));
  checkDefault(s, path, out);
  const nested: WalkContext = { uncorrelatable: ctx.uncorrelatable };
  const additional = additionalSchema(s);
  if (additional) checkOpenApiSchema(additional, childPath(path, "additionalProperties"), out, nested);
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    checkOpenApiSchema(v, indexPath(childPath(path, "properties"), k), out, nested);
  }
  const items = itemsSchema(s);
  if (items) {
    const correlatable = s["x-kubernetes-list-type"] === "map";
    const itemCtx = { uncorrelatable: ctx.uncorrelatable ?? (correlatable ? undefined : path) };
    checkOpenApiSchema(items, childPath(path, "items"), out, itemCtx);
  }
  checkOpenApiSchema(s.not, childPath(path, "not"), out, nested);
  for (const key of ["allOf", "oneOf", "anyOf"] as const) {
    (s[key] ?? []).forEach((sub, i) =>
      checkOpenApiSchema(sub, indexPath(childPath(path, key), i), out, nested),
    );
  }
}

/** A default must itself be valid against its node's schema. */
function checkDefault(s: JSONSchemaProps, path: string, out: FieldCause[]): void {
  if (s.default === undefined) return;
  const base = childPath(path, "default");
  for (const c of validateOpenApi({ ...s, default: undefined }, s.default)) {
    out.push({ ...c, field: c.field === "<nil>" ? base : `${base}.${c.field}` });
  }
}

function checkTypeNotEmpty(s: JSONSchemaProps, level: Level, path: string, out: FieldCause[]): void {
  const embedded = s["x-kubernetes-embedded-resource"];
  if (embedded && s.type !== "object") {
    const detail = "must be object if x-kubernetes-embedded-resource is true";
    out.push(
      s.type ? invalid(childPath(path, "type"), s.type, detail) : required(childPath(path, "type"), detail),
    );
  } else if (!s.type && !s["x-kubernetes-int-or-string"] && !s["x-kubernetes-preserve-unknown-fields"]) {
    const where = {
      root: "at the root",
      item: "for specified array items",
      field: "for specified object fields",
    }[level];
    out.push(required(childPath(path, "type"), `must not be empty ${where}`));
  }
  if (level === "root" && s.type && s.type !== "object")
    out.push(invalid(childPath(path, "type"), s.type, "must be object at the root"));
}

function checkExtensions(s: JSONSchemaProps, path: string, out: FieldCause[]): void {
  if (s["x-kubernetes-int-or-string"] && s["x-kubernetes-preserve-unknown-fields"]) {
    out.push(
      invalid(
        childPath(path, "x-kubernetes-preserve-unknown-fields"),
        true,
        "must be false if x-kubernetes-int-or-string is true",
      ),
    );
  }
  if (s["x-kubernetes-int-or-string"] && s["x-kubernetes-embedded-resource"]) {
    out.push(
      invalid(
        childPath(path, "x-kubernetes-embedded-resource"),
        true,
        "must be false if x-kubernetes-int-or-string is true",
      ),
    );
  }
  if (s["x-kubernetes-embedded-resource"] && s.additionalProperties !== undefined) {
    out.push(
      forbidden(
        childPath(path, "additionalProperties"),
        "must not be used if x-kubernetes-embedded-resource is set",
      ),
    );
  }
  const noProps = Object.keys(s.properties ?? {}).length === 0;
  if (s["x-kubernetes-embedded-resource"] && !s["x-kubernetes-preserve-unknown-fields"] && noProps) {
    out.push(
      required(
        childPath(path, "properties"),
        "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields",
      ),
    );
  }
}

function checkTypeMeta(s: JSONSchemaProps, level: Level, path: string, out: FieldCause[]): void {
  const checkMetadata = level === "root" || s["x-kubernetes-embedded-resource"] === true;
  const props = s.properties ?? {};
  for (const name of ["kind", "apiVersion"]) {
    const p = props[name];
    if (p !== undefined && checkMetadata && p.type !== "string") {
      out.push(
        invalid(
          childPath(indexPath(childPath(path, "properties"), name), "type"),
          p.type ?? "",
          "must be string",
        ),
      );
    }
  }
  const metadata = props.metadata;
  if (metadata === undefined) return;
  const metaPath = indexPath(childPath(path, "properties"), "metadata");
  if (checkMetadata && metadata.type !== "object")
    out.push(invalid(childPath(metaPath, "type"), metadata.type ?? "", "must be object"));
  if (level === "root" && !onlyRestrictsName(metadata)) {
    out.push(
      forbidden(
        metaPath,
        "must not specify anything other than name and generateName, but metadata is implicitly specified",
      ),
    );
  }
}

/** Root metadata may only be typed as object and restrict name / generateName. */
function onlyRestrictsName(metadata: JSONSchemaProps): boolean {
  const allowed = new Set(["type", "properties", "default"]);
  if (Object.keys(metadata).some((k) => !allowed.has(k))) return false;
  const props = Object.keys(metadata.properties ?? {});
  return props.every((p) => p === "name" || p === "generateName");
}

/** schema.ValidateStructural's invariants, walked over the structural part of the schema. */
function checkInvariants(s: JSONSchemaProps, level: Level, path: string, out: FieldCause[]): void {
  if (s.type === "array" && s.items === undefined)
    out.push(required(childPath(path, "items"), "must be specified"));
  if (s.items !== undefined && !Array.isArray(s.items))
    checkInvariants(s.items, "item", childPath(path, "items"), out);
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    checkInvariants(v, "field", indexPath(childPath(path, "properties"), k), out);
  }
  if (s.additionalProperties !== undefined) {
    if (level === "root")
      out.push(forbidden(childPath(path, "additionalProperties"), "must not be used at the root"));
    if (isObject(s.additionalProperties)) {
      checkInvariants(
        s.additionalProperties as JSONSchemaProps,
        "field",
        childPath(path, "additionalProperties"),
        out,
      );
    }
  }
  checkExtensions(s, path, out);
  checkNestedValueValidation(s, path, out);
  checkPattern(s, path, out);
  checkTypeNotEmpty(s, level, path, out);
  checkTypeMeta(s, level, path, out);
}

/**
 * All reasons why `schema` is not an acceptable CRD schema (structural, no $ref/uniqueItems/…,
 * valid list-type annotations, compiling CEL rules, valid defaults). `fieldPath` prefixes every
 * cause; the v1 path is `spec.versions[i].schema.openAPIV3Schema`. Structural invariant causes
 * are sorted by their text, as Kubernetes does.
 */
export function checkStructural(
  schema: JSONSchemaProps,
  fieldPath = "spec.versions[0].schema.openAPIV3Schema",
): FieldCause[] {
  const s = normalizeSchema(schema) ?? {};
  const out: FieldCause[] = [];
  checkOpenApiSchema(s, fieldPath, out, { isRoot: true });
  const structural: FieldCause[] = [];
  checkInvariants(s, "root", fieldPath, structural);
  const text = (c: FieldCause): string => `${c.field}: ${c.message}`;
  structural.sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
  return [...out, ...structural];
}
