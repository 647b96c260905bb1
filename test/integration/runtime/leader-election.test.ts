import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import { KubeClient } from "../../../operator/src/runtime/kube/client.js";
import { LEASES, LeaderElector, type LeaseSpec } from "../../../operator/src/runtime/leader-election.js";
import type { KubeObject } from "../../../operator/src/runtime/kube/resource.js";
import { quietLogger, waitFor } from "./fixtures.js";

const TIMINGS = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 200 };

describe("LeaderElector against the local API server", () => {
  let kube: LocalKube;
  let client: KubeClient;
  const electors: LeaderElector[] = [];

  beforeAll(async () => {
    // Requests the electors abort (deadline test) are reported by the server as "aborted": expected.
    const onError = (err: unknown): void => {
      if ((err as Error).message !== "aborted") console.error("localkube internal error", err);
    };
    kube = await startLocalKube({ server: { onError } });
    client = new KubeClient(kube.kubeConfig);
  });
  afterAll(async () => {
    await Promise.all(electors.map((e) => e.stop()));
    await kube.stop();
  });

  /** When each identity last stopped leading (wall clock). */
  const stoppedAt = new Map<string, number>();

  function candidate(leaseName: string, identity: string, log: string[]): LeaderElector {
    const elector = new LeaderElector({
      client,
      namespace: "default",
      leaseName,
      identity,
      logger: quietLogger(),
      ...TIMINGS,
      onStartedLeading: () => log.push(`${identity} started`),
      onStoppedLeading: () => {
        stoppedAt.set(identity, Date.now());
        log.push(`${identity} stopped`);
      },
    });
    electors.push(elector);
    elector.start();
    return elector;
  }

  const readLease = async (name: string) =>
    (await client.get<KubeObject & { spec: LeaseSpec }>(LEASES, { namespace: "default", name })).spec;

  it("hands over to the standby within the lease duration when the leader dies without releasing", async () => {
    const log: string[] = [];
    const a = candidate("failover", "a", log);
    await waitFor("a to lead", () => a.isLeader());
    const b = candidate("failover", "b", log);
    // b must stay a standby while a keeps renewing (several retry periods).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(b.isLeader()).toBe(false);
    const lease = await readLease("failover");
    expect(lease.holderIdentity).toBe("a");
    expect(lease.leaseDurationSeconds).toBe(3);
    expect(lease.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    const killedAt = Date.now();
    await a.abandon();
    await waitFor("b to take over", () => b.isLeader(), 15_000);
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThanOrEqual(TIMINGS.leaseDurationMs + 4 * TIMINGS.retryPeriodMs + 1000);
    const after = await readLease("failover");
    expect(after.holderIdentity).toBe("b");
    expect(after.leaseTransitions).toBe(1);
    expect(log).toEqual(["a started", "a stopped", "b started"]);
  });

  it("stops leading within the renew deadline when the API server stops answering", async () => {
    const log: string[] = [];
    const a = candidate("deadline", "d", log);
    await waitFor("d to lead", () => a.isLeader());
    const slowSince = Date.now();
    kube.hooks.setLatency(60_000);
    try {
      await waitFor("d to step down", () => !a.isLeader(), 15_000);
    } finally {
      kube.hooks.setLatency(0);
    }
    // It stepped down before its lease could expire for a standby (no two leaders).
    expect(stoppedAt.get("d")! - slowSince).toBeLessThan(TIMINGS.leaseDurationMs);
    expect(log).toEqual(["d started", "d stopped"]);
  });

  it("releases the lease on stop so the standby takes over at once", async () => {
    const log: string[] = [];
    const a = candidate("release", "a", log);
    await waitFor("a to lead", () => a.isLeader());
    const b = candidate("release", "b", log);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stoppedAt = Date.now();
    await a.stop();
    await waitFor("b to take over", () => b.isLeader(), 15_000);
    expect(Date.now() - stoppedAt).toBeLessThan(TIMINGS.leaseDurationMs);
    await b.stop();
    const released = await readLease("release");
    expect(released.holderIdentity).toBeUndefined();
    expect(released.leaseDurationSeconds).toBe(1);
    expect(log).toEqual(["a started", "a stopped", "b started", "b stopped"]);
  });
});
