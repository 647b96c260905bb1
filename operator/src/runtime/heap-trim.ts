/**
 * Gives the heap grown during a burst of work back to the system once the process is idle.
 *
 * V8 sizes the heap for the live data it last saw plus room to grow (1.5–2× after a burst), and
 * its memory reducer shrinks it only after a full GC that found the heap grown since the
 * reducer's previous run; an operator whose live data stays the same therefore keeps 40–60 MiB
 * of unused heap after each burst (10,000 Users × 3 Targets: 69 MiB live, 122–131 MiB
 * committed). When the event loop has been idle for a while and the committed heap has grown
 * past what the last trim left, this runs one full GC that compacts every page (a plain full GC
 * compacts only the most fragmented ones), so the emptied pages go back to the system; it takes
 * about 100 ms for a 70 MiB heap. Compaction is switched on for that one collection only
 * (V8's --compact-on-every-full-gc, read at each collection) and off again right after.
 *
 * It needs the `gc` function that `node --expose-gc` (allowed in NODE_OPTIONS; the Deployment
 * sets it) installs; without it, trimming is off and nothing else changes.
 */
import { performance, type EventLoopUtilization } from "node:perf_hooks";
import v8 from "node:v8";
import type { Logger } from "pino";

/** The full garbage collection `node --expose-gc` installs as globalThis.gc. */
export type GcFunction = () => unknown;

export interface HeapTrimOptions {
  logger: Logger;
  /** The gc function; defaults to the one --expose-gc installs (absent: trimming is off). */
  gc?: GcFunction | undefined;
  /** How often idleness is checked, and over which window (ms). */
  checkEveryMs?: number;
  /** The event loop counts as idle below this share of busy time over the last window. */
  maxBusyShare?: number;
  /** A trim runs only when the committed heap grew by at least this much since the last trim (bytes). */
  minGrowthBytes?: number;
  /** Test seams: the committed heap size and the event loop's utilization since the previous call. */
  committedHeap?: () => number;
  busyShareSince?: () => number;
  /** Called after each trim with the committed heap before and after (bytes). */
  onTrim?: (before: number, after: number) => void;
}

export const HEAP_TRIM_DEFAULTS = {
  checkEveryMs: 5_000,
  maxBusyShare: 0.05,
  minGrowthBytes: 16 * 2 ** 20,
} as const;

/** Decides, at each check, whether to trim; kept apart from timers so it is testable alone. */
export class HeapTrimPolicy {
  private baseline: number;

  constructor(
    private readonly minGrowthBytes: number,
    private readonly maxBusyShare: number,
    committedNow: number,
  ) {
    this.baseline = committedNow;
  }

  /** Whether a trim is due, given the busy share over the last window and the committed heap now. */
  due(busyShare: number, committed: number): boolean {
    return busyShare < this.maxBusyShare && committed - this.baseline >= this.minGrowthBytes;
  }

  /** Records what a trim left: the next one waits until the heap has grown past it again. */
  trimmed(committedAfter: number): void {
    this.baseline = committedAfter;
  }
}

/** Starts the periodic check; returns a function that stops it. Does nothing without a gc function. */
export function startHeapTrim(options: HeapTrimOptions): () => void {
  const gc = options.gc ?? (globalThis as { gc?: GcFunction }).gc;
  if (!gc) {
    options.logger.debug("heap trimming off: node runs without --expose-gc");
    return () => undefined;
  }
  const committedHeap = options.committedHeap ?? (() => v8.getHeapStatistics().total_heap_size);
  const busyShareSince = options.busyShareSince ?? eventLoopBusyShare();
  const policy = new HeapTrimPolicy(
    options.minGrowthBytes ?? HEAP_TRIM_DEFAULTS.minGrowthBytes,
    options.maxBusyShare ?? HEAP_TRIM_DEFAULTS.maxBusyShare,
    committedHeap(),
  );
  const timer = setInterval(() => {
    const busyShare = busyShareSince();
    const before = committedHeap();
    if (!policy.due(busyShare, before)) return;
    const started = performance.now();
    compactingGc(gc);
    const after = committedHeap();
    policy.trimmed(after);
    options.onTrim?.(before, after);
    options.logger.debug(
      { beforeMiB: mib(before), afterMiB: mib(after), ms: Math.round(performance.now() - started) },
      "heap trimmed while idle",
    );
  }, options.checkEveryMs ?? HEAP_TRIM_DEFAULTS.checkEveryMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** One full, synchronous GC with every page compacted; compaction goes back to V8's choice after it. */
function compactingGc(gc: GcFunction): void {
  v8.setFlagsFromString("--compact-on-every-full-gc");
  try {
    gc();
  } finally {
    v8.setFlagsFromString("--no-compact-on-every-full-gc");
  }
}

/** The event loop's busy share since the previous call (the first call: since the process started). */
function eventLoopBusyShare(): () => number {
  let previous: EventLoopUtilization | undefined;
  return () => {
    const now = performance.eventLoopUtilization();
    const window = previous ? performance.eventLoopUtilization(now, previous) : now;
    previous = now;
    return window.utilization;
  };
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
