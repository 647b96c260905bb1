/**
 * managedFields bookkeeping for every write, and server-side apply, through the patch
 * library. List types come from the CRD schema (x-kubernetes-list-type / -map-keys).
 */
import { ApiError, invalid } from "../errors.js";
import type { JsonObject, KubeObject, ResourceType } from "../kinds/types.js";
import { apiVersionOf } from "../kinds/types.js";
import {
  applyConflictError,
  serverSideApply,
  updateManagedFields,
  type IgnorePath,
  type ListType,
  type ListTypes,
} from "../patch/index.js";
import { nowTime } from "./meta.js";
import { asApiError } from "./patching.js";

function childSchema(node: JsonObject | undefined, name: string): JsonObject | undefined {
  if (!node) return undefined;
  if (node["type"] === "array") node = node["items"] as JsonObject | undefined;
  const props = node?.["properties"] as Record<string, JsonObject> | undefined;
  if (props?.[name]) return props[name];
  const additional = node?.["additionalProperties"];
  return additional && typeof additional === "object" ? (additional as JsonObject) : undefined;
}

export function listTypesFor(rt: ResourceType): ListTypes | undefined {
  const schema = rt.schema;
  if (!schema) return undefined;
  return (path: string[]): ListType | undefined => {
    let node: JsonObject | undefined = schema;
    for (const name of path) node = childSchema(node, name);
    if (!node || node["type"] !== "array") return undefined;
    const type = node["x-kubernetes-list-type"];
    if (type === "set") return { type: "set" };
    if (type === "map")
      return { type: "map", keys: (node["x-kubernetes-list-map-keys"] as string[] | undefined) ?? [] };
    return { type: "atomic" };
  };
}

/** The main endpoint never owns status (when it is a subresource); /status owns only status. */
export function ignoreFor(rt: ResourceType, subresource: string | undefined): IgnorePath | undefined {
  if (subresource === "status") return (path) => path[0] !== "status";
  if (rt.statusSubresource) return (path) => path[0] === "status";
  return undefined;
}

function walkOptions(
  rt: ResourceType,
  subresource: string | undefined,
): { listTypes?: ListTypes; ignore?: IgnorePath } {
  const out: { listTypes?: ListTypes; ignore?: IgnorePath } = {};
  const listTypes = listTypesFor(rt);
  const ignore = ignoreFor(rt, subresource);
  if (listTypes) out.listTypes = listTypes;
  if (ignore) out.ignore = ignore;
  return out;
}

/** Sets obj.metadata.managedFields for an ordinary (Update) write by `manager`. */
export function stampManagedFields(
  rt: ResourceType,
  old: KubeObject | undefined,
  obj: KubeObject,
  manager: string,
  subresource: string | undefined,
): void {
  if (!manager) return;
  const entries = updateManagedFields({
    old,
    updated: obj,
    manager,
    operation: "Update",
    apiVersion: apiVersionOf(rt),
    now: nowTime(),
    ...(subresource ? { subresource } : {}),
    ...walkOptions(rt, subresource),
  });
  if (entries.length > 0) obj.metadata.managedFields = entries as unknown as JsonObject[];
  else delete obj.metadata.managedFields;
}

export interface ApplyRequest {
  rt: ResourceType;
  live: KubeObject | undefined;
  applied: unknown;
  manager: string;
  force: boolean;
  subresource: string | undefined;
}

/** Server-side apply: the merged object with managedFields, or a 409 listing the conflicts. */
export function serverSideApplyObject(req: ApplyRequest): KubeObject {
  if (!req.manager)
    throw invalid("meta.k8s.io", "PatchOptions", "", [
      {
        reason: "FieldValueRequired",
        field: "fieldManager",
        message: "Required value: is required for apply patch",
      },
    ]);
  if (req.applied === null || typeof req.applied !== "object" || Array.isArray(req.applied))
    throw new ApiError(400, "BadRequest", "error decoding YAML: the apply configuration must be an object");
  let result;
  try {
    result = serverSideApply({
      live: req.live,
      applied: req.applied,
      manager: req.manager,
      force: req.force,
      apiVersion: apiVersionOf(req.rt),
      now: nowTime(),
      ...(req.subresource ? { subresource: req.subresource } : {}),
      ...walkOptions(req.rt, req.subresource),
    });
  } catch (err) {
    throw asApiError(err);
  }
  if (result.conflicts.length > 0) throw asApiError(applyConflictError(result.conflicts));
  return result.object as KubeObject;
}
