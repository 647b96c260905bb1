import { realClock, type Clock } from "../clock.js";
import { DelayScheduler } from "./delay-scheduler.js";
import { KeyFifo } from "./key-fifo.js";
import { defaultRateLimiter, type DefaultRateLimiterOptions, type RateLimiter } from "./rate-limiter.js";

/** Keys handed out without waiting, at most, before `get` lets the event loop turn once. */
const YIELD_EVERY = 16;

/** Observes a queue for metrics; every method is optional so a sink may care about a subset. */
export interface QueueObserver {
  added?(): void;
  depth?(depth: number): void;
  /** A key was handed to a worker after waiting this long in the queue. */
  waited?(seconds: number): void;
  /** A worker finished a key after working on it this long. */
  worked?(seconds: number): void;
  retried?(): void;
}

export interface WorkQueueOptions {
  /** Names the queue in metrics and logs. */
  name: string;
  clock?: Clock;
  /** Failure backoff for `addRateLimited`; defaults to client-go's 5 ms → 1000 s plus 10 qps / 100 burst. */
  rateLimiter?: RateLimiter;
  /** Tunes the default limiter (base/max backoff, qps, burst) when `rateLimiter` is not given. */
  rateLimits?: DefaultRateLimiterOptions;
  /** Lane names, highest priority first. Default: ["high", "normal"]. */
  lanes?: readonly string[];
  /** The lane used when `add` names none. Default: the last lane. */
  defaultLane?: string;
  observer?: QueueObserver;
}

/** What `get` hands a worker: the key, the lane it came from. Pass the item back to `done`. */
export interface QueueItem {
  key: string;
  lane: string;
}

/**
 * A de-duplicating queue of keys (client-go's workqueue semantics):
 * - a key that is already waiting is not added twice (a second add in a higher lane promotes it);
 * - a key being processed that is added again is queued once more when `done` is called, so two
 *   workers never hold the same key at the same time;
 * - lanes are strict priorities: `get` always serves the highest non-empty lane;
 * - `addAfter` holds a key until an exact instant (earliest instant wins for a key);
 * - `addRateLimited` backs a key off per its failure history, `forget` clears it;
 * - `shutDown` stops accepting keys and stops handing them out (waiting keys are dropped: they are
 *   found again by the next resync); `drain` waits for keys in progress.
 */
export class WorkQueue {
  readonly name: string;
  private readonly clock: Clock;
  private readonly limiter: RateLimiter;
  private readonly lanes: readonly string[];
  private readonly defaultLane: string;
  private readonly observer: QueueObserver;
  private readonly queued: Map<string, KeyFifo>;
  /** Keys that need processing, with their lane and the instant they were added. */
  private readonly dirty = new Map<string, { lane: string; since: number }>();
  /** Keys held by a worker, with the instant the worker got them. */
  private readonly processing = new Map<string, number>();
  private readonly waiters: Array<(item: QueueItem | undefined) => void> = [];
  private readonly drainWaiters: Array<() => void> = [];
  private readonly delayed: DelayScheduler<string>;
  private shuttingDown = false;
  /** Keys handed out at once since the last turn of the event loop given away (see `get`). */
  private handedOut = 0;

  constructor(options: WorkQueueOptions) {
    this.name = options.name;
    this.clock = options.clock ?? realClock;
    this.limiter = options.rateLimiter ?? defaultRateLimiter(this.clock, options.rateLimits);
    this.lanes = options.lanes ?? ["high", "normal"];
    if (this.lanes.length === 0) throw new Error(`work queue ${this.name} needs at least one lane`);
    this.defaultLane = options.defaultLane ?? this.lanes[this.lanes.length - 1]!;
    this.observer = options.observer ?? {};
    this.queued = new Map(this.lanes.map((lane) => [lane, new KeyFifo()]));
    this.delayed = new DelayScheduler(this.clock, (key, lane) => this.add(key, lane));
  }

  /** Queues `key` now unless it is already waiting (then it may only move to a higher lane). */
  add(key: string, lane: string = this.defaultLane): void {
    const rank = this.rank(lane);
    if (this.shuttingDown) return;
    const existing = this.dirty.get(key);
    if (existing) {
      if (rank < this.rank(existing.lane)) this.promote(key, existing, lane);
      return;
    }
    this.dirty.set(key, { lane, since: this.clock.now() });
    this.observer.added?.();
    if (this.processing.has(key)) return;
    this.enqueue(key, lane);
  }

  /** Queues `key` at now + delayMs exactly; an earlier pending instant for the key wins. */
  addAfter(key: string, delayMs: number, lane: string = this.defaultLane): void {
    this.rank(lane);
    if (this.shuttingDown) return;
    if (delayMs <= 0) return this.add(key, lane);
    this.delayed.schedule(key, this.clock.now() + delayMs, lane);
  }

  /**
   * Queues `key` after its backoff delay, recording one more failure. `minDelayMs` (a server's
   * Retry-After) lengthens the delay but never shortens the backoff.
   */
  addRateLimited(key: string, lane: string = this.defaultLane, minDelayMs = 0): void {
    if (this.shuttingDown) return;
    this.observer.retried?.();
    this.addAfter(key, Math.max(this.limiter.when(key), minDelayMs), lane);
  }

  /** Clears `key`'s failure history (call after a success). */
  forget(key: string): void {
    this.limiter.forget(key);
  }

  /** Failures recorded for `key` since the last `forget`. */
  numRequeues(key: string): number {
    return this.limiter.numRequeues(key);
  }

  /**
   * Resolves with the next key to work on, or undefined once the queue is shut down. Every
   * YIELD_EVERY-th key handed out at once is handed out after a turn of the event loop: workers
   * whose reconciles finish without I/O would otherwise take thousands of keys in one run of
   * microtasks, holding back every socket of the process (other controllers' target I/O).
   */
  get(): Promise<QueueItem | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    const item = this.take();
    if (!item) return new Promise((resolve) => this.waiters.push(resolve));
    this.handedOut = (this.handedOut + 1) % YIELD_EVERY;
    if (this.handedOut > 0) return Promise.resolve(item);
    return new Promise((resolve) => setImmediate(() => resolve(item)));
  }

  /** Ends work on `item`; if it was added meanwhile it is queued again now. */
  done(item: QueueItem): void {
    const startedAt = this.processing.get(item.key);
    if (startedAt === undefined) return;
    this.processing.delete(item.key);
    this.observer.worked?.((this.clock.now() - startedAt) / 1000);
    const again = this.dirty.get(item.key);
    if (again && !this.shuttingDown) this.enqueue(item.key, again.lane);
    if (this.processing.size === 0) this.drainWaiters.splice(0).forEach((wake) => wake());
  }

  /** Keys waiting to be handed out (not counting delayed or in-progress keys). */
  len(): number {
    let total = 0;
    for (const set of this.queued.values()) total += set.size;
    return total;
  }

  /** Keys waiting for an `addAfter` instant. */
  delayedLen(): number {
    return this.delayed.size;
  }

  /** Start instants (clock ms) of keys in progress, for the unfinished-work metrics. */
  inProgressSince(): number[] {
    return [...this.processing.values()];
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Stops accepting and handing out keys; idle `get` callers receive undefined. */
  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.delayed.stop();
    for (const set of this.queued.values()) set.clear();
    this.dirty.clear();
    this.observer.depth?.(0);
    this.waiters.splice(0).forEach((resolve) => resolve(undefined));
  }

  /** Resolves true once no key is in progress, or false if `timeoutMs` passes first. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.processing.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = this.clock.setTimer(() => resolve(this.processing.size === 0), timeoutMs);
      this.drainWaiters.push(() => {
        timer.cancel();
        resolve(true);
      });
    });
  }

  private rank(lane: string): number {
    const rank = this.lanes.indexOf(lane);
    if (rank < 0) throw new Error(`work queue ${this.name} has no lane "${lane}"`);
    return rank;
  }

  private promote(key: string, entry: { lane: string; since: number }, lane: string): void {
    const wasQueued = this.queued.get(entry.lane)!.delete(key);
    entry.lane = lane;
    if (wasQueued) this.queued.get(lane)!.push(key);
  }

  private enqueue(key: string, lane: string): void {
    const waiter = this.waiters.shift();
    this.queued.get(lane)!.push(key);
    if (waiter) waiter(this.take());
    else this.observer.depth?.(this.len());
  }

  /** Moves the first key of the highest non-empty lane into processing. */
  private take(): QueueItem | undefined {
    for (const lane of this.lanes) {
      const key = this.queued.get(lane)!.shift();
      if (key === undefined) continue;
      const since = this.dirty.get(key)?.since ?? this.clock.now();
      this.dirty.delete(key);
      const now = this.clock.now();
      this.processing.set(key, now);
      this.observer.depth?.(this.len());
      this.observer.waited?.((now - since) / 1000);
      return { key, lane };
    }
    return undefined;
  }
}
