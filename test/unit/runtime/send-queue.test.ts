import { FakeClock, flushPromises } from "../../../operator/src/runtime/fake-clock.js";
import { SendQueue } from "../../../operator/src/runtime/events/send-queue.js";

/** Sends that only finish when the test says so, recording when each started. */
function controlledSends(clock: FakeClock) {
  const started: Array<{ id: number; at: number }> = [];
  const finishers = new Map<number, () => void>();
  const send = (id: number) => () =>
    new Promise<void>((resolve) => {
      started.push({ id, at: clock.now() });
      finishers.set(id, resolve);
    });
  const finish = async (id: number) => {
    finishers.get(id)?.();
    await flushPromises();
  };
  return { started, send, finish };
}

function queue(clock: FakeClock, overrides: Partial<ConstructorParameters<typeof SendQueue>[0]> = {}) {
  return new SendQueue({ clock, qps: 1000, burst: 1000, maxQueued: 100, concurrency: 2, ...overrides });
}

describe("SendQueue", () => {
  it("runs at most `concurrency` sends at once, in the order offered", async () => {
    const clock = new FakeClock();
    const { started, send, finish } = controlledSends(clock);
    const sends = queue(clock);
    for (const id of [1, 2, 3, 4]) void sends.offer(send(id));
    await flushPromises();
    expect(started.map((s) => s.id)).toEqual([1, 2]);
    expect(sends.queued).toBe(2);
    await finish(2);
    expect(started.map((s) => s.id)).toEqual([1, 2, 3]);
    await finish(1);
    await finish(3);
    expect(started.map((s) => s.id)).toEqual([1, 2, 3, 4]);
  });

  it("starts sends at most qps per second once the burst is spent", async () => {
    const clock = new FakeClock();
    const sends = queue(clock, { qps: 10, burst: 2, concurrency: 10 });
    const startedAt: number[] = [];
    for (let i = 0; i < 5; i++)
      void sends.offer(async () => {
        startedAt.push(clock.now());
      });
    await flushPromises();
    const t0 = clock.now();
    expect(startedAt).toEqual([t0, t0]);
    await clock.advance(1000);
    expect(startedAt.map((at) => at - t0)).toEqual([0, 0, 100, 200, 300]);
  });

  it("refuses a send when maxQueued are waiting, and never runs it", async () => {
    const clock = new FakeClock();
    const { started, send, finish } = controlledSends(clock);
    const sends = queue(clock, { concurrency: 1, maxQueued: 2 });
    expect(sends.offer(send(1))).toBeDefined(); // starts at once: not waiting
    expect(sends.offer(send(2))).toBeDefined();
    expect(sends.offer(send(3))).toBeDefined();
    expect(sends.offer(send(4))).toBeUndefined();
    for (const id of [1, 2, 3]) await finish(id);
    expect(started.map((s) => s.id)).toEqual([1, 2, 3]);
    await sends.idle();
  });

  it("settles a send's promise once it ran, and keeps going after a send that rejects", async () => {
    const clock = new FakeClock();
    const sends = queue(clock, { concurrency: 1 });
    const ran: string[] = [];
    const failing = sends.offer(async () => {
      ran.push("failing");
      throw new Error("boom");
    });
    const next = sends.offer(async () => {
      ran.push("next");
    });
    await Promise.all([failing, next]);
    expect(ran).toEqual(["failing", "next"]);
  });

  it("discards waiting sends on request (their promises settle) and reports idle", async () => {
    const clock = new FakeClock();
    const { started, send, finish } = controlledSends(clock);
    const sends = queue(clock, { concurrency: 1 });
    const first = sends.offer(send(1));
    const waiting = [sends.offer(send(2)), sends.offer(send(3))];
    await flushPromises();
    expect(sends.discardQueued()).toBe(2);
    await Promise.all(waiting.map((w) => w ?? Promise.resolve()));
    let idle = false;
    void sends.idle().then(() => (idle = true));
    await flushPromises();
    expect(idle).toBe(false);
    await finish(1);
    await first;
    expect(idle).toBe(true);
    expect(started.map((s) => s.id)).toEqual([1]);
  });

  it("discards a send waiting for a rate-limit token without starting it later", async () => {
    const clock = new FakeClock();
    const sends = queue(clock, { qps: 1, burst: 1, concurrency: 5 });
    const ran: number[] = [];
    for (const id of [1, 2]) void sends.offer(async () => void ran.push(id));
    await flushPromises();
    expect(sends.discardQueued()).toBe(1);
    await clock.advance(5000);
    expect(ran).toEqual([1]);
    expect(clock.pendingTimers()).toBe(0);
  });
});
