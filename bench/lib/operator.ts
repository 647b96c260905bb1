/**
 * The operator as a child process (`node --import tsx operator/src/main.ts`) against the
 * benchmark's API server: no leader election, probes and metrics on a free loopback port. With a
 * profile directory it runs under `--cpu-prof`, written when it stops.
 */
import { freePort, waitFor } from "../../test/harness/ports.js";
import { spawnNode, type Child } from "./processes.js";

export interface OperatorChild {
  child: Child;
  metricsURL: string;
  /** The Prometheus text exposition. */
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

export async function startOperatorChild(
  kubeconfigPath: string,
  options: { profileDir?: string; compiledRoot?: string } = {},
): Promise<OperatorChild> {
  const { profileDir, compiledRoot } = options;
  const port = await freePort();
  const nodeArgs = profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [];
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
    { nodeArgs, ...(compiledRoot ? { compiledRoot } : {}) },
  );
  const base = `http://127.0.0.1:${port}`;
  await waitFor("operator ready", async () => (await fetch(`${base}/readyz`)).ok, 120_000, 200);
  return {
    child,
    metricsURL: `${base}/metrics`,
    metrics: async () => (await fetch(`${base}/metrics`)).text(),
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
