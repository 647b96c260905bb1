/**
 * Heap trimming: a memory-reducing GC runs only when the event loop has been idle over the last
 * window and the committed heap grew past what the previous trim left; never without a gc.
 */
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import pino from "pino";
import { HeapTrimPolicy, startHeapTrim } from "../../../operator/src/runtime/index.js";

const MiB = 2 ** 20;
const logger = pino({ level: "silent" });

describe("HeapTrimPolicy", () => {
  it("is due only when idle and grown by the minimum since the baseline", () => {
    const policy = new HeapTrimPolicy(16 * MiB, 0.05, 100 * MiB);
    expect(policy.due(0.01, 110 * MiB)).toBe(false); // grown too little
    expect(policy.due(0.5, 130 * MiB)).toBe(false); // busy
    expect(policy.due(0.01, 116 * MiB)).toBe(true);
  });

  it("waits after a trim until the heap has grown past what the trim left", () => {
    const policy = new HeapTrimPolicy(16 * MiB, 0.05, 100 * MiB);
    policy.trimmed(80 * MiB);
    expect(policy.due(0.01, 90 * MiB)).toBe(false);
    expect(policy.due(0.01, 96 * MiB)).toBe(true);
  });
});

describe("startHeapTrim", () => {
  /** Runs the trim over `samples`: at each check, the busy share of the window and the committed heap. */
  async function run(samples: Array<{ busy: number; committed: number }>) {
    const calls: unknown[] = [];
    const trims: Array<[number, number]> = [];
    let committed = samples[0]!.committed;
    let at = 0;
    const stop = startHeapTrim({
      logger,
      gc: () => {
        calls.push("gc");
        committed = 50 * MiB; // what a memory-reducing GC leaves
      },
      checkEveryMs: 5,
      committedHeap: () => committed,
      busyShareSince: () => {
        const sample = samples[Math.min(at, samples.length - 1)]!;
        at += 1;
        committed = sample.committed;
        return sample.busy;
      },
      onTrim: (before, after) => trims.push([before, after]),
    });
    while (at < samples.length) await new Promise((r) => setTimeout(r, 5));
    stop();
    return { calls, trims };
  }

  it("trims once after a burst when idle", async () => {
    const { calls, trims } = await run([
      { busy: 0.01, committed: 60 * MiB }, // start: the baseline
      { busy: 0.9, committed: 130 * MiB }, // a burst
      { busy: 0.01, committed: 130 * MiB }, // idle: trim
      { busy: 0.01, committed: 50 * MiB }, // still idle, nothing grew: no trim
      { busy: 0.01, committed: 52 * MiB },
    ]);
    expect(calls).toEqual(["gc"]);
    expect(trims).toEqual([[130 * MiB, 50 * MiB]]);
  });

  it("never trims while the event loop is busy", async () => {
    const { calls } = await run([
      { busy: 0.01, committed: 60 * MiB },
      { busy: 0.9, committed: 130 * MiB },
      { busy: 0.5, committed: 140 * MiB },
      { busy: 0.2, committed: 150 * MiB },
    ]);
    expect(calls).toEqual([]);
  });

  it("is off without a gc function", () => {
    const previous = (globalThis as { gc?: unknown }).gc;
    delete (globalThis as { gc?: unknown }).gc;
    try {
      let asked = 0;
      const stop = startHeapTrim({ logger, committedHeap: () => (asked += 1) });
      stop();
      expect(asked).toBe(0);
    } finally {
      if (previous) (globalThis as { gc?: unknown }).gc = previous;
    }
  });

  it("gives back the pages a plain full collection leaves fragmented", async () => {
    // The gc function node --expose-gc would install, obtained at run time for this test.
    v8.setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const committed = () => v8.getHeapStatistics().total_heap_size;
    // One object in ten survives: ~100 MiB of pages left mostly empty.
    const survivors: unknown[] = [];
    for (let round = 0; round < 30; round += 1) {
      const batch = Array.from({ length: 100_000 }, (_, i) => ({ s: `y${i}-${round}`, n: [i] }));
      survivors.push(batch.filter((_, i) => i % 10 === 0));
    }
    // Plain full collections free the garbage but leave the survivors' pages in place.
    gc();
    gc();
    const trims: Array<[number, number]> = [];
    const stop = startHeapTrim({
      logger,
      gc,
      checkEveryMs: 5,
      minGrowthBytes: 0,
      busyShareSince: () => 0,
      onTrim: (before, after) => trims.push([before, after]),
    });
    while (trims.length === 0) await new Promise((r) => setTimeout(r, 5));
    stop();
    const [before, after] = trims[0]!;
    expect(survivors).toHaveLength(30);
    expect(before - after).toBeGreaterThan(50 * MiB);
    expect(committed()).toBeLessThan(before);
  });
});
