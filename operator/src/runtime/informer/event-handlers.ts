import { objectKey, type KubeObject } from "../kube/resource.js";
import type { EventHandler } from "./informer.js";

/** Where handlers put keys: usually `controller.enqueue`. */
export type Enqueue = (key: string) => void;

/**
 * A handler that enqueues the keys `toKeys` maps each changed object to, for add, update and
 * delete alike (a reconcile re-reads the world; it never branches on the event type). On update
 * the keys of both the old and the new object are enqueued, so a moved reference reaches both.
 * `filter`, when given, drops events whose objects do not matter (both sides for updates).
 */
export function enqueueKeys<T extends KubeObject>(
  enqueue: Enqueue,
  toKeys: (obj: T) => string[],
  filter?: (obj: T) => boolean,
): EventHandler<T> {
  const push = (obj: T): void => {
    if (filter && !filter(obj)) return;
    for (const key of toKeys(obj)) enqueue(key);
  };
  return {
    onAdd: push,
    onUpdate: (old, obj) => {
      const keys = new Set<string>();
      for (const o of [old, obj]) if (!filter || filter(o)) toKeys(o).forEach((k) => keys.add(k));
      keys.forEach(enqueue);
    },
    onDelete: push,
  };
}

/** The primary handler: an object's own key. */
export function enqueueObject<T extends KubeObject>(
  enqueue: Enqueue,
  filter?: (obj: T) => boolean,
): EventHandler<T> {
  return enqueueKeys<T>(enqueue, (obj) => [objectKey(obj)], filter);
}

/**
 * For a secondary object: the keys of its owners of `ownerKind` (from ownerReferences, same
 * namespace), so a change to an owned object reconciles its owner.
 */
export function enqueueOwners<T extends KubeObject>(enqueue: Enqueue, ownerKind: string): EventHandler<T> {
  return enqueueKeys<T>(enqueue, (obj) => ownerKeys(obj, ownerKind));
}

export function ownerKeys(obj: KubeObject, ownerKind: string): string[] {
  const ns = obj.metadata?.namespace;
  return (obj.metadata?.ownerReferences ?? [])
    .filter((ref) => ref.kind === ownerKind)
    .map((ref) => (ns ? `${ns}/${ref.name}` : ref.name));
}

/** Keeps only updates where metadata.generation changed (spec edits), plus all adds and deletes. */
export function generationChanged<T extends KubeObject>(handler: EventHandler<T>): EventHandler<T> {
  return {
    ...handler,
    onUpdate: (old, obj) => {
      if (old.metadata?.generation !== obj.metadata?.generation) handler.onUpdate?.(old, obj);
    },
  };
}
