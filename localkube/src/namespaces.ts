/**
 * Namespace lifecycle: the built-in namespaces exist at start; a namespace being deleted
 * (phase Terminating) is emptied, then its "kubernetes" finalizer is removed and it is gone.
 */
import type { ResourceRegistry } from "./kinds/registry.js";
import type { KubeObject } from "./kinds/types.js";
import { deleteObject } from "./objects/deletion.js";
import { DEFAULT_WRITE, type ObjectService } from "./objects/service.js";
import { TaskScheduler } from "./scheduler.js";
import type { Store, StoreEvent } from "./store.js";

export const INITIAL_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

export class NamespaceController {
  private readonly scheduler: TaskScheduler;

  constructor(
    private readonly store: Store,
    private readonly registry: ResourceRegistry,
    private readonly service: ObjectService,
    onError: (err: unknown) => void,
  ) {
    this.scheduler = new TaskScheduler(onError);
  }

  ensureInitialNamespaces(): void {
    const rt = this.registry.find("", "v1", "namespaces");
    if (!rt) return;
    for (const name of INITIAL_NAMESPACES)
      if (!this.store.get("/namespaces", undefined, name))
        this.service.create(rt, undefined, { metadata: { name } }, DEFAULT_WRITE);
  }

  start(): () => void {
    const unsubscribe = this.store.subscribe((ev) => this.onEvent(ev));
    for (const ns of this.store.list("/namespaces"))
      if (ns.metadata.deletionTimestamp) this.schedule(ns.metadata.name ?? "", 0);
    return () => {
      unsubscribe();
      this.scheduler.stop();
    };
  }

  private onEvent(ev: StoreEvent): void {
    if (ev.storeKey === "/namespaces" && ev.type === "MODIFIED" && ev.object.metadata.deletionTimestamp)
      this.schedule(ev.object.metadata.name ?? "", 0);
  }

  private schedule(name: string, delayMs: number): void {
    this.scheduler.run(() => this.reconcile(name), delayMs);
  }

  private reconcile(name: string): void {
    const ns = this.store.get("/namespaces", undefined, name);
    if (!ns?.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const [storeKey, rt] of this.registry.storeKeys()) {
      if (!rt.namespaced) continue;
      for (const obj of this.store.list(storeKey, name)) {
        remaining++;
        if (!obj.metadata.deletionTimestamp)
          deleteObject(this.service, rt, name, obj.metadata.name ?? "", {}, DEFAULT_WRITE);
      }
    }
    if (remaining > 0 && this.store.storesWithNamespace(name).length > 0) {
      this.schedule(name, 100);
      return;
    }
    this.finalize(ns);
  }

  /** Drops spec.finalizers; with no metadata finalizers left the namespace is removed. */
  private finalize(ns: KubeObject): void {
    const next = structuredClone(ns);
    next["spec"] = { ...((ns["spec"] as object | undefined) ?? {}), finalizers: [] };
    if ((next.metadata.finalizers ?? []).length === 0) this.store.commit("DELETED", "/namespaces", next);
    else this.store.commit("MODIFIED", "/namespaces", next);
  }
}
