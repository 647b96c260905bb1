import path from "node:path";
import { parse } from "yaml";

/**
 * A kubeconfig as kubectl reads it (clusters, users, contexts, current-context), parsed without
 * touching the files it refers to. Pure: relative file paths are resolved against `baseDir`, the
 * directory of the file that names them, as kubectl does.
 */
export interface KubeconfigCluster {
  name: string;
  server: string;
  caFile?: string;
  caData?: string;
  skipTLSVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
}

export interface KubeconfigUser {
  name: string;
  token?: string;
  tokenFile?: string;
  certFile?: string;
  certData?: string;
  keyFile?: string;
  keyData?: string;
  username?: string;
  password?: string;
  /**
   * The user authenticates with something Roster does not implement itself (an exec plugin, an
   * auth-provider, impersonation): client-node handles it, loaded only then.
   */
  needsPlugin: boolean;
}

export interface KubeconfigContext {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
}

export interface KubeconfigDocument {
  clusters: KubeconfigCluster[];
  users: KubeconfigUser[];
  contexts: KubeconfigContext[];
  currentContext?: string;
}

type Fields = Record<string, unknown>;

/** Parses one kubeconfig file's text; throws with the file and the entry named when it is malformed. */
export function parseKubeconfig(text: string, source: string): KubeconfigDocument {
  const raw: unknown = parse(text);
  if (raw === null || raw === undefined) return { clusters: [], users: [], contexts: [] };
  if (typeof raw !== "object" || Array.isArray(raw)) throw new Error(`${source}: not a kubeconfig mapping`);
  const doc = raw as Fields;
  const baseDir = path.dirname(source);
  const currentContext = optionalString(doc["current-context"], `${source}: current-context`);
  return {
    clusters: entries(doc.clusters, "cluster", source).map(([name, c]) =>
      clusterOf(name, c, baseDir, source),
    ),
    users: entries(doc.users, "user", source).map(([name, u]) => userOf(name, u, baseDir, source)),
    contexts: entries(doc.contexts, "context", source).map(([name, c]) => contextOf(name, c, source)),
    ...(currentContext ? { currentContext } : {}),
  };
}

/**
 * Merges kubeconfigs as kubectl merges $KUBECONFIG: the first file to define a named cluster,
 * user or context, or the current context, wins.
 */
export function mergeKubeconfigs(docs: KubeconfigDocument[]): KubeconfigDocument {
  const firstByName = <T extends { name: string }>(lists: T[][]): T[] => {
    const seen = new Map<string, T>();
    for (const item of lists.flat()) if (!seen.has(item.name)) seen.set(item.name, item);
    return [...seen.values()];
  };
  const currentContext = docs.find((d) => d.currentContext)?.currentContext;
  return {
    clusters: firstByName(docs.map((d) => d.clusters)),
    users: firstByName(docs.map((d) => d.users)),
    contexts: firstByName(docs.map((d) => d.contexts)),
    ...(currentContext ? { currentContext } : {}),
  };
}

/** The `- name: x\n  <kind>: {...}` entries of a list; `where` names the list for errors. */
function entries(list: unknown, kind: string, source: string): [string, Fields][] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new Error(`${source}: ${kind}s must be a list`);
  return list.map((item: unknown, index) => {
    const where = `${source}: ${kind}s[${index}]`;
    if (typeof item !== "object" || item === null) throw new Error(`${where} must be a mapping`);
    const name = (item as Fields).name;
    if (typeof name !== "string" || name === "") throw new Error(`${where}.name is missing`);
    const body = (item as Fields)[kind] ?? {};
    if (typeof body !== "object" || body === null) throw new Error(`${where}.${kind} must be a mapping`);
    return [name, body as Fields];
  });
}

function clusterOf(name: string, c: Fields, baseDir: string, source: string): KubeconfigCluster {
  const where = `${source}: cluster ${JSON.stringify(name)}`;
  const server = optionalString(c.server, `${where} server`);
  if (!server) throw new Error(`${where} has no server`);
  return compact({
    name,
    server,
    caFile: filePath(c["certificate-authority"], baseDir, `${where} certificate-authority`),
    caData: optionalString(c["certificate-authority-data"], `${where} certificate-authority-data`),
    skipTLSVerify: c["insecure-skip-tls-verify"] === true,
    tlsServerName: optionalString(c["tls-server-name"], `${where} tls-server-name`),
    proxyUrl: optionalString(c["proxy-url"], `${where} proxy-url`),
  });
}

function userOf(name: string, u: Fields, baseDir: string, source: string): KubeconfigUser {
  const where = `${source}: user ${JSON.stringify(name)}`;
  const text = (key: string) => optionalString(u[key], `${where} ${key}`);
  const file = (key: string) => filePath(u[key], baseDir, `${where} ${key}`);
  return compact({
    name,
    token: text("token"),
    tokenFile: file("tokenFile"),
    certFile: file("client-certificate"),
    certData: text("client-certificate-data"),
    keyFile: file("client-key"),
    keyData: text("client-key-data"),
    username: text("username"),
    password: text("password"),
    needsPlugin: ["exec", "auth-provider", "as", "as-uid", "as-groups"].some((key) => u[key] !== undefined),
  });
}

function contextOf(name: string, c: Fields, source: string): KubeconfigContext {
  const where = `${source}: context ${JSON.stringify(name)}`;
  const cluster = optionalString(c.cluster, `${where} cluster`);
  const user = optionalString(c.user, `${where} user`);
  if (!cluster) throw new Error(`${where} names no cluster`);
  return compact({
    name,
    cluster,
    user: user ?? "",
    namespace: optionalString(c.namespace, `${where} namespace`),
  });
}

function optionalString(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new Error(`${where} must be a string`);
  return value;
}

function filePath(value: unknown, baseDir: string, where: string): string | undefined {
  const file = optionalString(value, where);
  return file === undefined ? undefined : path.resolve(baseDir, file);
}

/** Drops the keys whose value is undefined (exactOptionalPropertyTypes-friendly objects). */
function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
