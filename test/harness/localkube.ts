/**
 * Test harness: starts Roster's local Kubernetes API server in-process on a free port,
 * writes a kubeconfig, and runs the real kubectl against it.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { LocalKubeServer, type LocalKubeOptions } from "../../localkube/src/server.js";

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface LocalKube {
  url: string;
  kubeconfigPath: string;
  /** client-node config for the admin user. */
  kubeConfig: KubeConfig;
  adminToken: string;
  /** Runs the real kubectl with KUBECONFIG and a fresh KUBECACHEDIR; `token` overrides the user. */
  kubectl(
    args: string[],
    opts?: { input?: string; token?: string; timeoutMs?: number },
  ): Promise<KubectlResult>;
  hooks: { compactHistory(): void; dropWatches(): void; setLatency(ms: number): void };
  issueServiceAccountToken(namespace: string, name: string): Promise<string>;
  /** client-node config that authenticates with `token` (e.g. a ServiceAccount's) instead of the admin. */
  kubeConfigForToken(token: string): KubeConfig;
  /** The in-process server (store, registry) for white-box assertions. */
  server: LocalKubeServer;
  stop(): Promise<void>;
}

export interface StartLocalKubeOptions {
  /** HTTPS with a self-signed CA; defaults to true when rbac is on (kubectl sends tokens only over TLS). */
  tls?: boolean;
  rbac?: boolean;
  dataDir?: string;
  /** Extra server options (minor version, delays, timeouts). */
  server?: LocalKubeOptions;
}

function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  input: string | undefined,
  timeoutMs: number,
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      "kubectl",
      args,
      { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

export async function startLocalKube(options: StartLocalKubeOptions = {}): Promise<LocalKube> {
  const dir = await mkdtemp(path.join(tmpdir(), "localkube-"));
  const serverOptions: LocalKubeOptions = { ...options.server };
  // kubectl never sends a bearer token over plain HTTP, so RBAC implies TLS unless told otherwise.
  const tls = options.tls ?? options.rbac ?? false;
  if (tls) serverOptions.tls = true;
  if (options.rbac !== undefined) serverOptions.rbac = options.rbac;
  if (options.dataDir !== undefined) serverOptions.dataDir = options.dataDir;
  const server = new LocalKubeServer(serverOptions);
  const url = await server.start();
  const adminToken = server.authenticator.adminToken;
  const kubeconfigPath = path.join(dir, "kubeconfig");
  await writeFile(kubeconfigPath, server.kubeconfig());
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  let cacheCounter = 0;
  const kubectl = async (
    args: string[],
    opts: { input?: string; token?: string; timeoutMs?: number } = {},
  ): Promise<KubectlResult> => {
    let configPath = kubeconfigPath;
    if (opts.token) {
      configPath = path.join(dir, `kubeconfig-${++cacheCounter}`);
      await writeFile(configPath, server.kubeconfig(opts.token, "token-user"));
    }
    const env = {
      ...process.env,
      KUBECONFIG: configPath,
      KUBECACHEDIR: path.join(dir, `cache-${++cacheCounter}`),
      HOME: dir,
    };
    return run(args, env, opts.input, opts.timeoutMs ?? 30_000);
  };
  return {
    url,
    kubeconfigPath,
    kubeConfig,
    adminToken,
    kubectl,
    hooks: server.hooks,
    issueServiceAccountToken: async (namespace, name) => server.authenticator.issue(namespace, name),
    kubeConfigForToken: (token) => {
      const config = new KubeConfig();
      config.loadFromString(server.kubeconfig(token, "token-user"));
      return config;
    },
    server,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
