import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import { FakeClock } from "../../../operator/src/runtime/fake-clock.js";
import {
  EVENTS,
  EventRecorder,
  type EventRecorderOptions,
} from "../../../operator/src/runtime/events/event-recorder.js";
import type { KubeObject } from "../../../operator/src/runtime/kube/resource.js";
import { CONFIGMAPS, CountingClient, configMap, quietLogger, waitFor } from "./fixtures.js";

interface EventObject extends KubeObject {
  reason?: string;
  note?: string;
  type?: string;
  series?: { count: number; lastObservedTime: string };
  regarding?: { name?: string; uid?: string };
}

/** A recorder writing through `client` under the test's controller name; `options` override the rest. */
function testRecorder(client: CountingClient, options: Partial<EventRecorderOptions>): EventRecorder {
  return new EventRecorder({
    client,
    logger: quietLogger(),
    reportingController: "runtime.test/controller",
    reportingInstance: "test-0",
    ...options,
  });
}

describe("EventRecorder against the local API server", () => {
  let kube: LocalKube;
  let client: CountingClient;

  beforeAll(async () => {
    kube = await startLocalKube();
    client = new CountingClient(kube.kubeConfig);
  });
  afterAll(async () => {
    await kube.stop();
  });

  it("aggregates a flapping error into one Event with a growing series count", async () => {
    const subject = await client.create(CONFIGMAPS, configMap("default", "flappy"));
    const recorder = testRecorder(client, {});
    const failure = {
      type: "Warning" as const,
      reason: "SyncFailed",
      action: "Sync",
      note: "The target refused the connection.",
    };
    const writesBefore = client.writes();
    for (let i = 0; i < 50; i++) await recorder.record(subject, failure);
    // One create, one patch for the first repeat; the rest wait for the flush interval.
    expect(client.writes() - writesBefore).toBe(2);
    await recorder.flush();
    await recorder.record(subject, { ...failure, type: "Normal", reason: "Synced", note: "In sync again." });

    const { items } = await client.list<EventObject>(EVENTS, { namespace: "default" });
    const mine = items.filter((e) => e.regarding?.uid === subject.metadata?.uid);
    expect(mine.map((e) => e.reason).sort()).toEqual(["SyncFailed", "Synced"]);
    const flapping = mine.find((e) => e.reason === "SyncFailed")!;
    expect(flapping.series?.count).toBe(50);
    expect(flapping.series?.lastObservedTime).toMatch(/\.\d{6}Z$/);
    expect(flapping.type).toBe("Warning");
    expect(mine.find((e) => e.reason === "Synced")?.series).toBeUndefined();
  });

  const eventsAbout = async (uid: string | undefined): Promise<EventObject[]> =>
    (await client.list<EventObject>(EVENTS, { namespace: "default" })).items.filter(
      (e) => e.regarding?.uid === uid,
    );

  it("sends buffered repeats after the flush interval and starts a new Event after the window", async () => {
    const clock = new FakeClock(Date.now());
    const subject = await client.create(CONFIGMAPS, configMap("default", "windowed"));
    const recorder = testRecorder(client, {
      clock,
      windowMs: 600_000,
      flushIntervalMs: 30_000,
    });
    const failure = { type: "Warning" as const, reason: "SyncFailed", action: "Sync", note: "Timed out." };
    for (let i = 0; i < 10; i++) await recorder.record(subject, failure);
    await clock.advance(30_000);
    await waitFor(
      "the buffered count to reach the API",
      async () => (await eventsAbout(subject.metadata?.uid))[0]?.series?.count === 10,
    );

    await clock.advance(600_000);
    await recorder.record(subject, failure);
    const events = await eventsAbout(subject.metadata?.uid);
    expect(events).toHaveLength(2);
    expect(events.map((e) => e.series?.count ?? 1).sort()).toEqual([1, 10]);
  });

  it("remembers at most maxSeries series, forgetting the oldest, and forgets expired ones", async () => {
    const clock = new FakeClock(Date.now());
    const subject = await client.create(CONFIGMAPS, configMap("default", "bounded"));
    const recorder = testRecorder(client, {
      clock,
      windowMs: 600_000,
      maxSeries: 3,
    });
    const note = (i: number) => ({
      type: "Normal" as const,
      reason: "Step",
      action: "Step",
      note: `step ${i}`,
    });
    for (let i = 0; i < 5; i++) await recorder.record(subject, note(i));
    expect(recorder.size).toBe(3);
    // The newest series is still remembered: its repeat updates it instead of creating an Event.
    await recorder.record(subject, note(4));
    const events = await eventsAbout(subject.metadata?.uid);
    expect(events).toHaveLength(5);
    expect(events.find((e) => e.note === "step 4")?.series?.count).toBe(2);
    await clock.advance(600_000);
    await recorder.record(subject, note(9));
    expect(recorder.size).toBe(1);
  });

  it("drops Events recorded while its send queue is full, reporting each drop, and sends the rest", async () => {
    const clock = new FakeClock(Date.now());
    const subject = await client.create(CONFIGMAPS, configMap("default", "flooded"));
    const recorder = testRecorder(client, {
      clock,
      qps: 1,
      burst: 1,
      maxQueued: 2,
      concurrency: 1,
    });
    const drops: string[] = [];
    recorder.onDropped(({ type, reason }) => drops.push(`${type}/${reason}`));
    const step = (i: number) => ({
      type: "Normal" as const,
      reason: "Step",
      action: "Step",
      note: `step ${i}`,
    });
    // One is sent at once (the burst), two wait for tokens, two find the queue full.
    const recorded = [0, 1, 2, 3, 4].map((i) => recorder.record(subject, step(i)));
    expect(recorder.dropped).toBe(2);
    expect(drops).toEqual(["Normal/Step", "Normal/Step"]);
    await clock.advance(2000);
    await Promise.all(recorded);
    const events = await eventsAbout(subject.metadata?.uid);
    expect(events.map((e) => e.note).sort()).toEqual(["step 0", "step 1", "step 2"]);
  });

  it("folds repeats recorded while the create waits in the queue into its series", async () => {
    const clock = new FakeClock(Date.now());
    const subject = await client.create(CONFIGMAPS, configMap("default", "queued-repeats"));
    const recorder = testRecorder(client, {
      clock,
      qps: 1,
      burst: 1,
      concurrency: 1,
    });
    const other = recorder.record(subject, {
      type: "Normal",
      reason: "Other",
      action: "Other",
      note: "first",
    });
    const failure = { type: "Warning" as const, reason: "SyncFailed", action: "Sync", note: "Refused." };
    const recorded = [1, 2, 3].map(() => recorder.record(subject, failure));
    await clock.advance(1000);
    await Promise.all([other, ...recorded]);
    await waitFor(
      "the folded count to reach the API",
      async () =>
        (await eventsAbout(subject.metadata?.uid)).find((e) => e.reason === "SyncFailed")?.series?.count ===
        3,
    );
    const events = await eventsAbout(subject.metadata?.uid);
    expect(events.map((e) => e.reason).sort()).toEqual(["Other", "SyncFailed"]);
    expect(recorder.dropped).toBe(0);
  });
});
