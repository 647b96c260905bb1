/** Derives the served ResourceTypes of a CRD and its validation rules (C1). */
import type { StatusCause } from "../errors.js";
import type { JsonObject, KubeObject, PrinterColumn, ResourceType } from "../kinds/types.js";
import { defaultCrd, validateCrd, type CustomResourceDefinition } from "../schema/index.js";

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
        printerColumns: v.additionalPrinterColumns?.length ? v.additionalPrinterColumns : [AGE],
      };
      if (v.schema?.openAPIV3Schema) rt.schema = v.schema.openAPIV3Schema;
      return rt;
    });
}

/** Validates a CRD (schema library) and fills in the defaults the API server sets (mutates `crd`). */
export function admitCrd(crd: KubeObject, old: KubeObject | undefined): StatusCause[] {
  const asCrd = crd as unknown as CustomResourceDefinition;
  const causes = validateCrd(asCrd, old as unknown as CustomResourceDefinition | undefined);
  if (causes.length > 0) return causes;
  defaultCrd(asCrd);
  if (!old) {
    const finalizers = crd.metadata.finalizers ?? [];
    if (!finalizers.includes(CRD_CLEANUP)) crd.metadata.finalizers = [...finalizers, CRD_CLEANUP];
  }
  return [];
}

export const CRD_CLEANUP = "customresourcecleanup.apiextensions.k8s.io";
