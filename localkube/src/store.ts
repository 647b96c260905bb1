/**
 * The object store: one global resourceVersion counter, per-kind tables, a bounded
 * history of committed events for watch resumption, and list snapshots for pagination.
 * Stored objects are never mutated after commit; readers must clone before changing them.
 */
import { objectKey, type KubeObject } from "./kinds/types.js";

export type EventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  type: EventType;
  rv: number;
  storeKey: string;
  object: KubeObject;
  /** The state before this event (absent for ADDED). */
  previous?: KubeObject;
}

export type StoreListener = (event: StoreEvent) => void;

export interface StoreOptions {
  /** Oldest events are dropped past this many (compaction). */
  historyLimit?: number;
  /** RV to start from (persistence). */
  initialResourceVersion?: number;
  /** Receives exceptions thrown by listeners. */
  onListenerError?: (err: unknown) => void;
}

export class Store {
  private rv: number;
  private readonly tables = new Map<string, Map<string, KubeObject>>();
  private history: StoreEvent[] = [];
  /** Events with rv <= compactedThrough are no longer in history. */
  private compactedThrough: number;
  private readonly listeners = new Set<StoreListener>();
  private readonly historyLimit: number;
  private readonly onListenerError: (err: unknown) => void;

  constructor(options: StoreOptions = {}) {
    this.rv = options.initialResourceVersion ?? 1;
    this.compactedThrough = this.rv;
    this.historyLimit = options.historyLimit ?? 20000;
    this.onListenerError = options.onListenerError ?? (() => undefined);
  }

  get resourceVersion(): number {
    return this.rv;
  }

  get oldestResourceVersion(): number {
    return this.compactedThrough;
  }

  get(storeKey: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.tables.get(storeKey)?.get(objectKey(namespace, name));
  }

  /** Current objects of one store (optionally one namespace), sorted by namespace then name. */
  list(storeKey: string, namespace?: string): KubeObject[] {
    const table = this.tables.get(storeKey);
    if (!table) return [];
    const items = [...table.values()].filter(
      (o) => namespace === undefined || o.metadata.namespace === namespace,
    );
    return items.sort(compareObjects);
  }

  /** Number of objects in a namespace across every store (namespace lifecycle). */
  storesWithNamespace(namespace: string): string[] {
    const keys: string[] = [];
    for (const [key, table] of this.tables) {
      for (const o of table.values()) {
        if (o.metadata.namespace === namespace) {
          keys.push(key);
          break;
        }
      }
    }
    return keys;
  }

  /**
   * Stores an object (ADDED or MODIFIED) or removes it (DELETED), stamping the next
   * resourceVersion on it. Returns the stored object.
   */
  commit(type: EventType, storeKey: string, object: KubeObject): KubeObject {
    const table = this.tables.get(storeKey) ?? new Map<string, KubeObject>();
    this.tables.set(storeKey, table);
    const key = objectKey(object.metadata.namespace, object.metadata.name ?? "");
    const previous = table.get(key);
    this.rv++;
    const stored: KubeObject = {
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(this.rv) },
    };
    if (type === "DELETED") table.delete(key);
    else table.set(key, stored);
    const event: StoreEvent = { type, rv: this.rv, storeKey, object: stored };
    if (previous) event.previous = previous;
    this.record(event);
    return stored;
  }

  /** Loads an object without an event (persistence restore). */
  restore(storeKey: string, object: KubeObject): void {
    const table = this.tables.get(storeKey) ?? new Map<string, KubeObject>();
    this.tables.set(storeKey, table);
    table.set(objectKey(object.metadata.namespace, object.metadata.name ?? ""), object);
    const rv = Number(object.metadata.resourceVersion ?? 0);
    if (rv > this.rv) this.rv = rv;
    this.compactedThrough = this.rv;
  }

  /** Moves the counter forward (persistence restore); history starts empty there. */
  advanceTo(resourceVersion: number): void {
    if (resourceVersion > this.rv) this.rv = resourceVersion;
    this.compactedThrough = this.rv;
  }

  allTables(): Map<string, Map<string, KubeObject>> {
    return this.tables;
  }

  private record(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      const last = dropped[dropped.length - 1];
      if (last) this.compactedThrough = last.rv;
    }
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err) {
        // A broken watcher or controller must not fail the write that was already committed.
        this.onListenerError(err);
      }
    }
  }

  /** Drops every history event: watches from an older RV now get 410 Expired. */
  compact(): void {
    this.history = [];
    this.compactedThrough = this.rv;
  }

  /**
   * Events of one store with rv > since, or undefined when `since` is older than the
   * kept history.
   */
  eventsSince(storeKey: string, since: number): StoreEvent[] | undefined {
    if (since < this.compactedThrough) return undefined;
    return this.history.filter((e) => e.rv > since && e.storeKey === storeKey);
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export function compareObjects(a: KubeObject, b: KubeObject): number {
  const na = a.metadata.namespace ?? "";
  const nb = b.metadata.namespace ?? "";
  if (na !== nb) return na < nb ? -1 : 1;
  const ma = a.metadata.name ?? "";
  const mb = b.metadata.name ?? "";
  return ma < mb ? -1 : ma > mb ? 1 : 0;
}
