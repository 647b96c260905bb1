import type { Logger } from "pino";
import { realClock, type Clock, type TimerHandle } from "../clock.js";
import { isNotFound, type KubeClient } from "../kube/client.js";
import { toMicroTime } from "../kube/micro-time.js";
import type { KubeObject, ResourceType } from "../kube/resource.js";
import { SendQueue } from "./send-queue.js";

export const EVENTS: ResourceType = {
  group: "events.k8s.io",
  version: "v1",
  resource: "events",
  namespaced: true,
};

export interface EventInput {
  type: "Normal" | "Warning";
  /** CamelCase, stable (e.g. "ProvisioningFailed"). */
  reason: string;
  /** What was being done (e.g. "Provision"). */
  action: string;
  /** A sentence for humans. Must never contain secret values: callers compose it from safe data. */
  note: string;
}

export interface EventRecorderOptions {
  client: KubeClient;
  logger: Logger;
  /** e.g. "roster.example.com/operator". */
  reportingController: string;
  /** e.g. the pod name. */
  reportingInstance: string;
  clock?: Clock;
  /** Repeats within this window update the first Event's series instead of creating one. Default 10 min. */
  windowMs?: number;
  /** Series count updates are sent at most this often per Event. Default 30 s. */
  flushIntervalMs?: number;
  /**
   * Series remembered at most (oldest forgotten first; a repeat of a forgotten one creates a new
   * Event). Bounds memory when many objects get Events at once. Default 4096.
   */
  maxSeries?: number;
  /**
   * Writes to the API server (creates and series updates) started per second at most, after a
   * burst. Defaults 50 and 100: kubelet's event-qps / event-burst.
   */
  qps?: number;
  burst?: number;
  /** Writes waiting at most; Events recorded beyond are dropped (counted). Default 1000, as client-go. */
  maxQueued?: number;
  /** Writes in flight at most. Default 4. */
  concurrency?: number;
}

/** Told about each Event dropped because the send queue was full (for a metric). */
export type DropListener = (dropped: Pick<EventInput, "type" | "reason">) => void;

interface SeriesEntry {
  /** The aggregation key it is remembered under. */
  id: string;
  namespace: string;
  name: string;
  firstSeen: number;
  count: number;
  lastObserved: number;
  /** The count last sent to the API: 0 while the Event's create waits in the send queue. */
  sentCount: number;
  lastSent: number;
  flushTimer?: TimerHandle;
}

const NOTE_LIMIT = 1024;
/** Dropped Events are reported in the log at most this often. */
const DROP_LOG_INTERVAL_MS = 60_000;
const SECRET_ASSIGNMENT =
  /\b(password|passwd|token|secret|authorization|api[-_]?key)(\s*[:=]\s*)(bearer\s+|basic\s+)?[^\s,;]+/gi;

/**
 * Defence in depth for Event notes (callers must still never pass secrets): values written as
 * `password=...`, `token: ...`, `Authorization: Bearer ...` are replaced by [redacted], and the
 * note is cut to the API's 1 KiB limit.
 */
export function sanitizeNote(note: string): string {
  return note.replace(SECRET_ASSIGNMENT, "$1$2[redacted]").slice(0, NOTE_LIMIT);
}

/**
 * Records events.k8s.io/v1 Events about objects, aggregating repeats: the same (object, type,
 * reason, action, note) within the window becomes one Event whose `series.count` grows. The first
 * repeat is sent at once; later ones at most once per flush interval (a merge patch of `series`),
 * so a flapping error cannot flood the API.
 *
 * Events are best effort, as in Kubernetes: writes go through a bounded, rate-limited queue
 * (send-queue.ts), and an Event recorded while the queue is full is dropped and reported to the
 * drop listeners (a metric), so a burst of thousands of Events never competes with the work it
 * describes. `record` never rejects: failures are logged at debug level.
 */
export class EventRecorder {
  private readonly clock: Clock;
  private readonly windowMs: number;
  private readonly flushIntervalMs: number;
  private readonly maxSeries: number;
  private readonly series = new Map<string, SeriesEntry>();
  private readonly sends: SendQueue;
  private readonly dropListeners: DropListener[] = [];
  private seq = 0;
  private droppedTotal = 0;
  /** Drops already reported in the log, and when the log last reported them. */
  private droppedLogged = 0;
  private dropLoggedAt = -Infinity;

  constructor(private readonly options: EventRecorderOptions) {
    this.clock = options.clock ?? realClock;
    this.windowMs = options.windowMs ?? 600_000;
    this.flushIntervalMs = options.flushIntervalMs ?? 30_000;
    this.maxSeries = options.maxSeries ?? 4096;
    this.sends = new SendQueue({
      clock: this.clock,
      qps: options.qps ?? 50,
      burst: options.burst ?? 100,
      maxQueued: options.maxQueued ?? 1000,
      concurrency: options.concurrency ?? 4,
    });
  }

  /** Series remembered now (for tests and metrics). */
  get size(): number {
    return this.series.size;
  }

  /** Events dropped so far because the send queue was full. */
  get dropped(): number {
    return this.droppedTotal;
  }

  /** Calls `listener` for every Event dropped from now on. */
  onDropped(listener: DropListener): void {
    this.dropListeners.push(listener);
  }

  /** Resolves once the Event (or the repeat's count) was written, dropped, or failed. */
  record(regarding: KubeObject, input: EventInput): Promise<void> {
    const id = aggregationKey(regarding, input);
    const now = this.clock.now();
    const entry = this.series.get(id);
    if (entry && now - entry.firstSeen < this.windowMs) return this.repeat(entry, now);
    return this.create(id, regarding, input, now);
  }

  /** Drops the writes still queued and sends every pending series count now (call on shutdown). */
  async flush(): Promise<void> {
    const discarded = this.sends.discardQueued();
    if (discarded > 0)
      this.options.logger.info({ discarded }, "event writes still queued at shutdown were dropped");
    await this.sends.idle();
    await Promise.all(
      [...this.series.values()].map((entry) => this.sendSeries(entry).catch(() => undefined)),
    );
  }

  /** Counts a repeat: sent at once the first time, else when the flush interval allows. */
  private repeat(entry: SeriesEntry, now: number): Promise<void> {
    entry.count++;
    entry.lastObserved = now;
    // A create still queued sends the count after it, if it grew meanwhile.
    if (entry.sentCount === 0) return Promise.resolve();
    if (entry.sentCount === 1 || now - entry.lastSent >= this.flushIntervalMs) {
      const sent = this.sends.offer(() => this.sendSeriesLogged(entry));
      if (sent) return sent;
    }
    this.armFlush(entry, Math.max(0, entry.lastSent + this.flushIntervalMs - now));
    return Promise.resolve();
  }

  /** Sends the entry's count after `delayMs` (through the queue; again later while it is full). */
  private armFlush(entry: SeriesEntry, delayMs: number): void {
    entry.flushTimer ??= this.clock.setTimer(() => {
      entry.flushTimer = undefined;
      if (!this.sends.offer(() => this.sendSeriesLogged(entry))) this.armFlush(entry, this.flushIntervalMs);
    }, delayMs);
  }

  private async sendSeriesLogged(entry: SeriesEntry): Promise<void> {
    try {
      await this.sendSeries(entry);
    } catch (err) {
      this.options.logger.debug({ err }, "could not update an event series");
    }
  }

  /** Patches the Event's series to the current count; an Event gone server-side is forgotten. */
  private async sendSeries(entry: SeriesEntry): Promise<void> {
    entry.flushTimer?.cancel();
    entry.flushTimer = undefined;
    if (entry.sentCount === 0 || entry.count === entry.sentCount) return;
    const series = { count: entry.count, lastObservedTime: toMicroTime(entry.lastObserved) };
    try {
      await this.options.client.mergePatch(
        EVENTS,
        { namespace: entry.namespace, name: entry.name },
        { series },
      );
    } catch (err) {
      // Expired server-side: the next repeat creates a new Event.
      if (isNotFound(err)) return this.forget(entry);
      throw err;
    }
    entry.sentCount = entry.count;
    entry.lastSent = this.clock.now();
  }

  /** Queues the Event's create; drops it (and reports the drop) when the queue is full. */
  private create(id: string, regarding: KubeObject, input: EventInput, now: number): Promise<void> {
    if (this.sends.full) return this.drop(input);
    this.series.get(id)?.flushTimer?.cancel();
    const meta = regarding.metadata ?? {};
    const namespace = meta.namespace ?? "default";
    const name = `${meta.name ?? "object"}.${now.toString(16)}${(this.seq++).toString(16)}`;
    const entry: SeriesEntry = {
      id,
      namespace,
      name,
      firstSeen: now,
      count: 1,
      lastObserved: now,
      sentCount: 0,
      lastSent: now,
    };
    const body = this.eventBody(name, namespace, regarding, input, now);
    const sent = this.sends.offer(async () => {
      try {
        await this.options.client.create(EVENTS, body);
      } catch (err) {
        this.forget(entry);
        this.options.logger.debug({ err, reason: input.reason }, "could not record event");
        return;
      }
      entry.sentCount = 1;
      entry.lastSent = this.clock.now();
      // Repeats counted while the create waited: the first is sent at once, as for any repeat.
      if (entry.count > 1) await this.sendSeriesLogged(entry);
    });
    if (!sent) return this.drop(input);
    // Re-inserted, so the map stays ordered by firstSeen (what forgetExpired relies on).
    this.series.delete(id);
    this.series.set(id, entry);
    this.forgetExpired(now);
    return sent;
  }

  /** Counts a dropped Event, tells the listeners, and says so in the log at most once a minute. */
  private drop(input: EventInput): Promise<void> {
    this.droppedTotal += 1;
    for (const listener of this.dropListeners) listener({ type: input.type, reason: input.reason });
    const now = this.clock.now();
    if (now - this.dropLoggedAt >= DROP_LOG_INTERVAL_MS) {
      const dropped = this.droppedTotal - this.droppedLogged;
      this.options.logger.info({ dropped }, "events dropped: too many to write at once (best effort)");
      this.droppedLogged = this.droppedTotal;
      this.dropLoggedAt = now;
    }
    return Promise.resolve();
  }

  private eventBody(name: string, namespace: string, regarding: KubeObject, input: EventInput, now: number) {
    const meta = regarding.metadata ?? {};
    return {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { name, namespace },
      eventTime: toMicroTime(now),
      reportingController: this.options.reportingController,
      reportingInstance: this.options.reportingInstance,
      action: input.action,
      reason: input.reason,
      type: input.type,
      note: sanitizeNote(input.note),
      regarding: {
        apiVersion: regarding.apiVersion,
        kind: regarding.kind,
        namespace: meta.namespace,
        name: meta.name,
        uid: meta.uid,
        resourceVersion: meta.resourceVersion,
      },
    };
  }

  /** Forgets a series if it is still the one remembered under its key. */
  private forget(entry: SeriesEntry): void {
    entry.flushTimer?.cancel();
    entry.flushTimer = undefined;
    if (this.series.get(entry.id) === entry) this.series.delete(entry.id);
  }

  /**
   * Drops series past the window, and the oldest ones beyond maxSeries, whose counts were all
   * sent. The map is ordered by firstSeen, so the scan stops at the first series that is inside
   * the window while the map is within bounds: O(dropped), not O(all series).
   */
  private forgetExpired(now: number): void {
    for (const [id, entry] of this.series) {
      if (now - entry.firstSeen < this.windowMs && this.series.size <= this.maxSeries) return;
      if (entry.count === entry.sentCount) this.series.delete(id);
    }
  }
}

function aggregationKey(regarding: KubeObject, input: EventInput): string {
  const m = regarding.metadata ?? {};
  const who = m.uid ?? `${m.namespace}/${m.name}`;
  return JSON.stringify([who, regarding.kind, input.type, input.reason, input.action, input.note]);
}
