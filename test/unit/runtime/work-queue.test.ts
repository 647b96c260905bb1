import { FakeClock, flushPromises } from "../../../operator/src/runtime/fake-clock.js";
import { ExponentialBackoffLimiter } from "../../../operator/src/runtime/queue/rate-limiter.js";
import { WorkQueue, type QueueItem } from "../../../operator/src/runtime/queue/work-queue.js";

function makeQueue(clock = new FakeClock()): { clock: FakeClock; queue: WorkQueue } {
  const queue = new WorkQueue({
    name: "test",
    clock,
    rateLimiter: new ExponentialBackoffLimiter(5, 1_000_000),
    lanes: ["revocation", "normal"],
  });
  return { clock, queue };
}

/** Takes every key that is ready right now, in order, marking each done. */
async function drainReady(queue: WorkQueue): Promise<string[]> {
  const keys: string[] = [];
  while (queue.len() > 0) {
    const item = (await queue.get())!;
    keys.push(item.key);
    queue.done(item);
  }
  return keys;
}

describe("WorkQueue de-duplication", () => {
  it("does not add a key that is already waiting", async () => {
    const { queue } = makeQueue();
    queue.add("ns/a");
    queue.add("ns/a");
    queue.add("ns/b");
    expect(queue.len()).toBe(2);
    expect(await drainReady(queue)).toEqual(["ns/a", "ns/b"]);
  });

  it("re-queues a key added while in progress exactly once, after done", async () => {
    const { queue } = makeQueue();
    queue.add("ns/a");
    const item = (await queue.get())!;
    queue.add("ns/a");
    queue.add("ns/a");
    expect(queue.len()).toBe(0);
    queue.done(item);
    expect(queue.len()).toBe(1);
    expect(await drainReady(queue)).toEqual(["ns/a"]);
    expect(queue.len()).toBe(0);
  });

  it("never hands the same key to two workers at once", async () => {
    const { queue } = makeQueue();
    queue.add("ns/a");
    const first = (await queue.get())!;
    queue.add("ns/a");
    let second: QueueItem | undefined;
    void queue.get().then((item) => (second = item));
    await flushPromises();
    expect(second).toBeUndefined();
    queue.done(first);
    await flushPromises();
    expect(second?.key).toBe("ns/a");
  });

  it("wakes a waiting worker when a key arrives", async () => {
    const { queue } = makeQueue();
    const pending = queue.get();
    queue.add("ns/late");
    expect((await pending)?.key).toBe("ns/late");
  });
});

describe("WorkQueue priority lanes", () => {
  it("serves a revocation before a bulk of normal keys queued earlier", async () => {
    const { queue } = makeQueue();
    for (let i = 0; i < 100; i++) queue.add(`ns/user-${i}`);
    queue.add("ns/fired", "revocation");
    expect((await queue.get())?.key).toBe("ns/fired");
  });

  it("promotes a waiting key re-added in a higher lane", async () => {
    const { queue } = makeQueue();
    queue.add("ns/a");
    queue.add("ns/b");
    queue.add("ns/b", "revocation");
    expect(queue.len()).toBe(2);
    expect(await drainReady(queue)).toEqual(["ns/b", "ns/a"]);
  });

  it("rejects an unknown lane", () => {
    const { queue } = makeQueue();
    expect(() => queue.add("ns/a", "nope")).toThrow(/no lane "nope"/);
  });
});

describe("WorkQueue addAfter", () => {
  it("delivers the key at exactly the requested instant", async () => {
    const { clock, queue } = makeQueue();
    queue.addAfter("ns/a", 1000);
    await clock.advance(999);
    expect(queue.len()).toBe(0);
    await clock.advance(1);
    expect(queue.len()).toBe(1);
  });

  it("keeps the earlier due time when the same key is scheduled again later", async () => {
    const { clock, queue } = makeQueue();
    queue.addAfter("ns/a", 1000);
    queue.addAfter("ns/a", 5000);
    await clock.advance(1000);
    expect(await drainReady(queue)).toEqual(["ns/a"]);
    await clock.advance(10_000);
    expect(queue.len()).toBe(0);
  });

  it("moves a key forward when it is scheduled again earlier", async () => {
    const { clock, queue } = makeQueue();
    queue.addAfter("ns/a", 5000);
    queue.addAfter("ns/a", 1000);
    await clock.advance(1000);
    expect(queue.len()).toBe(1);
  });

  it("uses one timer for many delayed keys and delivers them in due order", async () => {
    const { clock, queue } = makeQueue();
    for (let i = 0; i < 50; i++) queue.addAfter(`ns/k${i}`, 10_000 - i * 100);
    expect(clock.pendingTimers()).toBe(1);
    await clock.advance(10_000);
    const keys = await drainReady(queue);
    expect(keys).toHaveLength(50);
    expect(keys[0]).toBe("ns/k49");
    expect(keys[49]).toBe("ns/k0");
  });

  it("adds immediately for a non-positive delay", () => {
    const { queue } = makeQueue();
    queue.addAfter("ns/a", 0);
    expect(queue.len()).toBe(1);
  });
});

describe("WorkQueue rate-limited retries", () => {
  it("backs a failing key off exponentially from 5 ms and forget resets it", async () => {
    const { clock, queue } = makeQueue();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const start = clock.now();
      queue.addRateLimited("ns/a");
      while (queue.len() === 0) await clock.advance(1);
      delays.push(clock.now() - start);
      await drainReady(queue);
    }
    expect(delays).toEqual([5, 10, 20, 40]);
    expect(queue.numRequeues("ns/a")).toBe(4);
    queue.forget("ns/a");
    expect(queue.numRequeues("ns/a")).toBe(0);
  });

  it("never retries sooner than a Retry-After minimum", async () => {
    const { clock, queue } = makeQueue();
    queue.addRateLimited("ns/a", "normal", 3000);
    await clock.advance(2999);
    expect(queue.len()).toBe(0);
    await clock.advance(1);
    expect(queue.len()).toBe(1);
  });
});

describe("WorkQueue shutdown", () => {
  it("stops accepting keys, releases idle workers and drains work in progress", async () => {
    const { queue } = makeQueue();
    queue.add("ns/a");
    const inProgress = (await queue.get())!;
    const idle = queue.get();
    queue.shutDown();
    queue.add("ns/c");
    expect(queue.len()).toBe(0);
    const drained = queue.drain(60_000);
    queue.done(inProgress);
    expect(await drained).toBe(true);
    expect(await idle).toBeUndefined();
    expect(await queue.get()).toBeUndefined();
  });

  it("drops keys still waiting so shutdown is not held up by a backlog", async () => {
    const { queue } = makeQueue();
    for (let i = 0; i < 10; i++) queue.add(`ns/k${i}`);
    queue.addAfter("ns/later", 1000);
    queue.shutDown();
    expect(queue.len()).toBe(0);
    expect(queue.delayedLen()).toBe(0);
    expect(await queue.get()).toBeUndefined();
  });

  it("reports false when work in progress outlives the drain bound", async () => {
    const { clock, queue } = makeQueue();
    queue.add("ns/stuck");
    await queue.get();
    queue.shutDown();
    const drained = queue.drain(5000);
    await clock.advance(5000);
    expect(await drained).toBe(false);
  });
});

describe("WorkQueue fairness", () => {
  it("lets the event loop turn while workers take a backlog of keys whose work needs no I/O", async () => {
    const { queue } = makeQueue();
    for (let i = 0; i < 200; i++) queue.add(`ns/k${i}`);
    let takenWhenIoRan: number | undefined;
    let taken = 0;
    // Stands for a socket's callback: it runs on the next turn of the event loop.
    setImmediate(() => (takenWhenIoRan = taken));
    const worker = async () => {
      while (queue.len() > 0) {
        const item = (await queue.get())!;
        taken += 1;
        queue.done(item);
      }
    };
    await Promise.all([worker(), worker()]);
    expect(taken).toBe(200);
    expect(takenWhenIoRan).toBeDefined();
    expect(takenWhenIoRan!).toBeLessThan(200);
  });
});
