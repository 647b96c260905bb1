/** Dispatches a resource route (method × collection/object/subresource) to its handler. */
import type { ServerResponse } from "node:http";
import { badRequest, methodNotAllowed, pathNotFound } from "../errors.js";
import type { KubeObject, ResourceType } from "../kinds/types.js";
import { apiVersionOf } from "../kinds/types.js";
import { matches } from "../selectors.js";
import { tableRow, columnDefinitions, wantsTable } from "../table/table.js";
import type { WatchEventType } from "../watch/hub.js";
import type { ApiRequest, ApiResponse, HandlerContext } from "./context.js";
import { getOne, includeObjectOf, listCollection, selectionOf } from "./read.js";
import { createResource, deleteCollection, deleteResource, patchResource, updateResource } from "./write.js";

export interface ResourceTarget {
  rt: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export function isWatch(req: ApiRequest, target: ResourceTarget): boolean {
  const w = req.query.get("watch");
  return req.method === "GET" && target.name === undefined && (w === "true" || w === "1");
}

function checkSubresource(target: ResourceTarget): void {
  if (target.subresource === undefined) return;
  if (target.subresource === "status" && target.rt.statusSubresource) return;
  throw pathNotFound();
}

export function handleResource(ctx: HandlerContext, req: ApiRequest, target: ResourceTarget): ApiResponse {
  const { rt, namespace, name, subresource } = target;
  if (rt.namespaced && namespace === undefined && name !== undefined) throw pathNotFound();
  if (!rt.namespaced && namespace !== undefined) throw pathNotFound();
  if (name === undefined) {
    if (req.method === "GET") return listCollection(ctx, req, rt, namespace);
    if (req.method === "POST") {
      if (rt.namespaced && namespace === undefined) throw methodNotAllowed();
      return createResource(ctx, req, rt, namespace);
    }
    if (req.method === "DELETE") {
      const selection = selectionOf(rt, namespace, req.query);
      const selected = ctx.store
        .list(rt.storeKey, rt.namespaced ? namespace : undefined)
        .filter((o) => matches(selection, o));
      return deleteCollection(ctx, req, rt, namespace, selected);
    }
    throw methodNotAllowed();
  }
  checkSubresource(target);
  switch (req.method) {
    case "GET":
      return getOne(ctx, req, rt, namespace, name);
    case "PUT":
      return updateResource(ctx, req, rt, namespace, name, subresource);
    case "PATCH":
      return patchResource(ctx, req, rt, namespace, name, subresource);
    case "DELETE":
      if (subresource) throw methodNotAllowed();
      return deleteResource(ctx, req, rt, namespace, name);
    default:
      throw methodNotAllowed();
  }
}

function parseTimeout(query: URLSearchParams, fallback: number): number {
  const raw = query.get("timeoutSeconds");
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw badRequest(`invalid timeoutSeconds: ${raw}`);
  return n === 0 ? fallback : n;
}

/** Starts a watch stream on `res` (validation errors are thrown before any byte is written). */
export function startWatch(
  ctx: HandlerContext,
  req: ApiRequest,
  target: ResourceTarget,
  res: ServerResponse,
): void {
  const { rt, namespace } = target;
  const selection = selectionOf(rt, namespace, req.query);
  const timeoutSeconds = parseTimeout(req.query, ctx.watchTimeoutSeconds);
  const table = wantsTable(req.headers.accept);
  const include = includeObjectOf(req.query);
  let firstRow = true;
  const render = (type: WatchEventType, object: KubeObject): unknown => {
    if (type === "BOOKMARK")
      return table
        ? {
            kind: "Table",
            apiVersion: "meta.k8s.io/v1",
            metadata: object.metadata,
            columnDefinitions: null,
            rows: null,
          }
        : { kind: rt.kind, apiVersion: apiVersionOf(rt), metadata: object.metadata };
    const served = ctx.service.serve(rt, object);
    if (!table) return served;
    const body = {
      kind: "Table",
      apiVersion: "meta.k8s.io/v1",
      metadata: { resourceVersion: served.metadata.resourceVersion },
      columnDefinitions: firstRow ? columnDefinitions(rt) : null,
      rows: [tableRow(rt, served, include)],
    };
    firstRow = false;
    return body;
  };
  ctx.hub.serve(res, {
    rt,
    selection,
    resourceVersion: req.query.get("resourceVersion") ?? undefined,
    timeoutSeconds,
    bookmarks: req.query.get("allowWatchBookmarks") === "true",
    render,
  });
}
