// Server-side apply: merges the applied configuration into the live object and keeps field
// ownership in managedFields, following Kubernetes' structured-merge-diff semantics:
//   - the applier owns exactly the fields of its configuration (an "Apply" entry);
//   - changing a field another manager owns is a conflict, unless `force` moves ownership;
//   - a field the applier owned before and now omits is removed, unless another manager owns it;
//   - maps merge key by key; lists follow their list type (atomic by default, set, map).
import type { ApplyConflict } from "./conflicts.js";
import { PatchError } from "./errors.js";
import { FieldSet, comparePaths, pathString, type FieldPath } from "./fieldpath.js";
import { compareObjects, listTypeAt, walkObject, type WalkOptions } from "./field-walk.js";
import { clone, deepEqual, getProp, isObject, parseJsonOr, setProp, type JsonObject } from "./json-value.js";
import {
  decodeManagedFields,
  encodeManagedFields,
  managerId,
  setManagerFields,
  type Manager,
} from "./managed-fields.js";

export interface ServerSideApplyInput extends WalkOptions {
  /** The stored object, or undefined when the apply creates it. */
  live: unknown;
  /** The request body (the applied configuration). */
  applied: unknown;
  manager: string;
  force: boolean;
  /** apiVersion of the request, recorded in the manager's entry. */
  apiVersion: string;
  subresource?: string;
  /** Timestamp for changed managedFields entries (RFC 3339, seconds). */
  now: string;
}

export interface ServerSideApplyResult {
  /** The object to store, managedFields included (the live object, unchanged, when there are conflicts). */
  object: JsonObject;
  /** Empty on success; otherwise nothing was applied (see applyConflictError for the 409). */
  conflicts: ApplyConflict[];
}

/** Merges the applied configuration into `live` per list type. Ignored fields keep their live value. */
function mergeApplied(live: unknown, applied: unknown, names: string[], options: WalkOptions): unknown {
  if (isObject(applied)) {
    const result: JsonObject = isObject(live) ? { ...live } : {};
    for (const [key, value] of Object.entries(applied)) {
      const childNames = [...names, key];
      if (options.ignore?.(childNames)) continue;
      if (value === null) delete result[key];
      else setProp(result, key, mergeApplied(getProp(result, key), value, childNames, options));
    }
    return result;
  }
  if (!Array.isArray(applied)) return clone(applied);
  const type = listTypeAt(names, options);
  if (type.type === "atomic" || !Array.isArray(live)) return clone(applied);
  const result = live.map(clone);
  for (const item of applied) {
    const matches = (existing: unknown): boolean =>
      type.type === "set" || !isObject(item)
        ? deepEqual(existing, item)
        : isObject(existing) && (type.keys ?? []).every((k) => deepEqual(existing[k], item[k]));
    const index = result.findIndex(matches);
    if (index < 0) result.push(mergeApplied(undefined, item, names, options));
    else if (type.type === "map") result[index] = mergeApplied(result[index], item, names, options);
  }
  return result;
}

/** Removes one path (see fieldpath.ts for the element encoding) from an object, in place. */
function removePath(root: JsonObject, path: FieldPath): void {
  let node: unknown = root;
  for (const [i, pe] of path.entries()) {
    const last = i === path.length - 1;
    if (pe.startsWith("f:") && isObject(node)) {
      const key = pe.slice(2);
      if (last) delete node[key];
      else node = getProp(node, key);
    } else if (Array.isArray(node)) {
      const index = node.findIndex((item) => itemMatches(item, pe));
      if (index < 0) return;
      if (last) node.splice(index, 1);
      else node = node[index];
    } else return;
  }
}

function itemMatches(item: unknown, pe: string): boolean {
  const body = pe.slice(2);
  const NONE = Symbol("malformed");
  if (pe.startsWith("v:")) {
    const value = parseJsonOr(body, NONE);
    return value !== NONE && deepEqual(item, value);
  }
  if (pe.startsWith("k:")) {
    const key = parseJsonOr(body, undefined);
    return isObject(key) && isObject(item) && Object.entries(key).every(([k, v]) => deepEqual(item[k], v));
  }
  return false;
}

function conflictsOf(others: Manager[], changed: FieldSet): Array<{ manager: Manager; paths: FieldPath[] }> {
  return others
    .map((manager) => ({ manager, paths: manager.set.intersection(changed).paths().sort(comparePaths) }))
    .filter((c) => c.paths.length > 0);
}

function toApplyConflicts(found: Array<{ manager: Manager; paths: FieldPath[] }>): ApplyConflict[] {
  return found.flatMap(({ manager, paths }) =>
    paths.map((path) => ({
      manager: manager.manager,
      operation: manager.operation,
      apiVersion: manager.apiVersion,
      ...(manager.subresource ? { subresource: manager.subresource } : {}),
      field: pathString(path),
    })),
  );
}

function withManagedFields(obj: JsonObject, managers: Manager[]): JsonObject {
  const metadata = isObject(obj["metadata"]) ? { ...obj["metadata"] } : {};
  metadata["managedFields"] = encodeManagedFields(managers);
  return { ...obj, metadata };
}

function changedBesidesManagedFields(live: JsonObject, merged: JsonObject): boolean {
  const strip = (obj: JsonObject): JsonObject => {
    const metadata = isObject(obj["metadata"]) ? { ...obj["metadata"] } : {};
    delete metadata["managedFields"];
    return { ...obj, metadata };
  };
  return !deepEqual(strip(live), strip(merged));
}

/** Fields the applier dropped: removed from the object unless another manager owns them (or anything below them). */
function prune(merged: JsonObject, dropped: FieldSet, others: Manager[]): void {
  // Parents first: removing an item takes its fields with it, and its key is still intact.
  const paths = dropped.paths().sort((a, b) => a.length - b.length);
  for (const path of paths) {
    if (!others.some((m) => m.set.hasPrefix(path))) removePath(merged, path);
  }
}

/**
 * Applies `applied` as `manager`. On conflicts (and no force) returns them with the live object
 * unchanged; the server answers 409 with `applyConflictError(conflicts)`.
 * Throws PatchError 422 when the manager is empty (Kubernetes requires fieldManager for apply).
 */
export function serverSideApply(input: ServerSideApplyInput): ServerSideApplyResult {
  if (!input.manager) {
    throw new PatchError(
      422,
      "Invalid",
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply requests',
    );
  }
  if (!isObject(input.applied))
    throw new PatchError(400, "BadRequest", "the applied configuration must be an object");
  const live = isObject(input.live) ? input.live : {};
  const who = {
    manager: input.manager,
    operation: "Apply" as const,
    apiVersion: input.apiVersion,
    subresource: input.subresource,
  };
  const id = managerId(who);
  const managers = decodeManagedFields(
    isObject(live["metadata"]) ? live["metadata"]["managedFields"] : undefined,
  );
  // A deep copy first: pruning edits `merged` in place and must never reach the caller's object.
  const merged = mergeApplied(clone(live), input.applied, [], input) as JsonObject;
  const liveWalk = walkObject(live, input);
  const change = compareObjects(liveWalk, walkObject(merged, input));
  const others = managers.filter((m) => managerId(m) !== id);
  const found = conflictsOf(others, change.modified.union(change.added));
  if (found.length > 0 && !input.force) return { object: clone(live), conflicts: toApplyConflicts(found) };

  const appliedSet = walkObject(input.applied, input).members;
  const previous = managers.find((m) => managerId(m) === id)?.set ?? new FieldSet();
  const remaining = others.map((m) => {
    const lost = found.find((c) => c.manager === m);
    return lost ? { ...m, set: m.set.difference(FieldSet.of(lost.paths)) } : m;
  });
  prune(merged, previous.difference(appliedSet), remaining);
  const removed = compareObjects(liveWalk, walkObject(merged, input)).removed;
  let next = remaining.map((m) => ({ ...m, set: m.set.difference(removed) }));
  const ownIndex = managers.findIndex((m) => managerId(m) === id);
  if (ownIndex >= 0) next = [...next, managers[ownIndex] as Manager];
  next = setManagerFields(next, who, appliedSet, input.now, changedBesidesManagedFields(live, merged));
  return { object: withManagedFields(merged, next), conflicts: [] };
}
