// metadata.managedFields: decoding, encoding and the bookkeeping for ordinary writes
// (create / update / patch), which record an "Update" entry for the writing manager.
import { FieldSet, fromFieldsV1, toFieldsV1 } from "./fieldpath.js";
import { compareObjects, walkObject, type WalkOptions } from "./field-walk.js";
import { isObject, type JsonObject } from "./json-value.js";

export type Operation = "Apply" | "Update";

export interface ManagedFieldsEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time?: string;
  fieldsType: "FieldsV1";
  fieldsV1: JsonObject;
  subresource?: string;
}

/** One manager as the field manager sees it: identity, metadata and the owned set. */
export interface Manager {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}

/**
 * The identity of a manager. Like Kubernetes, appliers are one manager whatever apiVersion they
 * used; updaters are distinct per apiVersion.
 */
export function managerId(m: Pick<Manager, "manager" | "operation" | "apiVersion" | "subresource">): string {
  const id: Record<string, string> = { manager: m.manager, operation: m.operation };
  if (m.operation === "Update") id["apiVersion"] = m.apiVersion;
  if (m.subresource) id["subresource"] = m.subresource;
  return JSON.stringify(id);
}

/** Reads managedFields entries; malformed entries (no manager, unknown operation) are dropped. */
export function decodeManagedFields(entries: unknown): Manager[] {
  if (!Array.isArray(entries)) return [];
  const managers: Manager[] = [];
  for (const entry of entries) {
    if (!isObject(entry) || typeof entry["manager"] !== "string" || entry["manager"] === "") continue;
    const operation = entry["operation"];
    if (operation !== "Apply" && operation !== "Update") continue;
    const m: Manager = {
      manager: entry["manager"],
      operation,
      apiVersion: typeof entry["apiVersion"] === "string" ? entry["apiVersion"] : "",
      set: fromFieldsV1(entry["fieldsV1"]),
    };
    if (typeof entry["time"] === "string") m.time = entry["time"];
    if (typeof entry["subresource"] === "string" && entry["subresource"] !== "")
      m.subresource = entry["subresource"];
    managers.push(m);
  }
  return managers;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Entries in Kubernetes' order (operation, time, manager, apiVersion, subresource); empty sets dropped. */
export function encodeManagedFields(managers: Manager[]): ManagedFieldsEntry[] {
  const sorted = managers
    .filter((m) => m.set.size > 0)
    .sort(
      (p, q) =>
        compareText(p.operation, q.operation) ||
        compareText(p.time ?? "", q.time ?? "") ||
        compareText(p.manager, q.manager) ||
        compareText(p.apiVersion, q.apiVersion) ||
        compareText(p.subresource ?? "", q.subresource ?? ""),
    );
  // Key order as Kubernetes serialises an entry.
  return sorted.map((m) => ({
    manager: m.manager,
    operation: m.operation,
    apiVersion: m.apiVersion,
    ...(m.time !== undefined ? { time: m.time } : {}),
    fieldsType: "FieldsV1",
    fieldsV1: toFieldsV1(m.set),
    ...(m.subresource ? { subresource: m.subresource } : {}),
  }));
}

/**
 * Replaces (or adds) the set of one manager. Its time becomes `now` when the operation changed
 * the object (`touched`) or the manager's set; otherwise the entry stays exactly as it was.
 */
export function setManagerFields(
  managers: Manager[],
  who: Omit<Manager, "set" | "time">,
  set: FieldSet,
  now: string,
  touched: boolean,
): Manager[] {
  const id = managerId(who);
  const existing = managers.find((m) => managerId(m) === id);
  if (existing && !touched && existing.set.equals(set)) return managers;
  const updated: Manager = { ...who, set, time: now };
  if (who.subresource === undefined) delete updated.subresource;
  return existing ? managers.map((m) => (m === existing ? updated : m)) : [...managers, updated];
}

/**
 * The field manager name of a request: the `fieldManager` parameter, else the User-Agent up to
 * the first "/" (client-node sends "node-fetch/...", kubectl names its managers explicitly).
 */
export function managerName(fieldManager: string | undefined, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  return (userAgent ?? "").split("/")[0] ?? "";
}

export interface UpdateManagedFieldsInput extends WalkOptions {
  /** The stored object before the write; undefined on create. */
  old: unknown;
  /** The object about to be stored. */
  updated: unknown;
  manager: string;
  operation: "Update";
  apiVersion: string;
  subresource?: string;
  now: string;
}

/** The managers recorded on the stored object, or those the request sent to replace them. */
function startingManagers(old: unknown, updated: unknown): Manager[] {
  const sent =
    isObject(updated) && isObject(updated["metadata"]) ? updated["metadata"]["managedFields"] : undefined;
  if (Array.isArray(sent) && sent.length > 0) return decodeManagedFields(sent);
  return decodeManagedFields(
    isObject(old) && isObject(old["metadata"]) ? old["metadata"]["managedFields"] : undefined,
  );
}

/**
 * managedFields for an ordinary write: the writer owns every field it added or changed; those
 * fields leave every other manager's set, and removed fields leave every set.
 */
export function updateManagedFields(input: UpdateManagedFieldsInput): ManagedFieldsEntry[] {
  const before = walkObject(input.old, input);
  const after = walkObject(input.updated, input);
  const { added, removed, modified } = compareObjects(before, after);
  const taken = added.union(modified);
  const who = {
    manager: input.manager,
    operation: input.operation,
    apiVersion: input.apiVersion,
    subresource: input.subresource,
  };
  const id = managerId(who);
  let managers = startingManagers(input.old, input.updated).map((m) =>
    managerId(m) === id ? m : { ...m, set: m.set.difference(removed).difference(modified) },
  );
  const own = managers.find((m) => managerId(m) === id)?.set ?? new FieldSet();
  managers = setManagerFields(managers, who, own.union(taken).difference(removed), input.now, taken.size > 0);
  return encodeManagedFields(managers);
}
