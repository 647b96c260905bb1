/**
 * The local API server as a child process (so its CPU and memory are its own), Roster's CRDs
 * installed with the real kubectl, and a small REST client for the benchmark's own writes.
 */
import { execFile } from "node:child_process";
import http from "node:http";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
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

/**
 * REST calls with the admin token over keep-alive sockets (node:http rather than fetch, whose
 * per-request cost on this 2-core machine would come out of the API server's and Roster's CPU).
 */
function restClient(url: string, token: string): BenchKube["request"] {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  return (method, path, body, contentType = "application/json", expected = [200, 201]) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "application/json" };
    if (payload !== undefined) {
      headers["content-type"] = contentType;
      headers["content-length"] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const req = http.request(url + path, { method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (!expected.includes(res.statusCode ?? 0))
            reject(new Error(`${method} ${path} answered ${res.statusCode}: ${text}`));
          else resolve(text ? (JSON.parse(text) as unknown) : undefined);
        });
      });
      req.on("error", reject);
      req.end(payload);
    });
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
