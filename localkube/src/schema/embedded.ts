// x-kubernetes-embedded-resource objects must carry a valid apiVersion and kind
// (apiextensions objectmeta validation of embedded resources).
import { childPath, indexPath, invalid, required } from "./errors.js";
import type { FieldCause, JSONSchemaProps } from "./types.js";
import { additionalSchema, isObject } from "./types.js";

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

function validateApiVersion(path: string, v: unknown): FieldCause[] {
  if (typeof v !== "string") return [invalid(childPath(path, "apiVersion"), v, "must be a string")];
  if (v === "") return [invalid(childPath(path, "apiVersion"), v, "must not be empty")];
  const parts = v.split("/");
  if (parts.length > 2) {
    return [invalid(childPath(path, "apiVersion"), v, `unexpected GroupVersion string: ${v}`)];
  }
  return [];
}

function validateKind(path: string, v: unknown): FieldCause[] {
  if (typeof v !== "string") return [invalid(childPath(path, "kind"), v, "must be a string")];
  if (v === "") return [invalid(childPath(path, "kind"), v, "must not be empty")];
  const lower = v.toLowerCase();
  const errs: string[] = [];
  if (lower.length > 63) errs.push("must be no more than 63 characters");
  if (!DNS1035.test(lower)) errs.push(DNS1035_MSG);
  if (errs.length > 0) {
    return [
      invalid(
        childPath(path, "kind"),
        v,
        "may have mixed case, but should otherwise match: " + errs.join(","),
      ),
    ];
  }
  return [];
}

function validateEmbedded(path: string, obj: Record<string, unknown>): FieldCause[] {
  const out: FieldCause[] = [];
  if (!("apiVersion" in obj)) out.push(required(childPath(path, "apiVersion"), "must not be empty"));
  if (!("kind" in obj)) out.push(required(childPath(path, "kind"), "must not be empty"));
  if ("apiVersion" in obj) out.push(...validateApiVersion(path, obj.apiVersion));
  if ("kind" in obj) out.push(...validateKind(path, obj.kind));
  return out;
}

/** Causes for embedded resources anywhere below `value`, validated by `schema`. */
export function validateEmbeddedResources(schema: JSONSchemaProps, value: unknown, path = ""): FieldCause[] {
  const out: FieldCause[] = [];
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items !== undefined && !Array.isArray(items)) {
      value.forEach((x, i) => out.push(...validateEmbeddedResources(items, x, indexPath(path, i))));
    }
    return out;
  }
  if (!isObject(value)) return out;
  if (schema["x-kubernetes-embedded-resource"]) out.push(...validateEmbedded(path, value));
  const additional = additionalSchema(schema);
  for (const [k, v] of Object.entries(value)) {
    const sub = schema.properties?.[k];
    if (sub !== undefined) out.push(...validateEmbeddedResources(sub, v, childPath(path, k)));
    else if (additional) out.push(...validateEmbeddedResources(additional, v, indexPath(path, k)));
  }
  return out;
}
