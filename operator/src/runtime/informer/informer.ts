import type { Logger } from "pino";
import { Backoff } from "../backoff.js";
import { realClock, sleep, type Clock, type TimerHandle } from "../clock.js";
import { isGone, type KubeClient } from "../kube/client.js";
import { resourcePath, type KubeObject, type ResourceType } from "../kube/resource.js";
import { Store, type IndexFunc, type StoreChange } from "./store.js";

/** Called for every change the cache sees. Handlers should only enqueue keys. */
export interface EventHandler<T> {
  onAdd?(obj: T): void;
  onUpdate?(old: T, obj: T): void;
  onDelete?(obj: T): void;
}

export interface InformerOptions<T extends KubeObject> {
  client: KubeClient;
  type: ResourceType;
  logger: Logger;
  /** Watch one namespace; omit for all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  indexers?: Record<string, IndexFunc<T>>;
  clock?: Clock;
  /** Restart backoff after errors: initial and cap in ms (defaults 800 ms → 30 s). */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Server-side watch timeout; a random value in [min, 2·min) seconds per watch (default 300). */
  watchTimeoutSeconds?: number;
  /**
   * When set, every cached object is re-announced as an update (old === new) this often, so keys
   * whose last reconcile ended without a requeue (terminal errors) are looked at again.
   */
  resyncPeriodMs?: number;
  /**
   * Applied to every object before it is cached and announced, after slimForCache: keep only what
   * the controllers read (e.g. a digest in place of a large field only ever compared).
   */
  transform?: (obj: T) => T;
}

/** How a watch ended; `closed.idle` = it closed quickly without delivering anything (do not spin). */
type WatchEnd = { kind: "closed"; idle?: boolean } | { kind: "gone" } | { kind: "error"; error: unknown };

interface WatchEvent {
  type: string;
  object: KubeObject & { code?: number; message?: string };
}

/**
 * A list+watch cache of one resource type that never gives up:
 * - lists (paged), replaces the cache, then watches from the list's resourceVersion;
 * - a watch that ends cleanly is resumed from the last seen resourceVersion (bookmarks included);
 * - 410 Gone (as an HTTP status or an ERROR event) triggers a relist, whose differences against
 *   the cache are announced as add/update/delete so no change is lost;
 * - any other failure restarts the watch after a capped exponential backoff;
 * - `metadata.managedFields` is stripped before caching.
 * `hasSynced()` turns true after the first complete list and stays true.
 */
export class Informer<T extends KubeObject> {
  readonly store: Store<T>;
  private readonly options: InformerOptions<T>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly handlers: EventHandler<T>[] = [];
  private readonly stopSignal = new AbortController();
  private readonly backoff: Backoff;
  private readonly syncWaiters: Array<() => void> = [];
  private resourceVersion: string | undefined;
  private synced = false;
  private running: Promise<void> | undefined;
  private resyncTimer: TimerHandle | undefined;
  private activeWatch: AbortController | undefined;

  constructor(options: InformerOptions<T>) {
    this.options = options;
    this.clock = options.clock ?? realClock;
    this.logger = options.logger.child({ informer: options.type.resource });
    this.store = new Store<T>(options.indexers);
    this.backoff = new Backoff(options.backoffInitialMs ?? 800, options.backoffMaxMs ?? 30_000);
  }

  addEventHandler(handler: EventHandler<T>): void {
    this.handlers.push(handler);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list has been cached; rejects if `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(signal?.reason as Error);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.syncWaiters.push(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      });
    });
  }

  /** Starts the list/watch loop in the background; call once. */
  start(): void {
    if (this.running) throw new Error("informer already started");
    this.running = this.run();
    this.scheduleResync();
  }

  async stop(): Promise<void> {
    this.stopSignal.abort(new Error("informer stopped"));
    this.resyncTimer?.cancel();
    this.activeWatch?.abort();
    await this.running;
  }

  /** The resourceVersion the next watch resumes from (undefined = next step is a relist). */
  lastResourceVersion(): string | undefined {
    return this.resourceVersion;
  }

  private scheduleResync(): void {
    const period = this.options.resyncPeriodMs;
    if (!period || this.stopped) return;
    this.resyncTimer = this.clock.setTimer(() => {
      if (this.synced) for (const obj of this.store.list()) this.announce({ type: "updated", old: obj, obj });
      this.scheduleResync();
    }, period);
  }

  private get stopped(): boolean {
    return this.stopSignal.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.resourceVersion === undefined) await this.relist();
        const end = await this.watchOnce(this.resourceVersion!);
        await this.afterWatch(end);
      } catch (err) {
        if (this.stopped) break;
        if (isGone(err)) this.resourceVersion = undefined;
        await this.pause(err);
      }
    }
  }

  private async afterWatch(end: WatchEnd): Promise<void> {
    if (this.stopped) return;
    if (end.kind === "gone") {
      this.logger.info({ resourceVersion: this.resourceVersion }, "watch expired (410); relisting");
      this.resourceVersion = undefined;
    } else if (end.kind === "error") {
      await this.pause(end.error);
    } else if (end.idle) {
      await this.pause(new Error("watch closed immediately without events"));
    }
  }

  private async pause(err: unknown): Promise<void> {
    const delayMs = this.backoff.next();
    this.logger.warn({ err, delayMs }, "list/watch failed; restarting after backoff");
    await sleep(this.clock, delayMs, this.stopSignal.signal).catch(() => undefined);
  }

  private async relist(): Promise<void> {
    const { client, type, namespace, labelSelector, fieldSelector } = this.options;
    const signal = this.stopSignal.signal;
    const list = await client.list<T>(type, { namespace, labelSelector, fieldSelector, signal });
    const changes = this.store.replaceAll(list.items.map((obj) => this.toCached(obj)));
    this.resourceVersion = list.resourceVersion;
    this.logger.debug({ count: list.items.length, resourceVersion: list.resourceVersion }, "listed");
    if (!this.synced) {
      this.synced = true;
      this.syncWaiters.splice(0).forEach((wake) => wake());
    }
    for (const change of changes) this.announce(change);
  }

  private watchOnce(fromVersion: string): Promise<WatchEnd> {
    const { client, type, namespace, labelSelector, fieldSelector } = this.options;
    const minTimeout = this.options.watchTimeoutSeconds ?? 300;
    const timeoutSeconds = Math.floor(minTimeout * (1 + Math.random()));
    const query = {
      resourceVersion: fromVersion,
      allowWatchBookmarks: true,
      timeoutSeconds,
      labelSelector,
      fieldSelector,
    };
    const startedAt = this.clock.now();
    let delivered = false;
    return new Promise<WatchEnd>((resolve) => {
      let ended: WatchEnd | undefined;
      // A half-open connection never ends by itself: give the server its timeout plus a margin.
      const watchdog: TimerHandle = this.clock.setTimer(
        () => finish({ kind: "closed" }),
        (timeoutSeconds + 30) * 1000,
      );
      const onStop = (): void => finish({ kind: "closed" });
      const finish = (end: WatchEnd): void => {
        if (ended) return;
        ended = end;
        watchdog.cancel();
        this.stopSignal.signal.removeEventListener("abort", onStop);
        this.activeWatch?.abort();
        this.activeWatch = undefined;
        resolve(end);
      };
      const onEvent = (phase: string, object: unknown): void => {
        delivered = true;
        const end = this.onWatchEvent({ type: phase, object: object as WatchEvent["object"] });
        if (end) finish(end);
      };
      const onDone = (err: unknown): void => {
        const idle = !delivered && this.clock.now() - startedAt < 1000;
        finish(err ? errorEnd(err) : { kind: "closed", idle });
      };
      if (this.stopSignal.signal.aborted) return finish({ kind: "closed" });
      this.stopSignal.signal.addEventListener("abort", onStop, { once: true });
      const controller = new AbortController();
      this.activeWatch = controller;
      client
        .watch(resourcePath(type, { namespace }), query, onEvent, controller.signal)
        .then(() => onDone(undefined), onDone);
    });
  }

  /** Applies one watch event to the cache; returns how the watch ended when the event ends it. */
  private onWatchEvent(event: WatchEvent): WatchEnd | undefined {
    const { type, object } = event;
    if (type === "ERROR") {
      if (object.code === 410) return { kind: "gone" };
      return {
        kind: "error",
        error: new Error(`watch error ${object.code ?? "?"}: ${object.message ?? ""}`),
      };
    }
    const rv = object.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    this.backoff.reset();
    if (type === "BOOKMARK") return undefined;
    const obj = this.toCached(object as T);
    const change = type === "DELETED" ? this.store.remove(keyOf(obj)) : this.store.upsert(obj);
    if (change) this.announce(change);
    return undefined;
  }

  private toCached(obj: T): T {
    const slim = slimForCache(obj);
    return this.options.transform ? this.options.transform(slim) : slim;
  }

  private announce(change: StoreChange<T>): void {
    for (const handler of this.handlers) {
      try {
        if (change.type === "added") handler.onAdd?.(change.obj);
        else if (change.type === "updated") handler.onUpdate?.(change.old, change.obj);
        else handler.onDelete?.(change.obj);
      } catch (err) {
        this.logger.error({ err }, "event handler threw");
      }
    }
  }
}

function keyOf(obj: KubeObject): string {
  const { namespace, name } = obj.metadata ?? {};
  return namespace ? `${namespace}/${name}` : `${name}`;
}

function errorEnd(err: unknown): WatchEnd {
  const status = (err as { statusCode?: number }).statusCode;
  return status === 410 ? { kind: "gone" } : { kind: "error", error: err };
}

/** kubectl's copy of the whole applied manifest, kept by client-side apply. */
const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

/**
 * A copy of `obj` without metadata.managedFields and kubectl's last-applied-configuration
 * annotation: both large (together often bigger than the object) and never read by controllers.
 */
export function slimForCache<T extends KubeObject>(obj: T): T {
  const annotations = obj.metadata?.annotations;
  const lastApplied = annotations?.[LAST_APPLIED_ANNOTATION] !== undefined;
  if (!obj.metadata?.managedFields && !lastApplied) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata ?? {};
  if (lastApplied) {
    const { [LAST_APPLIED_ANNOTATION]: _copy, ...rest } = annotations ?? {};
    metadata.annotations = rest;
  }
  return { ...obj, metadata };
}
