/**
 * The local API server as a child process (so its CPU and memory are its own), Roster's CRDs
 * installed with the real kubectl, and a small REST client for the benchmark's own writes.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";

import { jsonClient } from "../../test/harness/http-json.js";
import { freePort } from "../../test/harness/ports.js";
import { spawnNode, type Child } from "./processes.js";

export interface BenchKube {
  url: string;
  /** The admin bearer token. */
  token: string;
  kubeconfigPath: string;
  child: Child;
  /** One REST call with the admin token; throws on a status other than `expected`. */
  request(
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
    expected?: number[],
  ): Promise<unknown>;
  /** `kubectl apply -f -` of YAML documents. */
  apply(yaml: string): Promise<void>;
  /** The store's global resourceVersion (every write to any object advances it by one). */
  resourceVersion(): Promise<number>;
  stop(): Promise<void>;
}

interface KubeconfigFile {
  clusters: Array<{ cluster: { server: string } }>;
  users: Array<{ user: { token: string } }>;
}

export async function startBenchKube(compiledRoot?: string): Promise<BenchKube> {
  const dir = await mkdtemp(join(tmpdir(), "roster-bench-kube-"));
  const kubeconfigPath = join(dir, "kubeconfig");
  const port = await freePort();
  const child = await spawnNode(
    "localkube/src/main.ts",
    ["--port", String(port), "--kubeconfig-out", kubeconfigPath],
    {
      ready: /kubeconfig written/,
      ...(compiledRoot ? { compiledRoot } : {}),
    },
  );
  const config = parseYaml(await readFile(kubeconfigPath, "utf8")) as KubeconfigFile;
  const url = config.clusters[0]!.cluster.server;
  const token = config.users[0]!.user.token;
  const request = restClient(url, token);
  const kubectl = async (args: string[], input?: string) => {
    const proc = execFile("kubectl", args, {
      env: { ...process.env, KUBECONFIG: kubeconfigPath, KUBECACHEDIR: join(dir, "cache"), HOME: dir },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120_000,
    });
    proc.stdin?.end(input ?? "");
    let stderr = "";
    proc.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((done) => proc.on("close", done));
    if (code !== 0) throw new Error(`kubectl ${args.join(" ")} failed: ${stderr}`);
  };
  const crdDir = resolve("crds");
  const files = (await readdir(crdDir)).filter((f) => f.endsWith(".yaml")).sort();
  await kubectl(["apply", ...files.flatMap((f) => ["-f", join(crdDir, f)])]);
  await kubectl(["wait", "--for=condition=Established", "crd", "--all", "--timeout=60s"]);
  return {
    url,
    token,
    kubeconfigPath,
    child,
    request,
    apply: (yaml) => kubectl(["apply", "-f", "-"], yaml),
    async resourceVersion() {
      const list = (await request("GET", "/api/v1/namespaces?limit=1")) as {
        metadata: { resourceVersion: string };
      };
      return Number(list.metadata.resourceVersion);
    },
    async stop() {
      await child.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** REST calls with the admin token; throws on a status other than `expected`. */
function restClient(url: string, token: string): BenchKube["request"] {
  const client = jsonClient(url, { authorization: `Bearer ${token}` });
  return async (method, path, body, contentType = "application/json", expected = [200, 201]) => {
    const answer = await client.request(method, path, body, contentType);
    if (!expected.includes(answer.status))
      throw new Error(`${method} ${path} answered ${answer.status}: ${answer.text}`);
    return answer.body;
  };
}

/** Runs `task(item)` for each item with `concurrency` in flight. */
export async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
