/**
 * The operator as a child process (`node --import tsx operator/src/main.ts`) against the
 * benchmark's API server: no leader election, probes and metrics on a free loopback port. With a
 * profile directory it runs under `--cpu-prof`, written when it stops.
 */
import { freePort, waitFor } from "../../test/harness/ports.js";
import { readFile, readdir, rename, stat } from "node:fs/promises";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { spawnNode, type Child } from "./processes.js";

const DEPLOYMENT = "manifests/base/deployment.yaml";

/** The environment variables of the shipped Deployment's operator container that shape its memory. */
const RUNTIME_ENV = ["NODE_OPTIONS", "MALLOC_ARENA_MAX"];

/**
 * Those variables as the shipped Deployment sets them (the V8 heap ceiling and young generation,
 * glibc's arenas), so the benchmark's operator runs with the same memory settings as production.
 */
export async function productionRuntimeEnv(): Promise<Record<string, string>> {
  const docs = parseAllDocuments(await readFile(DEPLOYMENT, "utf8")).map((d) => d.toJS() as unknown);
  const deployment = docs.find((d) => (d as { kind?: string } | null)?.kind === "Deployment") as
    | { spec: { template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } } }
    | undefined;
  const env = deployment?.spec.template.spec.containers[0]?.env ?? [];
  const runtime = Object.fromEntries(
    env.filter((e) => RUNTIME_ENV.includes(e.name) && e.value !== undefined).map((e) => [e.name, e.value!]),
  );
  if (runtime.NODE_OPTIONS === undefined)
    throw new Error(`${DEPLOYMENT} sets no NODE_OPTIONS for the operator`);
  return runtime;
}

export interface OperatorChild {
  child: Child;
  metricsURL: string;
  /** The Prometheus text exposition. */
  metrics(): Promise<string>;
  /** Writes a heap snapshot into the heap directory and returns its path (only with `heapDir`). */
  heapSnapshot(label: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startOperatorChild(
  kubeconfigPath: string,
  options: { profileDir?: string; heapDir?: string; compiledRoot?: string } = {},
): Promise<OperatorChild> {
  const { profileDir, heapDir, compiledRoot } = options;
  const port = await freePort();
  const nodeArgs = [
    ...(profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : []),
    ...(heapDir ? ["--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${heapDir}`] : []),
  ];
  const child = await spawnNode(
    "operator/src/main.ts",
    [
      "--kubeconfig",
      kubeconfigPath,
      "--leader-election.enabled",
      "false",
      "--http-host",
      "127.0.0.1",
      "--http-port",
      String(port),
      "--log-level",
      process.env.ROSTER_BENCH_LOG ?? "error",
    ],
    {
      nodeArgs,
      env: await productionRuntimeEnv(),
      ...(compiledRoot ? { compiledRoot } : {}),
    },
  );
  const base = `http://127.0.0.1:${port}`;
  await waitFor("operator ready", async () => (await fetch(`${base}/readyz`)).ok, 120_000, 200).catch(
    (err: unknown) => {
      throw new Error(
        `${String(err)}; operator exit code ${child.process.exitCode}; stderr: ${child.tail()}`,
      );
    },
  );
  return {
    child,
    metricsURL: `${base}/metrics`,
    metrics: async () => (await fetch(`${base}/metrics`)).text(),
    heapSnapshot: (label) => {
      if (!heapDir) throw new Error("the operator was started without a heap directory");
      return takeHeapSnapshot(child, heapDir, label);
    },
    stop: () => child.stop(),
  };
}

/** Sum of a metric's samples whose labels include every `match` pair. */
export function metricSum(text: string, name: string, match: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels = m[2] ?? "";
    if (Object.entries(match).every(([k, v]) => labels.includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}

/** Signals the child to write a heap snapshot, waits until the file is complete, names it by `label`. */
async function takeHeapSnapshot(child: Child, dir: string, label: string): Promise<string> {
  const before = new Set(await readdir(dir));
  child.process.kill("SIGUSR2");
  let file: string | undefined;
  let size = -1;
  await waitFor(
    "heap snapshot written",
    async () => {
      file ??= (await readdir(dir)).find((f) => f.endsWith(".heapsnapshot") && !before.has(f));
      if (!file) return false;
      const now = (await stat(join(dir, file))).size;
      const settled = now > 0 && now === size;
      size = now;
      return settled;
    },
    300_000,
    1000,
  );
  const target = join(dir, `${label}.heapsnapshot`);
  await rename(join(dir, file as string), target);
  return target;
}
