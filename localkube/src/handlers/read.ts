/** GET of one object and LIST of a collection (with selectors, pagination and Tables). */
import { badRequest } from "../errors.js";
import type { JsonObject, KubeObject, ResourceType } from "../kinds/types.js";
import { apiVersionOf } from "../kinds/types.js";
import {
  hasSelectors,
  matches,
  parseFieldSelector,
  parseLabelSelector,
  type Selection,
} from "../selectors.js";
import { toTable, wantsTable, type IncludeObject } from "../table/table.js";
import type { ApiRequest, ApiResponse, HandlerContext } from "./context.js";

export function selectionOf(
  rt: ResourceType,
  namespace: string | undefined,
  query: URLSearchParams,
): Selection {
  const selection: Selection = {
    labels: parseLabelSelector(query.get("labelSelector") ?? undefined),
    fields: parseFieldSelector(query.get("fieldSelector") ?? undefined, rt),
  };
  if (rt.namespaced && namespace !== undefined) selection.namespace = namespace;
  return selection;
}

export function includeObjectOf(query: URLSearchParams): IncludeObject {
  const v = query.get("includeObject");
  return v === "None" || v === "Object" ? v : "Metadata";
}

function parseLimit(query: URLSearchParams): number | undefined {
  const raw = query.get("limit");
  if (raw === null || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid limit: ${raw}`);
  return n;
}

export function getOne(
  ctx: HandlerContext,
  req: ApiRequest,
  rt: ResourceType,
  namespace: string | undefined,
  name: string,
): ApiResponse {
  const obj = ctx.service.get(rt, namespace, name);
  if (wantsTable(req.headers.accept))
    return {
      code: 200,
      body: toTable(rt, [obj], includeObjectOf(req.query), { resourceVersion: obj.metadata.resourceVersion }),
    };
  return { code: 200, body: obj };
}

export function listCollection(
  ctx: HandlerContext,
  req: ApiRequest,
  rt: ResourceType,
  namespace: string | undefined,
): ApiResponse {
  const selection = selectionOf(rt, namespace, req.query);
  const ns = rt.namespaced ? namespace : undefined;
  const all = (): KubeObject[] => ctx.store.list(rt.storeKey, ns).filter((o) => matches(selection, o));
  const page = ctx.paginator.page(
    all,
    ctx.store.resourceVersion,
    parseLimit(req.query),
    req.query.get("continue") ?? undefined,
  );
  const metadata: JsonObject = { resourceVersion: String(page.rv) };
  if (page.continueToken) {
    metadata["continue"] = page.continueToken;
    if (!hasSelectors(selection)) metadata["remainingItemCount"] = page.remaining;
  }
  const served = page.items.map((o) => ctx.service.serve(rt, o));
  if (wantsTable(req.headers.accept))
    return { code: 200, body: toTable(rt, served, includeObjectOf(req.query), metadata) };
  const items = rt.builtin
    ? served.map((o) => {
        const { apiVersion: _a, kind: _k, ...rest } = o;
        return rest;
      })
    : served;
  return { code: 200, body: { kind: rt.listKind, apiVersion: apiVersionOf(rt), metadata, items } };
}
