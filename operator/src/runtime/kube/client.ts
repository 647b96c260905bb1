import * as http from "node:http";
import * as https from "node:https";
import type { ClusterAccess } from "./kubeconfig.js";
import { resourcePath, type KubeObject, type ObjectRef, type ResourceType } from "./resource.js";
import { withDeadline } from "../deadline.js";

/** An HTTP error answer from the API server, with its Status body's reason and message. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    /** The Status `reason` (e.g. "Conflict", "NotFound", "Expired"), when the server sent one. */
    readonly reason: string | undefined,
    message: string,
    /** Seconds from a Retry-After header, when present. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const isNotFound = (err: unknown): boolean => err instanceof ApiError && err.statusCode === 404;
export const isConflict = (err: unknown): boolean => err instanceof ApiError && err.statusCode === 409;
export const isGone = (err: unknown): boolean => err instanceof ApiError && err.statusCode === 410;
export const isInvalid = (err: unknown): boolean => err instanceof ApiError && err.statusCode === 422;

export const ContentType = {
  Json: "application/json",
  MergePatch: "application/merge-patch+json",
  JsonPatch: "application/json-patch+json",
} as const;

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; the client follows `continue` tokens until the list is complete. */
  pageSize?: number;
  signal?: AbortSignal;
}

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
}

export interface JsonPatchOp {
  op: "add" | "remove" | "replace" | "test" | "move" | "copy";
  path: string;
  value?: unknown;
}

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Connections to the API server at most; further requests wait for one. Without a bound, a burst
 * (thousands of status writes and Events after a bulk sync) opens a connection per request, which
 * costs both sides more than the requests themselves.
 */
const MAX_CONNECTIONS = 32;

/**
 * A small generic REST client over a ClusterAccess (a kubeconfig: server, TLS and credentials).
 * It addresses resources by ResourceType so the runtime needs no per-type client, sends the right
 * Content-Type for each patch type, throws ApiError on non-2xx answers, and streams watches.
 */
export class KubeClient {
  /** Requests share up to MAX_CONNECTIONS keep-alive connections; watches (long-lived) get their own. */
  private readonly agents: { requests?: http.Agent; watches?: http.Agent } = {};

  constructor(readonly kubeConfig: ClusterAccess) {}

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const { url, httpsOptions, headers } = await this.prepare(path, options.query);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    if (body !== undefined) headers["Content-Type"] = options.contentType ?? ContentType.Json;
    const agent = this.agentFor("requests", url, httpsOptions);
    const { status, text, retryAfter } = await withDeadline(REQUEST_TIMEOUT_MS, options.signal, (signal) =>
      send(url, { ...httpsOptions, agent, method, headers, signal }, body),
    );
    if (status < 200 || status > 299) throw apiErrorFrom(method, url.pathname, status, text, retryAfter);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * Streams a watch (GET with `watch=true`): calls `onEvent` for each event line, in order, and
   * resolves when the server ends the stream or `signal` aborts it. Rejects with ApiError when the
   * server refuses the watch (410 Gone included), or when a line is not a watch event.
   */
  async watch(
    path: string,
    query: RequestOptions["query"],
    onEvent: (type: string, object: unknown) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const { url, httpsOptions, headers } = await this.prepare(path, { ...query, watch: true });
    const agent = this.agentFor("watches", url, httpsOptions);
    await streamLines(url, { ...httpsOptions, agent, method: "GET", headers, signal }, (line) => {
      const event = JSON.parse(line) as { type?: unknown; object?: unknown };
      if (typeof event.type !== "string")
        throw new Error(`watch ${url.pathname}: not a watch event: ${line.slice(0, 200)}`);
      onEvent(event.type, event.object);
    });
  }

  /** The URL and the per-request TLS options and headers (credentials are applied per request: tokens rotate). */
  private async prepare(path: string, query: RequestOptions["query"]) {
    const server = this.kubeConfig.getCurrentCluster()?.server;
    if (!server) throw new Error("kubeconfig has no current cluster");
    const url = new URL(server.replace(/\/$/, "") + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const httpsOptions: https.RequestOptions = {};
    await this.kubeConfig.applyToHTTPSOptions(httpsOptions);
    const credentials = (httpsOptions.headers ?? {}) as http.OutgoingHttpHeaders;
    const headers: http.OutgoingHttpHeaders = { ...credentials, Accept: ContentType.Json };
    return { url, httpsOptions, headers };
  }

  /**
   * Connections are reused through keep-alive agents built once from the kubeconfig's TLS material
   * (a fresh agent per request would mean a fresh TLS handshake per request). With a proxy
   * configured, the agent the kubeconfig supplies (client-node's) is used.
   */
  private agentFor(
    use: "requests" | "watches",
    url: URL,
    options: https.RequestOptions,
  ): http.Agent | undefined {
    if (this.kubeConfig.getCurrentCluster()?.proxyUrl) return options.agent as http.Agent | undefined;
    const maxSockets = use === "requests" ? MAX_CONNECTIONS : Infinity;
    if (!this.agents[use]) {
      const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername } = options;
      this.agents[use] =
        url.protocol === "https:"
          ? new https.Agent({
              keepAlive: true,
              maxSockets,
              ca,
              cert,
              key,
              pfx,
              passphrase,
              rejectUnauthorized,
              servername,
            })
          : new http.Agent({ keepAlive: true, maxSockets });
    }
    return this.agents[use];
  }

  /** Closes idle keep-alive connections (call on shutdown). */
  close(): void {
    this.agents.requests?.destroy();
    this.agents.watches?.destroy();
    delete this.agents.requests;
    delete this.agents.watches;
  }

  get<T extends KubeObject>(type: ResourceType, ref: ObjectRef, signal?: AbortSignal): Promise<T> {
    return this.request<T>("GET", resourcePath(type, ref), { signal });
  }

  create<T extends KubeObject>(type: ResourceType, obj: T, signal?: AbortSignal): Promise<T> {
    const path = resourcePath(type, { namespace: obj.metadata?.namespace });
    return this.request<T>("POST", path, { body: obj, signal });
  }

  /** PUT; the object's resourceVersion is a precondition (409 when stale). */
  replace<T extends KubeObject>(type: ResourceType, obj: T, signal?: AbortSignal): Promise<T> {
    const ref = { namespace: obj.metadata?.namespace, name: obj.metadata?.name };
    return this.request<T>("PUT", resourcePath(type, ref), { body: obj, signal });
  }

  /** RFC 7386 merge patch (works for custom resources, unlike strategic merge patch). */
  mergePatch<T extends KubeObject>(type: ResourceType, ref: ObjectRef, patch: unknown): Promise<T> {
    return this.request<T>("PATCH", resourcePath(type, ref), {
      body: patch,
      contentType: ContentType.MergePatch,
    });
  }

  /** RFC 6902 JSON patch; a failing `test` op answers 422. */
  jsonPatch<T extends KubeObject>(type: ResourceType, ref: ObjectRef, ops: JsonPatchOp[]): Promise<T> {
    return this.request<T>("PATCH", resourcePath(type, ref), {
      body: ops,
      contentType: ContentType.JsonPatch,
    });
  }

  delete(type: ResourceType, ref: ObjectRef): Promise<unknown> {
    return this.request("DELETE", resourcePath(type, ref));
  }

  /** Lists every page; the result's resourceVersion is the one to start a watch from. */
  async list<T extends KubeObject>(type: ResourceType, options: ListOptions = {}): Promise<ListResult<T>> {
    const items: T[] = [];
    let continueToken: string | undefined;
    let resourceVersion = "";
    do {
      const page = await this.request<{
        items?: T[];
        metadata?: { resourceVersion?: string; continue?: string };
      }>("GET", resourcePath(type, { namespace: options.namespace }), {
        query: {
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
          limit: options.pageSize ?? 500,
          continue: continueToken,
        },
      });
      items.push(...(page.items ?? []));
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    return { items, resourceVersion };
  }
}

interface RawResponse {
  status: number;
  text: string;
  retryAfter: string | undefined;
}

function send(url: URL, options: https.RequestOptions, body: string | undefined): Promise<RawResponse> {
  const transport = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString("utf8"),
          retryAfter: headerValue(res.headers["retry-after"]),
        }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Sends a GET and hands each non-empty line of a 2xx answer to `onLine` as it arrives. Resolves
 * when the answer ends or `options.signal` aborts; rejects with ApiError on a non-2xx answer and
 * with `onLine`'s error if it throws (the stream is then closed).
 */
function streamLines(
  url: URL,
  { signal, ...options }: https.RequestOptions,
  onLine: (line: string) => void,
): Promise<void> {
  const transport = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (err?: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", stop);
      if (err) reject(err);
      else resolve();
    };
    const req = transport.request(url, options, (res) => {
      const status = res.statusCode ?? 0;
      res.setEncoding("utf8");
      res.on("error", settle);
      if (status < 200 || status > 299) {
        let text = "";
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => settle(apiErrorFrom("GET", url.pathname, status, text)));
        return;
      }
      let pending = "";
      res.on("data", (chunk: string) => {
        const lines = (pending + chunk).split("\n");
        pending = lines.pop() ?? "";
        try {
          for (const line of lines) if (line.trim() && !settled) onLine(line);
        } catch (err) {
          settle(err);
          req.destroy();
        }
      });
      res.on("end", () => settle());
      res.on("aborted", () => settle(new Error(`watch ${url.pathname}: the connection was cut`)));
    });
    // Aborting is how the caller stops a watch: it ends quietly, not as an error.
    const stop = () => {
      settle();
      req.destroy();
    };
    if (signal?.aborted) return stop();
    signal?.addEventListener("abort", stop, { once: true });
    req.on("error", settle);
    req.end();
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function apiErrorFrom(
  method: string,
  path: string,
  status: number,
  text: string,
  retryAfter?: string,
): ApiError {
  let reason: string | undefined;
  let message = text.slice(0, 500);
  try {
    const parsed = JSON.parse(text) as { reason?: string; message?: string };
    reason = parsed.reason;
    message = parsed.message ?? message;
  } catch {
    // not a Status body; keep the raw text
  }
  const seconds = retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  return new ApiError(status, reason, `${method} ${path} failed with ${status}: ${message}`, seconds);
}
