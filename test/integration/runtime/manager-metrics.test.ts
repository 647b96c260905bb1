import { Registry } from "prom-client";
import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import { Controller } from "../../../operator/src/runtime/controller.js";
import { startProbeServer, type ProbeServer } from "../../../operator/src/runtime/http-server.js";
import { enqueueObject } from "../../../operator/src/runtime/informer/event-handlers.js";
import { Informer } from "../../../operator/src/runtime/informer/informer.js";
import { KubeClient } from "../../../operator/src/runtime/kube/client.js";
import type { KubeObject } from "../../../operator/src/runtime/kube/resource.js";
import { Manager } from "../../../operator/src/runtime/manager.js";
import { RuntimeMetrics } from "../../../operator/src/runtime/metrics.js";
import { realClock } from "../../../operator/src/runtime/clock.js";
import { done } from "../../../operator/src/runtime/result.js";
import { CONFIGMAPS, configMap, createNamespace, quietLogger, waitFor } from "./fixtures.js";

interface Replica {
  manager: Manager;
  server: ProbeServer;
  reconciled: string[];
  registry: Registry;
}

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

describe("Manager, probes and metrics against the local API server", () => {
  let kube: LocalKube;
  let client: KubeClient;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    kube = await startLocalKube();
    client = new KubeClient(kube.kubeConfig);
    await createNamespace(client, "mgr");
  });
  afterAll(async () => {
    for (const r of replicas) {
      await r.manager.stop();
      await r.server.close();
    }
    await kube.stop();
  });

  async function startReplica(identity: string): Promise<Replica> {
    const logger = quietLogger();
    const registry = new Registry();
    const metrics = new RuntimeMetrics(registry, realClock);
    metrics.collectProcessMetrics();
    const reconciled: string[] = [];
    const controller = new Controller({
      name: "configmaps",
      logger,
      metrics,
      workers: 2,
      reconcile: async (key) => {
        reconciled.push(key);
        return done;
      },
    });
    const informer = new Informer<KubeObject>({ client, type: CONFIGMAPS, namespace: "mgr", logger });
    informer.addEventHandler(enqueueObject((key) => controller.enqueue(key)));
    const manager = new Manager({
      logger,
      leaderElection: {
        client,
        namespace: "default",
        leaseName: "runtime-test-manager",
        identity,
        leaseDurationMs: 3000,
        renewDeadlineMs: 2000,
        retryPeriodMs: 200,
      },
    });
    manager.addInformer(informer);
    manager.addController(controller);
    const server = await startProbeServer({
      port: 0,
      host: "127.0.0.1",
      registry,
      logger,
      readyChecks: manager.readyChecks(),
    });
    const replica = { manager, server, reconciled, registry };
    replicas.push(replica);
    return replica;
  }

  it("is not ready before its caches sync, then ready on every replica, leader or not", async () => {
    const first = await startReplica("first");
    expect((await get(first.server.port, "/readyz")).status).toBe(500);
    expect((await get(first.server.port, "/healthz")).body).toBe("ok\n");
    await first.manager.start();
    await waitFor("first to lead", () => first.manager.isLeader());
    const second = await startReplica("second");
    await second.manager.start();
    for (const r of [first, second])
      await waitFor("ready", async () => (await get(r.server.port, "/readyz")).status === 200);
    expect(second.manager.isLeader()).toBe(false);
  });

  it("reconciles only on the leader", async () => {
    const [leader, standby] = replicas as [Replica, Replica];
    for (const name of ["one", "two", "three"]) await client.create(CONFIGMAPS, configMap("mgr", name));
    await waitFor("the leader to reconcile all three", () =>
      ["mgr/one", "mgr/two", "mgr/three"].every((k) => leader.reconciled.includes(k)),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(standby.reconciled).toEqual([]);
  });

  it("exposes controller-runtime metrics and process metrics", async () => {
    const leader = replicas[0]!;
    const { status, body } = await get(leader.server.port, "/metrics");
    expect(status).toBe(200);
    const value = (series: string): number => {
      const line = body.split("\n").find((l) => l.startsWith(`${series} `));
      if (!line) throw new Error(`no series ${series} in /metrics`);
      return Number(line.slice(series.length + 1));
    };
    expect(
      value('controller_runtime_reconcile_total{controller="configmaps",result="success"}'),
    ).toBeGreaterThanOrEqual(3);
    expect(value('controller_runtime_reconcile_errors_total{controller="configmaps"}')).toBe(0);
    expect(
      value('controller_runtime_reconcile_time_seconds_count{controller="configmaps"}'),
    ).toBeGreaterThanOrEqual(3);
    expect(value('workqueue_adds_total{name="configmaps"}')).toBeGreaterThanOrEqual(3);
    expect(value('workqueue_depth{name="configmaps"}')).toBe(0);
    expect(value('workqueue_queue_duration_seconds_count{name="configmaps"}')).toBeGreaterThanOrEqual(3);
    expect(value('workqueue_work_duration_seconds_count{name="configmaps"}')).toBeGreaterThanOrEqual(3);
    expect(value('workqueue_retries_total{name="configmaps"}')).toBe(0);
    expect(value('workqueue_longest_running_processor_seconds{name="configmaps"}')).toBe(0);
    expect(value('workqueue_unfinished_work_seconds{name="configmaps"}')).toBe(0);
    expect(value("process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(value("nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
  });

  it("hands the controllers to the standby when the leader stops", async () => {
    const [leader, standby] = replicas as [Replica, Replica];
    await leader.manager.stop();
    await waitFor("the standby to lead", () => standby.manager.isLeader(), 15_000);
    await client.create(CONFIGMAPS, configMap("mgr", "four"));
    await waitFor("the new leader to reconcile", () => standby.reconciled.includes("mgr/four"));
  });
});
