// Field paths and field sets in the FieldsV1 format of managedFields.
// A path is a list of path elements, each encoded as FieldsV1 does:
//   f:<field>   a field of a map            k:{"name":"x"}  an item of a list-map (keys sorted)
//   v:<json>    an item of a list-set       i:<n>           an item of an atomic-less list by index
// A FieldSet holds the paths a manager owns ("members"). FieldsV1 JSON nests path elements and
// marks a member that also has children with a "." key: {"f:spec":{".":{},"f:size":{}}}.
import { isObject, parseJsonOr, type JsonObject } from "./json-value.js";

export type PathElement = string;
export type FieldPath = PathElement[];

export const fieldElement = (name: string): PathElement => `f:${name}`;
export const valueElement = (value: unknown): PathElement => `v:${JSON.stringify(value)}`;

/** `k:{...}` with the key fields in sorted order, so equal keys always encode the same way. */
export function keyElement(item: JsonObject, keys: string[]): PathElement {
  const fields: JsonObject = {};
  for (const key of [...keys].sort()) if (Object.hasOwn(item, key)) fields[key] = item[key];
  return `k:${JSON.stringify(fields)}`;
}

/** An immutable-by-convention set of field paths. */
export class FieldSet {
  private readonly members = new Map<string, FieldPath>();

  static of(paths: Iterable<FieldPath>): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.insert(path);
    return set;
  }

  insert(path: FieldPath): void {
    this.members.set(JSON.stringify(path), path);
  }

  has(path: FieldPath): boolean {
    return this.members.has(JSON.stringify(path));
  }

  get size(): number {
    return this.members.size;
  }

  paths(): FieldPath[] {
    return [...this.members.values()];
  }

  union(other: FieldSet): FieldSet {
    return FieldSet.of([...this.paths(), ...other.paths()]);
  }

  difference(other: FieldSet): FieldSet {
    return FieldSet.of(this.paths().filter((p) => !other.has(p)));
  }

  intersection(other: FieldSet): FieldSet {
    return FieldSet.of(this.paths().filter((p) => other.has(p)));
  }

  equals(other: FieldSet): boolean {
    return this.size === other.size && this.paths().every((p) => other.has(p));
  }

  /** True when some member is `path` itself or lies below it. */
  hasPrefix(path: FieldPath): boolean {
    return this.paths().some((p) => p.length >= path.length && path.every((pe, i) => p[i] === pe));
  }
}

const ORDER = "fkvi";
/** Field elements before keys, values and indexes; then by text; members before their children. */
export function comparePaths(a: FieldPath, b: FieldPath): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] ?? "";
    const y = b[i] ?? "";
    if (x === y) continue;
    const byType = ORDER.indexOf(x[0] ?? "") - ORDER.indexOf(y[0] ?? "");
    return byType !== 0 ? byType : x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** FieldsV1 JSON for a set. Keys are sorted, "." first. */
export function toFieldsV1(set: FieldSet): JsonObject {
  const root: JsonObject = {};
  for (const path of set.paths()) {
    let node = root;
    for (const pe of path) {
      if (!isObject(node[pe])) node[pe] = {};
      node = node[pe] as JsonObject;
    }
    node["."] = {};
  }
  return normalise(root);
}

/** Drops "." from leaves (a leaf member is just `{}`) and sorts keys. */
function normalise(node: JsonObject): JsonObject {
  const keys = Object.keys(node).filter((k) => k !== ".");
  if (keys.length === 0) return {};
  const out: JsonObject = Object.hasOwn(node, ".") ? { ".": {} } : {};
  for (const key of keys.sort()) out[key] = normalise(node[key] as JsonObject);
  return out;
}

/** Parses FieldsV1 JSON into a set; anything malformed is ignored. */
export function fromFieldsV1(fields: unknown): FieldSet {
  const set = new FieldSet();
  const visit = (node: unknown, path: FieldPath): void => {
    if (!isObject(node)) return;
    const children = Object.keys(node).filter((k) => k !== ".");
    if (path.length > 0 && (children.length === 0 || Object.hasOwn(node, "."))) set.insert(path);
    for (const child of children) visit(node[child], [...path, child]);
  };
  visit(fields, []);
  return set;
}

/** The path as Kubernetes prints it in conflict messages: `.spec.containers[name="x"].image`, `[="a"]`, `[0]`. */
export function pathString(path: FieldPath): string {
  return path
    .map((pe) => {
      const body = pe.slice(2);
      switch (pe[0]) {
        case "f":
          return `.${body}`;
        case "v":
          return `[=${body}]`;
        case "i":
          return `[${body}]`;
        case "k": {
          const key = parseJsonOr(body, undefined);
          if (!isObject(key)) return `[${body}]`;
          return `[${Object.entries(key)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(",")}]`;
        }
        default:
          return pe;
      }
    })
    .join("");
}
