import { FakeClock } from "../../../operator/src/runtime/fake-clock.js";
import { DelayScheduler } from "../../../operator/src/runtime/queue/delay-scheduler.js";

/** A small deterministic PRNG so the randomized case is reproducible. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe("DelayScheduler", () => {
  it("fires every key once, at the earliest instant it was scheduled for (randomized against a model)", async () => {
    const clock = new FakeClock(0);
    const fired: Array<{ key: string; at: number }> = [];
    const scheduler = new DelayScheduler<null>(clock, (key) => fired.push({ key, at: clock.now() }));
    const random = prng(42);
    const expected = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const key = `k${Math.floor(random() * 300)}`;
      const dueAt = clock.now() + Math.floor(random() * 10_000);
      scheduler.schedule(key, dueAt, null);
      expected.set(key, Math.min(expected.get(key) ?? Infinity, dueAt));
      if (i % 100 === 99) await clock.advance(Math.floor(random() * 500));
      // Keys that already fired may be scheduled again: record their new instants separately.
      for (const f of fired.splice(0)) {
        expect(f.at).toBe(expected.get(f.key));
        expected.delete(f.key);
      }
    }
    await clock.advance(20_000);
    for (const f of fired.splice(0)) {
      expect(f.at).toBe(expected.get(f.key));
      expected.delete(f.key);
    }
    expect(expected.size).toBe(0);
    expect(scheduler.size).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it("keeps a single timer armed, re-armed only for an earlier instant", () => {
    const clock = new FakeClock(0);
    const scheduler = new DelayScheduler<null>(clock, () => undefined);
    scheduler.schedule("a", 5000, null);
    scheduler.schedule("b", 9000, null);
    scheduler.schedule("c", 1000, null);
    expect(clock.pendingTimers()).toBe(1);
    expect(scheduler.dueAt("c")).toBe(1000);
  });

  it("ignores everything after stop", async () => {
    const clock = new FakeClock(0);
    const fired: string[] = [];
    const scheduler = new DelayScheduler<null>(clock, (key) => fired.push(key));
    scheduler.schedule("a", 100, null);
    scheduler.stop();
    scheduler.schedule("b", 100, null);
    await clock.advance(1000);
    expect(fired).toEqual([]);
  });
});
