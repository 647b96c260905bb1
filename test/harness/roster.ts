/**
 * Runs Roster end to end for integration tests: the local API server with Roster's CRDs, and the
 * operator in-process against it (no leader election, probes on a free port).
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import { OperatorConfig, startOperator, type RunningOperator } from "../../operator/src/main.js";
import { loadKubeConfig } from "../../operator/src/runtime/kube/kubeconfig.js";
import { startLocalKube, type LocalKube } from "./localkube.js";
import { waitFor } from "./ports.js";

export interface RosterEnv {
  kube: LocalKube;
  operator: RunningOperator;
  /** kubectl apply -f - of a YAML document; throws with kubectl's stderr on failure. */
  apply(yaml: string): Promise<void>;
  /** kubectl get -o json of one object. */
  get<T = Record<string, unknown>>(kind: string, name: string, namespace?: string): Promise<T>;
  stop(): Promise<void>;
}

export async function installCrds(kube: LocalKube): Promise<void> {
  const dir = path.resolve("crds");
  const files = (await readdir(dir)).filter((f) => f.endsWith(".yaml")).sort();
  const manifests = await Promise.all(files.map((f) => readFile(path.join(dir, f), "utf8")));
  const applied = await kube.kubectl(["apply", "-f", "-"], { input: manifests.join("\n---\n") });
  if (applied.code !== 0) throw new Error(`applying CRDs failed: ${applied.stderr}`);
  const waited = await kube.kubectl(["wait", "--for=condition=Established", "crd", "--all", "--timeout=30s"]);
  if (waited.code !== 0) throw new Error(`CRDs not established: ${waited.stderr}`);
}

export async function startRoster(): Promise<RosterEnv> {
  const kube = await startLocalKube();
  await installCrds(kube);
  const config = OperatorConfig.parse({
    httpPort: 0,
    httpHost: "127.0.0.1",
    leaderElection: { enabled: false },
  });
  const logger = pino({ level: process.env.ROSTER_TEST_LOG ?? "silent" });
  const operator = await startOperator(config, { kubeConfig: loadKubeConfig(kube.kubeconfigPath), logger });
  const apply = async (yaml: string) => {
    const result = await kube.kubectl(["apply", "-f", "-"], { input: yaml });
    if (result.code !== 0) throw new Error(`kubectl apply failed: ${result.stderr}`);
  };
  const get = async <T>(kind: string, name: string, namespace?: string): Promise<T> => {
    const args = ["get", kind, name, "-o", "json", ...(namespace ? ["-n", namespace] : [])];
    const result = await kube.kubectl(args);
    if (result.code !== 0) throw new Error(`kubectl get ${kind} ${name} failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  };
  return {
    kube,
    operator,
    apply,
    get,
    async stop() {
      await operator.stop();
      await kube.stop();
    },
  };
}

/** Waits until a condition of an object has the given status (reads through kubectl). */
export async function waitForCondition(
  env: RosterEnv,
  kind: string,
  name: string,
  type: string,
  status: "True" | "False",
  namespace?: string,
): Promise<void> {
  await waitFor(`${kind}/${name} ${type}=${status}`, async () => {
    const obj = await env.get<{ status?: { conditions?: Array<{ type: string; status: string }> } }>(
      kind,
      name,
      namespace,
    );
    return obj.status?.conditions?.some((c) => c.type === type && c.status === status) ?? false;
  });
}
