import { existsSync, readFileSync } from "node:fs";
import type * as https from "node:https";
import type { Cluster, Context, KubeConfig as ClientNodeKubeConfig, User } from "@kubernetes/client-node";
import { isIPv6 } from "node:net";
import { homedir } from "node:os";
import path from "node:path";
import {
  mergeKubeconfigs,
  parseKubeconfig,
  type KubeconfigCluster,
  type KubeconfigContext,
  type KubeconfigDocument,
  type KubeconfigUser,
} from "./kubeconfig-document.js";

/**
 * Where the API server is and how to authenticate to it: all KubeClient needs from a kubeconfig.
 * client-node's KubeConfig has the same shape, so either can be handed to KubeClient.
 */
export interface ClusterAccess {
  getCurrentCluster(): { server: string; proxyUrl?: string } | null;
  /** Adds the TLS material and the credentials (headers, basic auth) for one request to `options`. */
  applyToHTTPSOptions(options: https.RequestOptions): Promise<void>;
}

/** A service account's token, CA and namespace, where Kubernetes mounts them in a pod. */
const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** A file the kubeconfig names is read again after this long (bound service account tokens rotate). */
const FILE_REREAD_MS = 60_000;

/**
 * A loaded kubeconfig. Certificates, keys, tokens and basic auth are applied here; users that need
 * an exec plugin, an auth-provider or impersonation, and clusters behind a proxy, are handed to
 * client-node's KubeConfig, imported only then: client-node's generated API models cost a process
 * about 70 MiB, which Roster otherwise never needs.
 */
export class KubeConfigFile implements ClusterAccess {
  private currentContext: string | undefined;
  private readonly files = new Map<string, { content: Buffer; readAt: number }>();
  private plugin: Promise<ClusterAccess> | undefined;

  constructor(
    private readonly doc: KubeconfigDocument,
    /** Loads the same configuration into client-node, for what only it implements. */
    private readonly loadIntoClientNode: (kc: ClientNodeKubeConfig) => void,
  ) {
    this.currentContext = doc.currentContext;
  }

  getContexts(): readonly KubeconfigContext[] {
    return this.doc.contexts;
  }

  getCurrentContext(): string | undefined {
    return this.currentContext;
  }

  setCurrentContext(name: string): void {
    if (!this.doc.contexts.some((c) => c.name === name))
      throw new Error(`context ${JSON.stringify(name)} is not in the kubeconfig`);
    this.currentContext = name;
    this.plugin = undefined;
  }

  getCurrentCluster(): KubeconfigCluster | null {
    const context = this.context();
    return this.doc.clusters.find((c) => c.name === context?.cluster) ?? null;
  }

  getCurrentUser(): KubeconfigUser | null {
    const context = this.context();
    return this.doc.users.find((u) => u.name === context?.user) ?? null;
  }

  async applyToHTTPSOptions(options: https.RequestOptions): Promise<void> {
    const cluster = this.getCurrentCluster();
    if (!cluster) throw new Error(`kubeconfig context ${JSON.stringify(this.currentContext)} has no cluster`);
    const user = this.getCurrentUser();
    if (user?.needsPlugin || cluster.proxyUrl) return (await this.clientNode()).applyToHTTPSOptions(options);
    if (cluster.skipTLSVerify) options.rejectUnauthorized = false;
    if (cluster.tlsServerName) options.servername = cluster.tlsServerName;
    const ca = this.fileOrData(cluster.caFile, cluster.caData);
    if (ca) options.ca = ca;
    if (!user) return;
    const cert = this.fileOrData(user.certFile, user.certData);
    const key = this.fileOrData(user.keyFile, user.keyData);
    if (cert) options.cert = cert;
    if (key) options.key = key;
    if (user.username !== undefined) options.auth = `${user.username}:${user.password ?? ""}`;
    const token =
      user.token ?? (user.tokenFile ? this.read(user.tokenFile).toString("utf8").trim() : undefined);
    if (token) options.headers = { ...options.headers, Authorization: `Bearer ${token}` };
  }

  private context(): KubeconfigContext | undefined {
    return this.doc.contexts.find((c) => c.name === this.currentContext);
  }

  private fileOrData(file: string | undefined, data: string | undefined): Buffer | undefined {
    if (data) return Buffer.from(data, "base64");
    return file ? this.read(file) : undefined;
  }

  /** A file's content, read at most once per FILE_REREAD_MS (applied on every request). */
  private read(file: string): Buffer {
    const cached = this.files.get(file);
    const now = Date.now();
    if (cached && now - cached.readAt < FILE_REREAD_MS) return cached.content;
    const content = readFileSync(file);
    this.files.set(file, { content, readAt: now });
    return content;
  }

  private clientNode(): Promise<ClusterAccess> {
    this.plugin ??= import("@kubernetes/client-node").then(({ KubeConfig }) => {
      const kc = new KubeConfig();
      this.loadIntoClientNode(kc);
      if (this.currentContext) kc.setCurrentContext(this.currentContext);
      return kc;
    });
    return this.plugin;
  }
}

/**
 * Loads credentials as kubectl and client-node find them: from `file` when given, otherwise
 * $KUBECONFIG, ~/.kube/config, then the pod's service account.
 *
 * A non-empty $KUBECONFIG is authoritative, as for kubectl: its files that exist are merged, the
 * ones that do not are skipped, and ~/.kube/config is never read. When none of them exists the
 * configuration is empty, so only a pod's service account can stand in (as client-go's in-cluster
 * fallback does); otherwise the error names the $KUBECONFIG value.
 * `env` is read for $KUBECONFIG, $HOME and the in-cluster variables.
 */
export function loadKubeConfig(file?: string, env: NodeJS.ProcessEnv = process.env): KubeConfigFile {
  if (file) return new KubeConfigFile(readKubeconfig(file), (kc) => kc.loadFromFile(file));
  const envList = env.KUBECONFIG ?? "";
  const fromEnv = envList.split(path.delimiter).filter((f) => f && existsSync(f));
  if (fromEnv.length > 0)
    return new KubeConfigFile(mergeKubeconfigs(fromEnv.map(readKubeconfig)), (kc) =>
      loadMergedIntoClientNode(kc, fromEnv),
    );
  const home = path.join(env.HOME || homedir(), ".kube", "config");
  if (envList === "" && existsSync(home))
    return new KubeConfigFile(readKubeconfig(home), (kc) => kc.loadFromFile(home));
  const inCluster = inClusterConfig(SERVICE_ACCOUNT_DIR, env);
  if (inCluster) return new KubeConfigFile(inCluster, (kc) => kc.loadFromCluster());
  if (envList !== "")
    throw new Error(
      `no kubeconfig found: none of the files in $KUBECONFIG (${JSON.stringify(envList)}) exists`,
    );
  throw new Error(
    "no kubeconfig found: pass one, set $KUBECONFIG, create ~/.kube/config, or run in a pod with a service account",
  );
}

/**
 * Loads `files` into client-node merged as kubectl merges them (the first file to name an entry or
 * a current context wins); client-node's own merge refuses a name defined twice.
 */
function loadMergedIntoClientNode(kc: ClientNodeKubeConfig, files: readonly string[]): void {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext: string | undefined;
  for (const file of files) {
    kc.loadFromFile(file);
    for (const c of kc.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
    currentContext ||= kc.getCurrentContext();
  }
  kc.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext,
  });
}

function readKubeconfig(file: string): KubeconfigDocument {
  return parseKubeconfig(readFileSync(file, "utf8"), path.resolve(file));
}

/** The pod's service account as a kubeconfig, or undefined when not running in a pod. */
export function inClusterConfig(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): KubeconfigDocument | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  const tokenFile = path.join(dir, "token");
  if (!host || !port || !existsSync(tokenFile)) return undefined;
  const scheme = ["80", "8080", "8001"].includes(port) ? "http" : "https";
  const server = `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  const namespaceFile = path.join(dir, "namespace");
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, "utf8").trim() : undefined;
  return {
    clusters: [{ name: "in-cluster", server, caFile: path.join(dir, "ca.crt"), skipTLSVerify: false }],
    users: [{ name: "service-account", tokenFile, needsPlugin: false }],
    contexts: [
      {
        name: "in-cluster",
        cluster: "in-cluster",
        user: "service-account",
        ...(namespace ? { namespace } : {}),
      },
    ],
    currentContext: "in-cluster",
  };
}
