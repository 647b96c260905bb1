/**
 * A minimal garbage collector: dependents whose owners (ownerReferences by uid) are all gone
 * are deleted in the background; an owner deleted with propagationPolicy Foreground
 * ("foregroundDeletion" finalizer) first has its dependents deleted, and one deleted with
 * Orphan ("orphan" finalizer) has its references removed from them. Passes are batched.
 */
import type { ResourceRegistry } from "./kinds/registry.js";
import type { JsonObject, KubeObject, ResourceType } from "./kinds/types.js";
import { deleteObject } from "./objects/deletion.js";
import { DEFAULT_WRITE, type ObjectService } from "./objects/service.js";
import { TaskScheduler } from "./scheduler.js";
import type { Store, StoreEvent } from "./store.js";

export const FOREGROUND = "foregroundDeletion";
export const ORPHAN = "orphan";

interface Entry {
  rt: ResourceType;
  object: KubeObject;
}

function ownerUids(obj: KubeObject): string[] {
  return (obj.metadata.ownerReferences ?? []).map((r) => String((r as JsonObject)["uid"] ?? ""));
}

export class GarbageCollector {
  private pending = false;
  private readonly scheduler: TaskScheduler;

  constructor(
    private readonly store: Store,
    private readonly registry: ResourceRegistry,
    private readonly service: ObjectService,
    onError: (err: unknown) => void,
  ) {
    this.scheduler = new TaskScheduler(onError);
  }

  start(): () => void {
    const unsubscribe = this.store.subscribe((ev) => this.onEvent(ev));
    return () => {
      unsubscribe();
      this.scheduler.stop();
    };
  }

  private onEvent(ev: StoreEvent): void {
    const deleting = ev.object.metadata.deletionTimestamp !== undefined;
    if (
      ev.type === "DELETED" ||
      (deleting && (ev.object.metadata.finalizers ?? []).some((f) => f === FOREGROUND || f === ORPHAN))
    )
      this.schedule();
  }

  /** Batches passes: at most one is pending at a time. */
  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    this.scheduler.run(() => {
      this.pending = false;
      this.pass();
    }, 10);
  }

  private everything(): Entry[] {
    const out: Entry[] = [];
    for (const [storeKey, rt] of this.registry.storeKeys())
      for (const object of this.store.list(storeKey)) out.push({ rt, object });
    return out;
  }

  /** One sweep over all objects; schedules another when it changed anything. */
  private pass(): void {
    const all = this.everything();
    const byUid = new Map(all.map((e) => [e.object.metadata.uid ?? "", e]));
    const referenced = new Set<string>();
    let changed = false;
    for (const { rt, object } of all) {
      const owners = ownerUids(object);
      if (owners.length === 0) continue;
      owners.forEach((uid) => referenced.add(uid));
      const orphaning = owners.filter((uid) => byUid.get(uid)?.object.metadata.finalizers?.includes(ORPHAN));
      if (orphaning.length > 0) {
        this.dropOwners(rt, object, new Set(orphaning));
        changed = true;
        continue;
      }
      const gone = owners.every((uid) => !byUid.has(uid));
      const foreground = owners.some((uid) =>
        byUid.get(uid)?.object.metadata.finalizers?.includes(FOREGROUND),
      );
      if ((gone || foreground) && !object.metadata.deletionTimestamp) {
        deleteObject(
          this.service,
          rt,
          object.metadata.namespace,
          object.metadata.name ?? "",
          {},
          DEFAULT_WRITE,
        );
        changed = true;
      }
    }
    for (const { rt, object } of all) {
      const finalizers = object.metadata.finalizers ?? [];
      if (!object.metadata.deletionTimestamp || referenced.has(object.metadata.uid ?? "")) continue;
      if (finalizers.includes(FOREGROUND) || finalizers.includes(ORPHAN)) {
        this.removeFinalizers(rt, object);
        changed = true;
      }
    }
    if (changed) this.schedule();
  }

  private dropOwners(rt: ResourceType, object: KubeObject, uids: Set<string>): void {
    const refs = (object.metadata.ownerReferences ?? []).filter(
      (r) => !uids.has(String((r as JsonObject)["uid"])),
    );
    const next = { ...object, metadata: { ...object.metadata, ownerReferences: refs } };
    this.service.replace(rt, object, next, DEFAULT_WRITE);
  }

  private removeFinalizers(rt: ResourceType, object: KubeObject): void {
    const finalizers = (object.metadata.finalizers ?? []).filter((f) => f !== FOREGROUND && f !== ORPHAN);
    this.service.replace(
      rt,
      object,
      { ...object, metadata: { ...object.metadata, finalizers } },
      DEFAULT_WRITE,
    );
  }
}
