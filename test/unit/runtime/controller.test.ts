import { Writable } from "node:stream";
import { pino } from "pino";
import { Registry } from "prom-client";
import { ConflictError, TerminalError, TransientError } from "../../../operator/src/errors.js";
import { ApiError } from "../../../operator/src/runtime/kube/client.js";
import { Controller, type ReconcileContext } from "../../../operator/src/runtime/controller.js";
import { FakeClock, flushPromises } from "../../../operator/src/runtime/fake-clock.js";
import { RuntimeMetrics } from "../../../operator/src/runtime/metrics.js";
import { ExponentialBackoffLimiter } from "../../../operator/src/runtime/queue/rate-limiter.js";
import {
  done,
  requeueAfter,
  resultFromError,
  terminalError,
  transientError,
  type ReconcileResult,
} from "../../../operator/src/runtime/result.js";

interface Harness {
  clock: FakeClock;
  controller: Controller;
  calls: Array<{ key: string; at: number; ctx: ReconcileContext }>;
  registry: Registry;
  logLines: Array<Record<string, unknown>>;
}

function makeController(
  reconcile: (key: string, ctx: ReconcileContext) => Promise<ReconcileResult>,
  workers = 1,
): Harness {
  const clock = new FakeClock();
  const calls: Harness["calls"] = [];
  const logLines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      cb();
    },
  });
  const registry = new Registry();
  const controller = new Controller({
    name: "widgets",
    logger: pino({ level: "debug" }, sink),
    clock,
    workers,
    metrics: new RuntimeMetrics(registry, clock),
    queue: { rateLimiter: new ExponentialBackoffLimiter(5, 1000) },
    reconcile: async (key, ctx) => {
      calls.push({ key, at: clock.now(), ctx });
      return reconcile(key, ctx);
    },
  });
  return { clock, controller, calls, registry, logLines };
}

async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  const match = metric?.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return match?.value ?? 0;
}

describe("Controller", () => {
  it("gives each reconcile a child logger and context with controller, key and a reconcile id", async () => {
    const h = makeController(async (_key, ctx) => {
      ctx.logger.info("hello");
      return done;
    });
    h.controller.start();
    h.controller.enqueue("ns/a");
    await flushPromises();
    const line = h.logLines.find((l) => l.msg === "hello")!;
    expect(line).toMatchObject({
      controller: "widgets",
      key: "ns/a",
      reconcileID: h.calls[0]!.ctx.reconcileID,
    });
    expect(h.calls[0]!.ctx.reconcileID).toMatch(/^[0-9a-f-]{36}$/);
    expect(await metricValue(h.registry, "controller_runtime_reconcile_total", { result: "success" })).toBe(
      1,
    );
    await h.controller.stop(1000);
  });

  it("retries a transient error with growing backoff, then forgets the history on success", async () => {
    let failures = 3;
    const h = makeController(async () => (failures-- > 0 ? transientError(new Error("down")) : done));
    h.controller.start();
    h.controller.enqueue("ns/a");
    await h.clock.advance(100);
    const starts = h.calls.map((c) => c.at - h.calls[0]!.at);
    expect(starts).toEqual([0, 5, 15, 35]);
    expect(h.calls.map((c) => c.ctx.attempt)).toEqual([0, 1, 2, 3]);
    expect(h.controller.queue.numRequeues("ns/a")).toBe(0);
    expect(await metricValue(h.registry, "controller_runtime_reconcile_errors_total", {})).toBe(3);
    expect(await metricValue(h.registry, "workqueue_retries_total", { name: "widgets" })).toBe(3);
    await h.controller.stop(1000);
  });

  it("honours a thrown TransientError's retryAfterMs", async () => {
    let first = true;
    const h = makeController(async () => {
      if (!first) return done;
      first = false;
      throw new TransientError("Busy", "target busy", { retryAfterMs: 2000 });
    });
    h.controller.start();
    h.controller.enqueue("ns/a");
    await h.clock.advance(1999);
    expect(h.calls).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.calls).toHaveLength(2);
    await h.controller.stop(1000);
  });

  it("does not retry a terminal error, returned or thrown", async () => {
    const h = makeController(async (key) => {
      if (key === "ns/thrown") throw new TerminalError("BadSpec", "spec is invalid");
      return terminalError(new Error("no"));
    });
    h.controller.start();
    h.controller.enqueue("ns/returned");
    h.controller.enqueue("ns/thrown");
    await h.clock.advance(60_000);
    expect(h.calls.map((c) => c.key)).toEqual(["ns/returned", "ns/thrown"]);
    expect(await metricValue(h.registry, "controller_runtime_terminal_reconcile_errors_total", {})).toBe(2);
    await h.controller.stop(1000);
  });

  it("requeues at exactly the requested delay", async () => {
    let count = 0;
    const h = makeController(async () => (count++ === 0 ? requeueAfter(30_000) : done));
    h.controller.start();
    h.controller.enqueue("ns/a");
    await h.clock.advance(29_999);
    expect(h.calls).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.calls).toHaveLength(2);
    expect(h.calls[1]!.at - h.calls[0]!.at).toBe(30_000);
    await h.controller.stop(1000);
  });

  it("never reconciles the same key on two workers at once", async () => {
    const inFlight = new Set<string>();
    let overlaps = 0;
    let maxParallel = 0;
    const h = makeController(async (key) => {
      if (inFlight.has(key)) overlaps++;
      inFlight.add(key);
      maxParallel = Math.max(maxParallel, inFlight.size);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight.delete(key);
      return done;
    }, 4);
    h.controller.start();
    for (let round = 0; round < 20; round++) {
      for (const key of ["ns/a", "ns/b", "ns/c", "ns/d"]) h.controller.enqueue(key);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await flushPromises(20);
    expect(overlaps).toBe(0);
    expect(maxParallel).toBeGreaterThan(1);
    await h.controller.stop(1000);
  });

  it("drains a reconcile in progress on stop, and aborts it past the bound", async () => {
    let release: () => void = () => undefined;
    let seenSignal: AbortSignal | undefined;
    const h = makeController(async (_key, ctx) => {
      seenSignal = ctx.signal;
      await new Promise<void>((resolve) => (release = resolve));
      return done;
    });
    h.controller.start();
    h.controller.enqueue("ns/slow");
    await flushPromises();
    const stopped = h.controller.stop(5000);
    await h.clock.advance(5000);
    expect(await stopped).toBe(false);
    expect(seenSignal?.aborted).toBe(true);
    release();
  });
});

describe("resultFromError", () => {
  it.each([
    {
      name: "TerminalError: no retry",
      thrown: new TerminalError("BadSpec", "bad"),
      kind: "terminalError",
      retry: undefined,
    },
    {
      name: "ConflictError: no retry",
      thrown: new ConflictError("Unowned", "taken"),
      kind: "terminalError",
      retry: undefined,
    },
    {
      name: "TransientError keeps its retry-after",
      thrown: new TransientError("Busy", "busy", { retryAfterMs: 1500 }),
      kind: "transientError",
      retry: 1500,
    },
    {
      name: "API 429 keeps the server's Retry-After",
      thrown: new ApiError(429, "TooManyRequests", "slow down", 3),
      kind: "transientError",
      retry: 3000,
    },
    { name: "anything else is transient", thrown: "a string", kind: "transientError", retry: undefined },
  ])("$name", ({ thrown, kind, retry }) => {
    const result = resultFromError(thrown);
    expect(result.kind).toBe(kind);
    expect((result as { retryAfterMs?: number }).retryAfterMs).toBe(retry);
  });
});
