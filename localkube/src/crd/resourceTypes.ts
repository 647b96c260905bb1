/** Derives the served ResourceTypes of a CRD and its validation rules (C1). */
import { fieldInvalid, fieldRequired, type StatusCause } from "../errors.js";
import type { JsonObject, KubeObject, PrinterColumn, ResourceType } from "../kinds/types.js";
import { validateCrdSpec } from "./schemaSeam.js";

export interface CrdNames {
  plural: string;
  singular?: string;
  kind: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema?: JsonObject };
  subresources?: { status?: JsonObject; scale?: JsonObject };
  additionalPrinterColumns?: PrinterColumn[];
  selectableFields?: Array<{ jsonPath: string }>;
}

export interface CrdSpec {
  group: string;
  names: CrdNames;
  scope: string;
  versions: CrdVersion[];
  conversion?: JsonObject;
}

export function crdSpec(crd: KubeObject): CrdSpec {
  return crd["spec"] as CrdSpec;
}

const AGE: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };

export function resourceTypesOf(crd: KubeObject): ResourceType[] {
  const spec = crdSpec(crd);
  const names = spec.names;
  return spec.versions
    .filter((v) => v.served)
    .map((v) => {
      const rt: ResourceType = {
        group: spec.group,
        version: v.name,
        kind: names.kind,
        plural: names.plural,
        singular: names.singular ?? names.kind.toLowerCase(),
        listKind: names.listKind ?? `${names.kind}List`,
        namespaced: spec.scope === "Namespaced",
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        statusSubresource: v.subresources?.status !== undefined,
        builtin: false,
        requireResourceVersion: true,
        generation: true,
        selectableFields: (v.selectableFields ?? []).map((f) => f.jsonPath.replace(/^\./, "")),
        storeKey: `${spec.group}/${names.plural}`,
        crdName: crd.metadata.name ?? "",
        printerColumns: [...(v.additionalPrinterColumns ?? []), AGE],
      };
      if (v.schema?.openAPIV3Schema) rt.schema = v.schema.openAPIV3Schema;
      return rt;
    });
}

function namesErrors(spec: CrdSpec): StatusCause[] {
  const causes: StatusCause[] = [];
  const names = spec.names ?? ({} as CrdNames);
  if (!names.plural) causes.push(fieldRequired("spec.names.plural"));
  if (!names.kind) causes.push(fieldRequired("spec.names.kind"));
  if (spec.scope !== "Namespaced" && spec.scope !== "Cluster")
    causes.push({
      reason: "FieldValueNotSupported",
      field: "spec.scope",
      message: `Unsupported value: ${JSON.stringify(spec.scope ?? "")}: supported values: "Cluster", "Namespaced"`,
    });
  return causes;
}

function versionErrors(spec: CrdSpec): StatusCause[] {
  const versions = spec.versions ?? [];
  if (versions.length === 0)
    return [fieldRequired("spec.versions", "must have exactly one version marked as storage version")];
  const storage = versions.filter((v) => v.storage).length;
  if (storage !== 1)
    return [
      fieldInvalid("spec.versions", "array", "must have exactly one version marked as storage version"),
    ];
  return [];
}

/** Validates a CRD and fills in the defaults the API server sets (mutates `crd`). */
export function admitCrd(crd: KubeObject, old: KubeObject | undefined): StatusCause[] {
  const spec = crd["spec"] as CrdSpec | undefined;
  if (!spec || typeof spec !== "object") return [fieldRequired("spec")];
  const causes = [...namesErrors(spec), ...versionErrors(spec)];
  const name = crd.metadata.name ?? "";
  if (!spec.group || !spec.group.includes(".") || spec.group !== spec.group.toLowerCase())
    causes.push(fieldInvalid("spec.group", spec.group ?? "", "should be a domain with at least one dot"));
  if (spec.names?.plural && spec.group && name !== `${spec.names.plural}.${spec.group}`)
    causes.push(fieldInvalid("metadata.name", name, `must be spec.names.plural+"."+spec.group`));
  if (causes.length > 0) return causes;
  spec.names.singular ??= spec.names.kind.toLowerCase();
  spec.names.listKind ??= `${spec.names.kind}List`;
  spec.conversion ??= { strategy: "None" };
  if (old) {
    const stored =
      ((old["status"] as JsonObject | undefined)?.["storedVersions"] as string[] | undefined) ?? [];
    for (const v of stored)
      if (!spec.versions.some((x) => x.name === v))
        causes.push(fieldInvalid("status.storedVersions[0]", v, "must appear in spec.versions"));
  } else {
    const finalizers = crd.metadata.finalizers ?? [];
    if (!finalizers.includes(CRD_CLEANUP)) crd.metadata.finalizers = [...finalizers, CRD_CLEANUP];
  }
  return [...causes, ...validateCrdSpec(spec as unknown as JsonObject)];
}

export const CRD_CLEANUP = "customresourcecleanup.apiextensions.k8s.io";
