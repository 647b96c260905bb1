// Walks an object and lists its field paths the way server-side apply sees them.
//   - "members": what applying this object claims: scalars, atomic lists, list items, empty maps.
//     Non-empty maps are not members themselves (struct-like), only their fields are.
//   - "nodes": every path with its value, used to diff two objects (added / removed / modified).
// List fields follow `listTypes` (atomic when unknown), with ObjectMeta's own list types built in.
// Fields the API server never tracks (apiVersion, kind, metadata.name, uid, resourceVersion, ...)
// are skipped, as are paths the caller ignores (e.g. `status` on the main endpoint).
import { FieldSet, fieldElement, keyElement, valueElement, type FieldPath } from "./fieldpath.js";
import { deepEqual, isObject, type JsonObject } from "./json-value.js";

export interface ListType {
  type: "atomic" | "set" | "map";
  keys?: string[];
}
/** The list type of the list field at a path of field names (list items add no segment). */
export type ListTypes = (path: string[]) => ListType | undefined;
/** True for field-name paths whose ownership is not tracked (and that apply does not change). */
export type IgnorePath = (path: string[]) => boolean;

const STRIPPED = new Set([
  "apiVersion",
  "kind",
  "metadata.name",
  "metadata.namespace",
  "metadata.creationTimestamp",
  "metadata.selfLink",
  "metadata.uid",
  "metadata.clusterName",
  "metadata.generation",
  "metadata.managedFields",
  "metadata.resourceVersion",
]);

const BUILT_IN_LISTS: Record<string, ListType> = {
  "metadata.finalizers": { type: "set" },
  "metadata.ownerReferences": { type: "map", keys: ["uid"] },
};

export interface WalkOptions {
  listTypes?: ListTypes;
  ignore?: IgnorePath;
}

/** Whether the field at this name path is left out of ownership entirely (never tracked). */
export function isUntracked(names: string[], options: WalkOptions): boolean {
  return STRIPPED.has(names.join(".")) || (options.ignore?.(names) ?? false);
}

export function listTypeAt(names: string[], options: WalkOptions): ListType {
  const dotted = names.join(".");
  return (
    options.listTypes?.(names) ??
    (Object.hasOwn(BUILT_IN_LISTS, dotted) ? BUILT_IN_LISTS[dotted] : undefined) ?? { type: "atomic" }
  );
}

export interface Node {
  path: FieldPath;
  /** True for scalars, atomic lists, set items and empty maps; false for containers. */
  leaf: boolean;
  /** The value of a leaf; undefined for containers. */
  value: unknown;
}

export interface Walk {
  members: FieldSet;
  nodes: Map<string, Node>;
}

class Walker {
  readonly members = new FieldSet();
  readonly nodes = new Map<string, Node>();
  constructor(private readonly options: WalkOptions) {}

  private record(path: FieldPath, leaf: boolean, value: unknown, member: boolean): void {
    this.nodes.set(JSON.stringify(path), { path, leaf, value });
    if (member) this.members.insert(path);
  }

  map(obj: JsonObject, path: FieldPath, names: string[]): void {
    for (const [key, value] of Object.entries(obj)) {
      const childNames = [...names, key];
      if (isUntracked(childNames, this.options)) continue;
      // The bare `metadata` node is stripped too; its fields are still walked.
      const recordSelf = !(childNames.length === 1 && key === "metadata");
      this.value(value, [...path, fieldElement(key)], childNames, recordSelf);
    }
  }

  value(value: unknown, path: FieldPath, names: string[], recordSelf = true): void {
    if (value === null || value === undefined) return; // a null field is absent once stored
    if (isObject(value)) {
      const empty = Object.keys(value).length === 0;
      if (recordSelf) this.record(path, empty, empty ? {} : undefined, empty);
      this.map(value, path, names);
    } else if (Array.isArray(value)) this.list(value, path, names);
    else this.record(path, true, value, true);
  }

  private list(items: unknown[], path: FieldPath, names: string[]): void {
    const type = listTypeAt(names, this.options);
    if (type.type === "atomic" || items.length === 0) {
      // An empty set or map list claims nothing (there are no items to own).
      this.record(path, true, items, type.type === "atomic");
      return;
    }
    this.record(path, false, undefined, false);
    for (const item of items) {
      if (type.type === "set" || !isObject(item)) {
        this.record([...path, valueElement(item)], true, item, true);
      } else {
        const itemPath = [...path, keyElement(item, type.keys ?? [])];
        this.record(itemPath, false, undefined, true);
        this.map(item, itemPath, names);
      }
    }
  }
}

/** Lists the members and nodes of an object (see the file comment). */
export function walkObject(obj: unknown, options: WalkOptions): Walk {
  const walker = new Walker(options);
  if (isObject(obj)) walker.map(obj, [], []);
  return { members: walker.members, nodes: walker.nodes };
}

export interface Comparison {
  added: FieldSet;
  removed: FieldSet;
  modified: FieldSet;
}

/** What changed between two objects, path by path. */
export function compareObjects(before: Walk, after: Walk): Comparison {
  const added = new FieldSet();
  const removed = new FieldSet();
  const modified = new FieldSet();
  for (const [key, node] of after.nodes) {
    const old = before.nodes.get(key);
    if (!old) added.insert(node.path);
    else if (old.leaf !== node.leaf || (node.leaf && !deepEqual(old.value, node.value))) {
      modified.insert(node.path);
    }
  }
  for (const [key, node] of before.nodes) if (!after.nodes.has(key)) removed.insert(node.path);
  return { added, removed, modified };
}
