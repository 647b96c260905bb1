import type { Logger } from "pino";
import { realClock, type Clock, type TimerHandle } from "../clock.js";
import { isNotFound, type KubeClient } from "../kube/client.js";
import { toMicroTime } from "../kube/micro-time.js";
import type { KubeObject, ResourceType } from "../kube/resource.js";

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
}

interface SeriesEntry {
  namespace: string;
  name: string;
  firstSeen: number;
  count: number;
  lastObserved: number;
  /** The count last sent to the API. */
  sentCount: number;
  lastSent: number;
  flushTimer?: TimerHandle;
}

const NOTE_LIMIT = 1024;
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
 * so a flapping error cannot flood the API. `record` never rejects: failures are logged at debug
 * level (Events are best effort).
 */
export class EventRecorder {
  private readonly clock: Clock;
  private readonly windowMs: number;
  private readonly flushIntervalMs: number;
  private readonly maxSeries: number;
  private readonly series = new Map<string, SeriesEntry>();
  private seq = 0;

  constructor(private readonly options: EventRecorderOptions) {
    this.clock = options.clock ?? realClock;
    this.windowMs = options.windowMs ?? 600_000;
    this.flushIntervalMs = options.flushIntervalMs ?? 30_000;
    this.maxSeries = options.maxSeries ?? 4096;
  }

  /** Series remembered now (for tests and metrics). */
  get size(): number {
    return this.series.size;
  }

  async record(regarding: KubeObject, input: EventInput): Promise<void> {
    const id = aggregationKey(regarding, input);
    const now = this.clock.now();
    const entry = this.series.get(id);
    try {
      if (entry && now - entry.firstSeen < this.windowMs) {
        if (await this.repeat(entry, now)) return;
      }
      await this.create(id, regarding, input, now);
    } catch (err) {
      this.options.logger.debug({ err, reason: input.reason }, "could not record event");
    }
  }

  /** Sends every pending series count now (call on shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.series.values()].map((entry) => this.sendSeries(entry).catch(() => false)));
  }

  /** Counts a repeat; returns false when the Event has expired server-side and must be created anew. */
  private async repeat(entry: SeriesEntry, now: number): Promise<boolean> {
    entry.count++;
    entry.lastObserved = now;
    if (entry.sentCount === 1 || now - entry.lastSent >= this.flushIntervalMs) return this.sendSeries(entry);
    entry.flushTimer ??= this.clock.setTimer(
      () => void this.sendSeries(entry).catch(() => false),
      entry.lastSent + this.flushIntervalMs - now,
    );
    return true;
  }

  private async sendSeries(entry: SeriesEntry): Promise<boolean> {
    entry.flushTimer?.cancel();
    entry.flushTimer = undefined;
    if (entry.count === entry.sentCount) return true;
    const series = { count: entry.count, lastObservedTime: toMicroTime(entry.lastObserved) };
    try {
      await this.options.client.mergePatch(
        EVENTS,
        { namespace: entry.namespace, name: entry.name },
        { series },
      );
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
    entry.sentCount = entry.count;
    entry.lastSent = this.clock.now();
    return true;
  }

  private async create(id: string, regarding: KubeObject, input: EventInput, now: number): Promise<void> {
    this.series.get(id)?.flushTimer?.cancel();
    const meta = regarding.metadata ?? {};
    const namespace = meta.namespace ?? "default";
    const name = `${meta.name ?? "object"}.${now.toString(16)}${(this.seq++).toString(16)}`;
    await this.options.client.create(EVENTS, {
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
    });
    // Re-inserted, so the map stays ordered by firstSeen (what forgetExpired relies on).
    this.series.delete(id);
    this.series.set(id, {
      namespace,
      name,
      firstSeen: now,
      count: 1,
      lastObserved: now,
      sentCount: 1,
      lastSent: now,
    });
    this.forgetExpired(now);
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
