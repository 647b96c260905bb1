/**
 * OpenAPI v3: an index of group-versions with content hashes and one document per
 * group-version. Each kind gets a PATCH operation carrying x-kubernetes-group-version-kind
 * and the fieldValidation parameter (what kubectl apply checks), and a component schema
 * (the CRD's schema for custom resources) so `kubectl explain` works.
 */
import { createHash } from "node:crypto";
import { pathNotFound } from "../errors.js";
import type { ResourceRegistry } from "../kinds/registry.js";
import type { JsonObject, ResourceType } from "../kinds/types.js";
import {
  crdSchemaToOpenApi,
  openApiSchemaName,
  type CustomResourceDefinition,
  type JSONSchemaProps,
} from "../schema/index.js";
import { LIST_META_SCHEMA, OBJECT_META_SCHEMA, builtinSchema } from "./builtinSchemas.js";

const OBJECT_META_REF = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
const LIST_META_REF = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";

/** The parts of a CRD the schema library needs to publish one served version. */
function asCrd(rt: ResourceType): CustomResourceDefinition {
  const schema = (rt.schema ?? { type: "object" }) as JSONSchemaProps;
  return {
    spec: {
      group: rt.group,
      names: { kind: rt.kind, listKind: rt.listKind, plural: rt.plural },
      versions: [{ name: rt.version, served: true, storage: true, schema: { openAPIV3Schema: schema } }],
    },
  };
}

export function schemaName(rt: ResourceType): string {
  if (rt.builtin) {
    const group = rt.group ? rt.group.split(".")[0] : "core";
    return `io.k8s.api.${group}.${rt.version}.${rt.kind}`;
  }
  return openApiSchemaName(rt.group, rt.version, rt.kind);
}

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function kindSchema(rt: ResourceType): JsonObject {
  const base = structuredClone(rt.schema ?? builtinSchema(rt));
  const properties = { ...((base["properties"] as JsonObject | undefined) ?? {}) };
  properties["apiVersion"] ??= {
    type: "string",
    description: "APIVersion defines the versioned schema of this representation of an object.",
  };
  properties["kind"] ??= {
    type: "string",
    description: "Kind is a string value representing the REST resource this object represents.",
  };
  properties["metadata"] = {
    description: "Standard object's metadata.",
    allOf: [{ $ref: `#/components/schemas/${OBJECT_META_REF}` }],
  };
  return {
    ...base,
    type: "object",
    properties,
    "x-kubernetes-group-version-kind": [{ group: rt.group, version: rt.version, kind: rt.kind }],
  };
}

function operations(rt: ResourceType): JsonObject {
  const gvk = { group: rt.group, version: rt.version, kind: rt.kind };
  const ref = { $ref: `#/components/schemas/${schemaName(rt)}` };
  const ok = { "200": { description: "OK", content: { "application/json": { schema: ref } } } };
  const op = (id: string, extra: JsonObject = {}): JsonObject => ({
    operationId: `${id}${rt.kind}`,
    "x-kubernetes-action": id,
    "x-kubernetes-group-version-kind": gvk,
    responses: ok,
    ...extra,
  });
  const query = (name: string): JsonObject => ({
    name,
    in: "query",
    schema: { type: "string", uniqueItems: true },
  });
  return {
    get: op("get"),
    put: op("put", { parameters: [query("dryRun"), query("fieldManager"), query("fieldValidation")] }),
    patch: op("patch", {
      parameters: [query("dryRun"), query("fieldManager"), query("fieldValidation"), query("force")],
    }),
    delete: op("delete"),
  };
}

function itemPath(rt: ResourceType): string {
  const prefix = rt.group ? `/apis/${rt.group}/${rt.version}` : `/api/${rt.version}`;
  return rt.namespaced
    ? `${prefix}/namespaces/{namespace}/${rt.plural}/{name}`
    : `${prefix}/${rt.plural}/{name}`;
}

export function groupVersionDocument(
  registry: ResourceRegistry,
  group: string,
  version: string,
  minor: number,
): JsonObject {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0) throw pathNotFound();
  const paths: JsonObject = {};
  const schemas: JsonObject = { [OBJECT_META_REF]: OBJECT_META_SCHEMA, [LIST_META_REF]: LIST_META_SCHEMA };
  for (const rt of types) {
    paths[itemPath(rt)] = operations(rt);
    if (rt.builtin) schemas[schemaName(rt)] = kindSchema(rt);
    else Object.assign(schemas, crdSchemaToOpenApi(asCrd(rt), rt.version));
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: `v1.${minor}.0` },
    paths,
    components: { schemas },
  };
}

function hashOf(doc: JsonObject): string {
  return createHash("sha512").update(JSON.stringify(doc)).digest("hex").slice(0, 128).toUpperCase();
}

export function openapiIndex(registry: ResourceRegistry, minor: number): JsonObject {
  const gvs = new Set(registry.all().map((rt) => `${rt.group}|${rt.version}`));
  const paths: JsonObject = {};
  for (const gv of gvs) {
    const [group = "", version = ""] = gv.split("|");
    const path = gvPath(group, version);
    const hash = hashOf(groupVersionDocument(registry, group, version, minor));
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { paths };
}

/** Resolves "apis/g/v" or "api/v1" to its document. */
export function openapiDocument(registry: ResourceRegistry, path: string, minor: number): JsonObject {
  const parts = path.split("/");
  if (parts[0] === "api" && parts.length === 2)
    return groupVersionDocument(registry, "", parts[1] ?? "", minor);
  if (parts[0] === "apis" && parts.length === 3)
    return groupVersionDocument(registry, parts[1] ?? "", parts[2] ?? "", minor);
  throw pathNotFound();
}
