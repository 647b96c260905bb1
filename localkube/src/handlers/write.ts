/** POST, PUT, PATCH and DELETE of resources, with their query options. */
import { badRequest, notFound } from "../errors.js";
import { serverSideApplyObject } from "../objects/fieldManagement.js";
import { managerName } from "../patch/index.js";
import type { FieldValidation } from "../crd/schemaSeam.js";
import type { KubeObject, ResourceType } from "../kinds/types.js";
import { deleteObject, parseDeleteOptions, type DeleteOptions } from "../objects/deletion.js";
import { applyNonApplyPatch, patchTypeOf } from "../objects/patching.js";
import type { WriteOptions, WriteResult } from "../objects/service.js";
import type { ApiRequest, ApiResponse, HandlerContext } from "./context.js";

export function writeOptionsOf(req: ApiRequest): WriteOptions {
  const query = req.query;
  const dryRun = query.getAll("dryRun");
  for (const d of dryRun)
    if (d !== "All") throw badRequest(`Invalid dry run value: ${d}: supported values: "All"`);
  const fv = query.get("fieldValidation") ?? "Warn";
  if (!["Strict", "Warn", "Ignore"].includes(fv))
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got: ${fv}`);
  const manager = managerName(query.get("fieldManager") ?? undefined, req.headers["user-agent"]);
  return { dryRun: dryRun.length > 0, fieldValidation: fv as FieldValidation, manager };
}

function answer(result: WriteResult): ApiResponse {
  return { code: result.code, body: result.object, warnings: result.warnings };
}

export function createResource(
  ctx: HandlerContext,
  req: ApiRequest,
  rt: ResourceType,
  namespace?: string,
): ApiResponse {
  return answer(ctx.service.create(rt, namespace, req.body, writeOptionsOf(req)));
}

export function updateResource(
  ctx: HandlerContext,
  req: ApiRequest,
  rt: ResourceType,
  namespace: string | undefined,
  name: string,
  subresource?: string,
): ApiResponse {
  return answer(ctx.service.update(rt, namespace, name, req.body, writeOptionsOf(req), subresource));
}

function applyPatch(
  ctx: HandlerContext,
  req: ApiRequest,
  rt: ResourceType,
  namespace: string | undefined,
  name: string,
  subresource: string | undefined,
): ApiResponse {
  const opts = { ...writeOptionsOf(req), managedFieldsDone: true };
  const live = ctx.store.get(rt.storeKey, rt.namespaced ? namespace : undefined, name);
  if (!live && subresource) throw notFound(rt.group, rt.plural, name);
  const merged = serverSideApplyObject({
    rt,
    live: live ? ctx.service.serve(rt, live) : undefined,
    applied: req.body,
    manager: req.query.get("fieldManager") ?? "",
    force: req.query.get("force") === "true",
    subresource,
  });
  if (!live) {
    merged.metadata = { ...merged.metadata, name };
    return answer(ctx.service.create(rt, namespace, merged, opts));
  }
  return answer(ctx.service.replace(rt, live, merged, opts, subresource));
}

export function patchResource(
  ctx: HandlerContext,
  req: ApiRequest,
  rt: ResourceType,
  namespace: string | undefined,
  name: string,
  subresource?: string,
): ApiResponse {
  const type = patchTypeOf(req.headers["content-type"]);
  if (type === "apply") return applyPatch(ctx, req, rt, namespace, name, subresource);
  const old = ctx.service.stored(rt, namespace, name);
  const patched = applyNonApplyPatch(rt, type, ctx.service.serve(rt, old), req.body);
  if (patched === null || typeof patched !== "object" || Array.isArray(patched))
    throw badRequest("the patch produced something other than an object");
  if (!patched.metadata || typeof patched.metadata !== "object") patched.metadata = {};
  return answer(ctx.service.replace(rt, old, patched, writeOptionsOf(req), subresource));
}

function deleteOptionsOf(req: ApiRequest): DeleteOptions {
  const options = parseDeleteOptions(req.body);
  const policy = req.query.get("propagationPolicy");
  if (policy) options.propagationPolicy = policy;
  return options;
}

export function deleteResource(
  ctx: HandlerContext,
  req: ApiRequest,
  rt: ResourceType,
  namespace: string | undefined,
  name: string,
): ApiResponse {
  const options = deleteOptionsOf(req);
  const opts = writeOptionsOf(req);
  if (options.dryRun?.includes("All")) opts.dryRun = true;
  const result = deleteObject(ctx.service, rt, namespace, name, options, opts);
  return { code: result.code, body: result.body };
}

/** DELETE on a collection: deletes every object matching the selectors. */
export function deleteCollection(
  ctx: HandlerContext,
  req: ApiRequest,
  rt: ResourceType,
  namespace: string | undefined,
  selected: KubeObject[],
): ApiResponse {
  const options = deleteOptionsOf(req);
  const opts = writeOptionsOf(req);
  const items: KubeObject[] = [];
  for (const obj of selected) {
    const result = deleteObject(
      ctx.service,
      rt,
      obj.metadata.namespace ?? namespace,
      obj.metadata.name ?? "",
      options,
      opts,
    );
    if ((result.body as { kind?: string }).kind !== "Status") items.push(result.body as KubeObject);
  }
  return {
    code: 200,
    body: {
      kind: rt.listKind,
      apiVersion: rt.group ? `${rt.group}/${rt.version}` : rt.version,
      metadata: { resourceVersion: String(ctx.store.resourceVersion) },
      items,
    },
  };
}
