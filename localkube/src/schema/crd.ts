// Validation of a CustomResourceDefinition object itself (apiextensions
// ValidateCustomResourceDefinition / ...Update), with Kubernetes' messages.
import type { CrdNames, CrdVersion, CustomResourceDefinition, PrinterColumn } from "./crd-types.js";
import { isDns1035Label, isDns1123Subdomain } from "./dns.js";
import { childPath, indexPath, invalid, notSupported, required } from "./errors.js";
import { GoLiteral, goQuote } from "./gofmt.js";
import { normalizeCrd } from "./normalize.js";
import { checkStructural } from "./structural.js";
import type { FieldCause } from "./types.js";

const COLUMN_TYPES = "boolean,date,integer,number,string";
const COLUMN_FORMATS = ["byte", "date", "date-time", "double", "float", "int32", "int64", "name", "password"];

/**
 * Fills the fields kube-apiserver defaults on a CRD: names.singular (lowercased kind),
 * names.listKind (`<Kind>List`) and conversion.strategy None. Mutates and returns `crd`.
 */
export function defaultCrd(crd: CustomResourceDefinition): CustomResourceDefinition {
  const spec = (crd.spec ??= {});
  const names = (spec.names ??= {});
  if (!names.singular && names.kind) names.singular = names.kind.toLowerCase();
  if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
  spec.conversion ??= { strategy: "None" };
  return crd;
}

/** %#v of the versions list, approximated (Kubernetes prints the Go structs). */
function goVersions(versions: CrdVersion[]): GoLiteral {
  const items = versions.map(
    (v) =>
      `apiextensions.CustomResourceDefinitionVersion{Name:${goQuote(v.name ?? "")}, Served:${v.served === true}, Storage:${v.storage === true}}`,
  );
  return new GoLiteral(`[]apiextensions.CustomResourceDefinitionVersion{${items.join(", ")}}`);
}

function validateName(crd: CustomResourceDefinition): FieldCause[] {
  const name = crd.metadata?.name ?? "";
  if (name === "") return [required("metadata.name", "name or generateName is required")];
  const spec = crd.spec ?? {};
  const messages = isDns1123Subdomain(name);
  if (name !== `${spec.names?.plural ?? ""}.${spec.group ?? ""}`)
    messages.push('must be spec.names.plural+"."+spec.group');
  return messages.map((m) => invalid("metadata.name", name, m));
}

function validateGroupAndScope(group: string | undefined, scope: string | undefined): FieldCause[] {
  const out: FieldCause[] = [];
  if (!group) out.push(required("spec.group"));
  else if (isDns1123Subdomain(group).length > 0)
    out.push(invalid("spec.group", group, isDns1123Subdomain(group).join(",")));
  else if (group.split(".").length < 2)
    out.push(invalid("spec.group", group, "should be a domain with at least one dot"));
  if (!scope) out.push(required("spec.scope"));
  else if (scope !== "Cluster" && scope !== "Namespaced")
    out.push(notSupported("spec.scope", scope, ["Cluster", "Namespaced"]));
  return out;
}

function validateNames(names: CrdNames, path: string): FieldCause[] {
  const out: FieldCause[] = [];
  const label = (field: string, value: string | undefined, lower: boolean): void => {
    if (!value) return;
    const errs = isDns1035Label(lower ? value.toLowerCase() : value);
    if (errs.length === 0) return;
    const detail = lower
      ? "may have mixed case, but should otherwise match: " + errs.join(",")
      : errs.join(",");
    out.push(invalid(childPath(path, field), value, detail));
  };
  label("plural", names.plural, false);
  label("singular", names.singular, false);
  label("kind", names.kind, true);
  label("listKind", names.listKind, true);
  (names.shortNames ?? []).forEach((s, i) => {
    const errs = isDns1035Label(s);
    if (errs.length > 0) out.push(invalid(indexPath(childPath(path, "shortNames"), i), s, errs.join(",")));
  });
  if (names.kind && names.kind === names.listKind) {
    out.push(invalid(childPath(path, "listKind"), names.listKind, "kind and listKind may not be the same"));
  }
  (names.categories ?? []).forEach((c, i) => {
    const errs = isDns1035Label(c);
    if (errs.length > 0) out.push(invalid(indexPath(childPath(path, "categories"), i), c, errs.join(",")));
  });
  return out;
}

function validateRequiredNames(names: CrdNames): FieldCause[] {
  const fields = ["plural", "singular", "kind", "listKind"] as const;
  return fields.filter((f) => !names[f]).map((f) => required(`spec.names.${f}`));
}

function validateColumn(col: PrinterColumn, path: string): FieldCause[] {
  const out: FieldCause[] = [];
  if (!col.name) out.push(required(childPath(path, "name")));
  if (!col.type) out.push(required(childPath(path, "type"), `must be one of ${COLUMN_TYPES}`));
  else if (!COLUMN_TYPES.split(",").includes(col.type)) {
    out.push(invalid(childPath(path, "type"), col.type, `must be one of ${COLUMN_TYPES}`));
  }
  if (col.format && !COLUMN_FORMATS.includes(col.format)) {
    out.push(invalid(childPath(path, "format"), col.format, `must be one of ${COLUMN_FORMATS.join(",")}`));
  }
  if (!col.jsonPath) out.push(required(childPath(path, "jsonPath")));
  return out;
}

function validateVersion(version: CrdVersion, path: string): FieldCause[] {
  const out: FieldCause[] = [];
  const nameErrs = isDns1035Label(version.name ?? "");
  if (nameErrs.length > 0) out.push(invalid(childPath(path, "name"), version.name ?? "", nameErrs.join(",")));
  const schema = version.schema?.openAPIV3Schema;
  const schemaPath = childPath(childPath(path, "schema"), "openAPIV3Schema");
  if (schema === undefined) out.push(required(schemaPath, "schemas are required"));
  else out.push(...checkStructural(schema, schemaPath));
  (version.additionalPrinterColumns ?? []).forEach((col, i) => {
    out.push(...validateColumn(col, indexPath(childPath(path, "additionalPrinterColumns"), i)));
  });
  return out;
}

function validateVersions(versions: CrdVersion[]): FieldCause[] {
  const out: FieldCause[] = [];
  versions.forEach((v, i) => out.push(...validateVersion(v, indexPath("spec.versions", i))));
  const names = versions.map((v) => v.name);
  if (new Set(names).size !== names.length)
    out.push(invalid("spec.versions", goVersions(versions), "must contain unique version names"));
  if (versions.filter((v) => v.storage === true).length !== 1) {
    out.push(
      invalid(
        "spec.versions",
        goVersions(versions),
        "must have exactly one version marked as storage version",
      ),
    );
  }
  return out;
}

function validateConversion(crd: CustomResourceDefinition): FieldCause[] {
  const conversion = crd.spec?.conversion;
  const out: FieldCause[] = [];
  if (crd.spec?.preserveUnknownFields === true) {
    out.push(
      invalid(
        "spec.preserveUnknownFields",
        true,
        "cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead",
      ),
    );
  }
  const strategy = conversion?.strategy;
  if (strategy !== undefined && strategy !== "None" && strategy !== "Webhook") {
    out.push(notSupported("spec.conversion.strategy", strategy, ["None", "Webhook"]));
  }
  if (strategy === "Webhook" && conversion?.webhook === undefined) {
    out.push(required("spec.conversion.webhook", "required when strategy is set to Webhook"));
  }
  return out;
}

function validateUpdate(crd: CustomResourceDefinition, old: CustomResourceDefinition): FieldCause[] {
  const out: FieldCause[] = [];
  const immutable = (path: string, now: string | undefined, before: string | undefined): void => {
    if (now !== before) out.push(invalid(path, now ?? "", "field is immutable"));
  };
  immutable("spec.group", crd.spec?.group, old.spec?.group);
  immutable("spec.names.plural", crd.spec?.names?.plural, old.spec?.names?.plural);
  const stored = crd.status?.storedVersions ?? old.status?.storedVersions ?? [];
  const versions = new Set((crd.spec?.versions ?? []).map((v) => v.name));
  stored.forEach((v, i) => {
    if (!versions.has(v))
      out.push(invalid(indexPath("status.storedVersions", i), v, "must appear in spec.versions"));
  });
  return out;
}

/**
 * Every reason why `crd` (apiextensions.k8s.io/v1) is invalid, after kube-apiserver's defaulting
 * (applied here to a copy: singular, listKind, conversion). On update pass the stored `oldCrd`:
 * group and plural are immutable and every status.storedVersions entry must stay in spec.versions.
 */
export function validateCrd(crd: CustomResourceDefinition, oldCrd?: CustomResourceDefinition): FieldCause[] {
  const defaulted = defaultCrd(normalizeCrd(crd));
  const spec = defaulted.spec ?? {};
  const names = spec.names ?? {};
  const causes = [
    ...validateName(defaulted),
    ...validateGroupAndScope(spec.group, spec.scope),
    ...validateVersions(spec.versions ?? []),
    ...validateRequiredNames(names),
    ...validateNames(names, "spec.names"),
    ...validateConversion(defaulted),
  ];
  if (oldCrd !== undefined) causes.push(...validateUpdate(defaulted, normalizeCrd(oldCrd)));
  return causes;
}
