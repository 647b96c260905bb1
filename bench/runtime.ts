/**
 * Runtime benchmark. Run: `npx tsx --expose-gc bench/runtime.ts [--keys=100000] [--objects=10000]`
 * 1. Work queue throughput: keys/s through N workers with a no-op reconcile (metrics on).
 * 2. Informer sync time and cache memory for N ConfigMaps of ~3 KB on the local API server.
 */
import { pino } from "pino";
import { Registry } from "prom-client";
import { startLocalKube } from "../test/harness/localkube.js";
import { realClock } from "../operator/src/runtime/clock.js";
import { Controller } from "../operator/src/runtime/controller.js";
import { Informer } from "../operator/src/runtime/informer/informer.js";
import { KubeClient } from "../operator/src/runtime/kube/client.js";
import type { KubeObject, ResourceType } from "../operator/src/runtime/kube/resource.js";
import { RuntimeMetrics } from "../operator/src/runtime/metrics.js";
import { done } from "../operator/src/runtime/result.js";

const CONFIGMAPS: ResourceType = { group: "", version: "v1", resource: "configmaps", namespaced: true };
const logger = pino({ level: "silent" });

function arg(name: string, fallback: number): number {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split("=")[1]) : fallback;
}

async function queueThroughput(keys: number, workers: number): Promise<number> {
  let remaining = keys;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const controller = new Controller({
    name: `bench-${workers}`,
    logger,
    workers,
    metrics: new RuntimeMetrics(new Registry(), realClock),
    reconcile: async () => {
      if (--remaining === 0) finish();
      return done;
    },
  });
  const started = performance.now();
  controller.start();
  for (let i = 0; i < keys; i++) controller.enqueue(`ns/key-${i}`);
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await controller.stop(1000);
  return keys / seconds;
}

function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

async function createObjects(client: KubeClient, count: number): Promise<void> {
  const payload = "x".repeat(2900);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      await client.create(CONFIGMAPS, {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: {
          namespace: "default",
          name: `bench-${i}`,
          labels: { bench: "yes", shard: String(i % 16) },
        },
        data: { payload },
      });
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function informerSync(count: number): Promise<void> {
  const kube = await startLocalKube({ server: { historyLimit: count * 2 } });
  try {
    const client = new KubeClient(kube.kubeConfig);
    const createStart = performance.now();
    await createObjects(client, count);
    console.log(
      `created ${count} ConfigMaps of ~3 KB in ${((performance.now() - createStart) / 1000).toFixed(1)} s`,
    );
    const before = heapMiB();
    const informer = new Informer<KubeObject>({ client, type: CONFIGMAPS, namespace: "default", logger });
    const started = performance.now();
    informer.start();
    await informer.waitForSync();
    const syncMs = performance.now() - started;
    const after = heapMiB();
    console.log(
      `informer sync: ${informer.store.size} objects in ${(syncMs / 1000).toFixed(2)} s; ` +
        `heap +${(after - before).toFixed(1)} MiB (${(((after - before) * 1024) / count).toFixed(2)} KiB/object)` +
        ((globalThis as { gc?: unknown }).gc ? "" : " [run with --expose-gc for a stable heap figure]"),
    );
    await informer.stop();
  } finally {
    await kube.stop();
  }
}

async function main(): Promise<void> {
  const keys = arg("keys", 100_000);
  for (const workers of [1, 4, 16]) {
    const rate = await queueThroughput(keys, workers);
    console.log(
      `queue: ${keys} keys, ${workers} workers, no-op reconcile: ${Math.round(rate).toLocaleString("en")} keys/s`,
    );
  }
  await informerSync(arg("objects", 10_000));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
