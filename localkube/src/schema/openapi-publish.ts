// Publishing CRD schemas in OpenAPI v3 (components.schemas), as kube-apiserver does for
// `kubectl explain` and client-side apply validation: `com.<reversed group>.<version>.<Kind>`
// with x-kubernetes-group-version-kind, metadata pointing at ObjectMeta, plus the List kind.
import type { CustomResourceDefinition } from "./crd-types.js";
import type { JSONSchemaProps } from "./types.js";
import { isObject } from "./types.js";

const OBJECT_META_REF = "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
const LIST_META_REF = "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";

const API_VERSION: JSONSchemaProps = {
  type: "string",
  description:
    "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
};
const KIND: JSONSchemaProps = {
  type: "string",
  description:
    "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
};

/** `example.com` -> `com.example`. */
export function reverseGroup(group: string): string {
  return group.split(".").reverse().join(".");
}

/** The components.schemas name of a kind: `com.example.v1.Widget`. */
export function openApiSchemaName(group: string, version: string, kind: string): string {
  return `${reverseGroup(group)}.${version}.${kind}`;
}

/**
 * The components.schemas entries for one served version of a CRD: the kind and its List.
 * Returns {} when the version does not exist. The input is not modified.
 */
export function crdSchemaToOpenApi(crd: CustomResourceDefinition, version: string): Record<string, unknown> {
  const group = crd.spec?.group ?? "";
  const kind = crd.spec?.names?.kind ?? "";
  const listKind = crd.spec?.names?.listKind ?? `${kind}List`;
  const versions = Array.isArray(crd.spec?.versions) ? crd.spec.versions : [];
  const v = versions.find((x) => isObject(x) && x.name === version);
  if (v === undefined) return {};
  const base = structuredClone(v.schema?.openAPIV3Schema ?? { type: "object" }) as Record<string, unknown>;
  const properties = { ...((base.properties as Record<string, unknown> | undefined) ?? {}) };
  properties.apiVersion = API_VERSION;
  properties.kind = KIND;
  properties.metadata = { allOf: [{ $ref: OBJECT_META_REF }], description: "Standard object's metadata." };
  const name = openApiSchemaName(group, version, kind);
  const gvk = (k: string): unknown[] => [{ group, version, kind: k }];
  return {
    [name]: { ...base, type: "object", properties, "x-kubernetes-group-version-kind": gvk(kind) },
    [openApiSchemaName(group, version, listKind)]: {
      type: "object",
      description: `${listKind} is a list of ${kind}`,
      required: ["items"],
      properties: {
        apiVersion: API_VERSION,
        items: { type: "array", items: { $ref: `#/components/schemas/${name}` } },
        kind: KIND,
        metadata: { allOf: [{ $ref: LIST_META_REF }] },
      },
      "x-kubernetes-group-version-kind": gvk(listKind),
    },
  };
}
