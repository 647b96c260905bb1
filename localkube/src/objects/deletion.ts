/**
 * DELETE semantics: preconditions, finalizers (deletionTimestamp, then removal when the
 * last finalizer goes), namespace Terminating, and the Success Status of an immediate delete.
 */
import { badRequest, compactDetails, conflict, type Status } from "../errors.js";
import type { JsonObject, KubeObject, ResourceType } from "../kinds/types.js";
import { nowTime } from "./meta.js";
import { namespaceFinalizers, type ObjectService, type WriteOptions } from "./service.js";

export interface DeleteOptions {
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
  dryRun?: string[];
}

export interface DeleteResult {
  code: number;
  body: KubeObject | Status;
}

/** Finalizers the garbage collector acts on, by propagationPolicy. */
const POLICY_FINALIZERS: Record<string, string> = { Foreground: "foregroundDeletion", Orphan: "orphan" };

function checkPreconditions(rt: ResourceType, obj: KubeObject, options: DeleteOptions): void {
  const pre = options.preconditions;
  if (!pre) return;
  const name = obj.metadata.name ?? "";
  if (pre.uid && pre.uid !== obj.metadata.uid)
    throw conflict(
      rt.group,
      rt.plural,
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid ?? ""}`,
    );
  if (pre.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion)
    throw conflict(
      rt.group,
      rt.plural,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion ?? ""}`,
    );
}

function successStatus(rt: ResourceType, obj: KubeObject): Status {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    details: compactDetails({
      name: obj.metadata.name ?? "",
      group: rt.group,
      kind: rt.plural,
      uid: obj.metadata.uid ?? "",
    }),
    code: 200,
  } as Status;
}

export function parseDeleteOptions(body: unknown): DeleteOptions {
  if (body === undefined || body === null) return {};
  if (typeof body !== "object" || Array.isArray(body))
    throw badRequest("DeleteOptions must be a JSON object");
  return body as DeleteOptions;
}

export function deleteObject(
  service: ObjectService,
  rt: ResourceType,
  namespace: string | undefined,
  name: string,
  options: DeleteOptions,
  opts: WriteOptions,
): DeleteResult {
  const old = service.stored(rt, namespace, name);
  checkPreconditions(rt, old, options);
  const policyFinalizer = POLICY_FINALIZERS[options.propagationPolicy ?? ""];
  const finalizing =
    (old.metadata.finalizers ?? []).length > 0 || namespaceFinalizers(old) || policyFinalizer !== undefined;
  if (!finalizing) {
    if (opts.dryRun) return { code: 200, body: successStatus(rt, old) };
    const deleted = service.store.commit("DELETED", rt.storeKey, old);
    return { code: 200, body: successStatus(rt, deleted) };
  }
  if (old.metadata.deletionTimestamp) return { code: 200, body: service.serve(rt, old) };
  const next = structuredClone(old);
  next.metadata.deletionTimestamp = nowTime();
  next.metadata.deletionGracePeriodSeconds = 0;
  if (policyFinalizer && !(next.metadata.finalizers ?? []).includes(policyFinalizer))
    next.metadata.finalizers = [...(next.metadata.finalizers ?? []), policyFinalizer];
  if (rt.generation) next.metadata.generation = (old.metadata.generation ?? 0) + 1;
  if (rt.storeKey === "/namespaces")
    next["status"] = { ...((old["status"] as JsonObject) ?? {}), phase: "Terminating" };
  if (opts.dryRun) return { code: 200, body: service.serve(rt, next) };
  const stored = service.store.commit("MODIFIED", rt.storeKey, next);
  return { code: 200, body: service.serve(rt, stored) };
}
