import { objectKey, type KubeObject } from "../kube/resource.js";

/** Maps an object to the index values it is filed under (e.g. its owner's key, a label value). */
export type IndexFunc<T> = (obj: T) => string[];

/** A change `replaceAll` or `upsert`/`remove` made, for the informer to announce. */
export type StoreChange<T> =
  { type: "added"; obj: T } | { type: "updated"; old: T; obj: T } | { type: "deleted"; obj: T };

/**
 * The informer's cache: objects by key ("ns/name") plus secondary indexes kept in step on every
 * write. Readers must treat returned objects as read-only (they are the cached instances).
 */
export class Store<T extends KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(private readonly indexers: Record<string, IndexFunc<T>> = {}) {
    for (const name of Object.keys(indexers)) this.indices.set(name, new Map());
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  /** Objects filed under `value` in index `indexName`; throws on an unknown index. */
  byIndex(indexName: string, value: string): T[] {
    return this.indexKeys(indexName, value).map((key) => this.items.get(key)!);
  }

  /** Keys filed under `value` in index `indexName`. */
  indexKeys(indexName: string, value: string): string[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`store has no index "${indexName}"`);
    return [...(index.get(value) ?? [])];
  }

  upsert(obj: T): StoreChange<T> {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    this.index(key, obj);
    return old ? { type: "updated", old, obj } : { type: "added", obj };
  }

  remove(key: string): StoreChange<T> | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return { type: "deleted", obj: old };
  }

  /**
   * Replaces the whole content with a fresh list (after a relist) and returns what changed:
   * objects that disappeared are "deleted", objects whose resourceVersion changed are "updated".
   */
  replaceAll(objs: T[]): StoreChange<T>[] {
    const changes: StoreChange<T>[] = [];
    const fresh = new Set<string>();
    for (const obj of objs) {
      const key = objectKey(obj);
      fresh.add(key);
      const old = this.items.get(key);
      if (old && old.metadata?.resourceVersion === obj.metadata?.resourceVersion) continue;
      changes.push(this.upsert(obj));
    }
    for (const key of this.keys()) {
      if (fresh.has(key)) continue;
      const change = this.remove(key);
      if (change) changes.push(change);
    }
    return changes;
  }

  private index(key: string, obj: T): void {
    for (const [name, fn] of Object.entries(this.indexers)) {
      const index = this.indices.get(name)!;
      for (const value of new Set(fn(obj))) {
        let keys = index.get(value);
        if (!keys) index.set(value, (keys = new Set()));
        keys.add(key);
      }
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of Object.entries(this.indexers)) {
      const index = this.indices.get(name)!;
      for (const value of fn(obj)) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
    }
  }
}

/** Index by the value of one label (objects without it are not indexed). */
export function byLabel<T extends KubeObject>(label: string): IndexFunc<T> {
  return (obj) => {
    const value = obj.metadata?.labels?.[label];
    return value === undefined ? [] : [value];
  };
}

/** Index by a string (or string-array) field picked out by `pick`, e.g. `o => o.spec.userRef`. */
export function byField<T extends KubeObject>(pick: (obj: T) => string | string[] | undefined): IndexFunc<T> {
  return (obj) => {
    const value = pick(obj);
    if (value === undefined) return [];
    return Array.isArray(value) ? value : [value];
  };
}
