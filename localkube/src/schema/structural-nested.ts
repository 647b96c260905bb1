// Structural rules for value validations nested in allOf/anyOf/oneOf/not: they may restrict
// values but not declare structure (types, defaults, descriptions, extensions, metadata).
import { childPath, forbidden, indexPath, invalid } from "./errors.js";
import type { FieldCause, JSONSchemaProps } from "./types.js";

const INT_OR_STRING = (s: JSONSchemaProps | undefined): boolean =>
  s?.anyOf?.length === 2 &&
  s.anyOf[0]?.type === "integer" &&
  s.anyOf[1]?.type === "string" &&
  Object.keys(s.anyOf[0]).length === 1 &&
  Object.keys(s.anyOf[1]).length === 1;

const FORBIDDEN_IN_NESTED: [keyof JSONSchemaProps, string][] = [
  ["default", "must be undefined to be structural"],
  ["title", "must be empty to be structural"],
  ["description", "must be empty to be structural"],
  ["externalDocs", "must be undefined to be structural"],
  ["x-kubernetes-list-map-keys", "must be empty to be structural"],
  ["x-kubernetes-list-type", "must be undefined to be structural"],
  ["x-kubernetes-map-type", "must be undefined to be structural"],
  ["x-kubernetes-validations", "must be empty to be structural"],
];
const FORBIDDEN_FLAGS: [keyof JSONSchemaProps, string][] = [
  ["nullable", "must be false to be structural"],
  ["x-kubernetes-preserve-unknown-fields", "must be false to be structural"],
  ["x-kubernetes-embedded-resource", "must be false to be structural"],
  ["x-kubernetes-int-or-string", "must be false to be structural"],
];

function isEmpty(value: unknown): boolean {
  return value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

/** Checks one node inside a junctor; `skipAnyOf` exempts the int-or-string anyOf pattern. */
function checkNested(
  v: JSONSchemaProps | undefined,
  path: string,
  skipAnyOf: boolean,
  out: FieldCause[],
): void {
  if (v === undefined) return;
  checkJunctors(v, path, skipAnyOf, out);
  if (v.items !== undefined && !Array.isArray(v.items))
    checkNested(v.items, childPath(path, "items"), false, out);
  for (const [k, p] of Object.entries(v.properties ?? {}))
    checkNested(p, indexPath(childPath(path, "properties"), k), false, out);
  if (v.type) out.push(forbidden(childPath(path, "type"), "must be empty to be structural"));
  if (v.additionalProperties !== undefined) {
    out.push(forbidden(childPath(path, "additionalProperties"), "must be undefined to be structural"));
  }
  for (const [key, detail] of FORBIDDEN_IN_NESTED)
    if (!isEmpty(v[key])) out.push(forbidden(childPath(path, key), detail));
  for (const [key, detail] of FORBIDDEN_FLAGS)
    if (v[key] === true) out.push(forbidden(childPath(path, key), detail));
  if (v.properties?.metadata !== undefined) {
    out.push(
      forbidden(
        indexPath(childPath(path, "properties"), "metadata"),
        "must not be specified in a nested context",
      ),
    );
  }
  checkPattern(v, path, out);
}

function checkJunctors(s: JSONSchemaProps, path: string, skipAnyOf: boolean, out: FieldCause[]): void {
  if (!skipAnyOf)
    (s.anyOf ?? []).forEach((v, i) => checkNested(v, indexPath(childPath(path, "anyOf"), i), false, out));
  const skipFirstAllOfAnyOf = INT_OR_STRING(s.allOf?.[0]);
  (s.allOf ?? []).forEach((v, i) =>
    checkNested(v, indexPath(childPath(path, "allOf"), i), i === 0 && skipFirstAllOfAnyOf, out),
  );
  (s.oneOf ?? []).forEach((v, i) => checkNested(v, indexPath(childPath(path, "oneOf"), i), false, out));
  checkNested(s.not, childPath(path, "not"), false, out);
}

/** Value validations of a structural node: the junctors below it must be value-only. */
export function checkNestedValueValidation(s: JSONSchemaProps, path: string, out: FieldCause[]): void {
  checkJunctors(s, path, INT_OR_STRING(s), out);
}

export function checkPattern(s: JSONSchemaProps, path: string, out: FieldCause[]): void {
  if (!s.pattern) return;
  try {
    new RegExp(s.pattern, "u");
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    out.push(
      invalid(
        childPath(path, "pattern"),
        s.pattern,
        `must be a valid regular expression, but isn't: ${reason}`,
      ),
    );
  }
}
