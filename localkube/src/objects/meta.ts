/** ObjectMeta rules shared by every kind: naming, validation and server-set fields. */
import { randomUUID, randomInt } from "node:crypto";
import { fieldForbidden, fieldInvalid, fieldRequired, type StatusCause } from "../errors.js";
import type { KubeObject, ObjectMeta } from "../kinds/types.js";

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const GENERATE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** RFC 3339 with seconds precision, as metav1.Time serialises. */
export function nowTime(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** metav1.MicroTime: six fractional digits. */
export function nowMicroTime(): string {
  return new Date().toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

export function newUid(): string {
  return randomUUID();
}

export function generateNameSuffix(): string {
  let out = "";
  for (let i = 0; i < 5; i++) out += GENERATE_ALPHABET[randomInt(GENERATE_ALPHABET.length)];
  return out;
}

export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push("must be no more than 253 characters");
  if (!DNS1123_SUBDOMAIN.test(value))
    errs.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  return errs;
}

export function dns1123LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push("must be no more than 63 characters");
  if (!DNS1123_LABEL.test(value))
    errs.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
  return errs;
}

/** Errors for a qualified name such as a label key or a finalizer ("prefix/name"). */
export function qualifiedNameErrors(value: string): string[] {
  const parts = value.split("/");
  let name = value;
  const errs: string[] = [];
  if (parts.length === 2) {
    const prefix = parts[0] ?? "";
    name = parts[1] ?? "";
    if (prefix.length === 0) errs.push("prefix part must be non-empty");
    else errs.push(...dns1123SubdomainErrors(prefix).map((e) => `prefix part ${e}`));
  } else if (parts.length > 2) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push("name part must be non-empty");
  else if (name.length > 63) errs.push("name part must be no more than 63 characters");
  if (name.length > 0 && !QUALIFIED_NAME.test(name))
    errs.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  return errs;
}

function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push("must be no more than 63 characters");
  if (!LABEL_VALUE.test(value))
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  return errs;
}

export type NameRule = "subdomain" | "label" | "path";

/** RBAC objects only need a valid path segment (so "system:foo" is fine). */
export function pathSegmentErrors(value: string): string[] {
  if (value === "." || value === "..") return [`may not be '${value}'`];
  for (const bad of ["/", "%"]) if (value.includes(bad)) return [`may not contain '${bad}'`];
  return [];
}

export function nameRuleFor(storeKey: string): NameRule {
  if (storeKey === "/namespaces") return "label";
  if (storeKey.startsWith("rbac.authorization.k8s.io/")) return "path";
  return "subdomain";
}

/** Validates names, labels, annotations, finalizers and ownerReferences (W9). */
export function validateObjectMeta(meta: ObjectMeta, nameRule: NameRule = "subdomain"): StatusCause[] {
  const causes: StatusCause[] = [];
  const name = meta.name ?? "";
  if (name) {
    const errs =
      nameRule === "label"
        ? dns1123LabelErrors(name)
        : nameRule === "path"
          ? pathSegmentErrors(name)
          : dns1123SubdomainErrors(name);
    for (const e of errs) causes.push(fieldInvalid("metadata.name", name, e));
  }
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    for (const e of qualifiedNameErrors(key)) causes.push(fieldInvalid("metadata.labels", key, e));
    if (typeof value !== "string") causes.push(fieldInvalid(`metadata.labels`, value, "must be a string"));
    else for (const e of labelValueErrors(value)) causes.push(fieldInvalid("metadata.labels", value, e));
  }
  let annotationBytes = 0;
  for (const [key, value] of Object.entries(meta.annotations ?? {})) {
    for (const e of qualifiedNameErrors(key)) causes.push(fieldInvalid("metadata.annotations", key, e));
    annotationBytes += key.length + String(value).length;
  }
  if (annotationBytes > 256 * 1024)
    causes.push({
      reason: "FieldValueTooLong",
      field: "metadata.annotations",
      message: `Too long: must have at most 262144 bytes`,
    });
  (meta.finalizers ?? []).forEach((f, i) => {
    for (const e of qualifiedNameErrors(f)) causes.push(fieldInvalid(`metadata.finalizers[${i}]`, f, e));
  });
  const controllers = (meta.ownerReferences ?? []).filter((r) => r["controller"] === true);
  if (controllers.length > 1)
    causes.push(
      fieldInvalid(
        "metadata.ownerReferences",
        "array",
        `Only one reference can have Controller set to true. Found "true" in references for ${controllers.map((c) => `${String(c["kind"])}/${String(c["name"])}`).join(" and ")}`,
      ),
    );
  return causes;
}

export function requireName(meta: ObjectMeta): StatusCause[] {
  if (meta.name || meta.generateName) return [];
  return [fieldRequired("metadata.name", "name or generateName is required")];
}

/** Rejects finalizers added to an object that is being deleted (D2). */
export function newFinalizersWhileDeleting(oldObj: KubeObject, newObj: KubeObject): StatusCause[] {
  if (!oldObj.metadata.deletionTimestamp) return [];
  const before = new Set(oldObj.metadata.finalizers ?? []);
  const added = (newObj.metadata.finalizers ?? []).filter((f) => !before.has(f));
  if (added.length === 0) return [];
  return [
    fieldForbidden(
      "metadata.finalizers",
      `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((a) => JSON.stringify(a)).join(", ")}}`,
    ),
  ];
}

/** Fields of ObjectMeta the API knows; anything else is dropped (pruned) from metadata. */
export { OBJECT_META_FIELDS } from "../schema/index.js";
