import * as http from "node:http";
import * as https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
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
 * A small generic REST client over client-node's KubeConfig (which supplies server, TLS and
 * credentials). It addresses resources by ResourceType so the runtime needs no per-type client,
 * sends the right Content-Type for each patch type, and throws ApiError on non-2xx answers.
 */
export class KubeClient {
  private keepAliveAgent: http.Agent | undefined;

  constructor(readonly kubeConfig: KubeConfig) {}

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const server = this.kubeConfig.getCurrentCluster()?.server;
    if (!server) throw new Error("kubeconfig has no current cluster");
    const url = new URL(server.replace(/\/$/, "") + path);
    for (const [k, v] of Object.entries(options.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const httpsOptions: https.RequestOptions = {};
    await this.kubeConfig.applyToHTTPSOptions(httpsOptions);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const credentials = (httpsOptions.headers ?? {}) as http.OutgoingHttpHeaders;
    const headers: http.OutgoingHttpHeaders = { ...credentials, Accept: ContentType.Json };
    if (body !== undefined) headers["Content-Type"] = options.contentType ?? ContentType.Json;
    const agent = this.agentFor(url, httpsOptions);
    const { status, text, retryAfter } = await withDeadline(REQUEST_TIMEOUT_MS, options.signal, (signal) =>
      send(url, { ...httpsOptions, agent, method, headers, signal }, body),
    );
    if (status < 200 || status > 299) throw apiErrorFrom(method, url.pathname, status, text, retryAfter);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * Credentials (headers) are applied per request because exec/OIDC tokens rotate, but connections
   * are reused through one keep-alive agent built from the kubeconfig's TLS material (client-node
   * would otherwise make a fresh agent, hence a fresh TLS handshake, per request). With a proxy
   * configured, client-node's own per-request agent is used.
   */
  private agentFor(url: URL, options: https.RequestOptions): http.Agent | undefined {
    if (this.kubeConfig.getCurrentCluster()?.proxyUrl) return options.agent as http.Agent | undefined;
    if (!this.keepAliveAgent) {
      const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername } = options;
      this.keepAliveAgent =
        url.protocol === "https:"
          ? new https.Agent({
              keepAlive: true,
              maxSockets: MAX_CONNECTIONS,
              ca,
              cert,
              key,
              pfx,
              passphrase,
              rejectUnauthorized,
              servername,
            })
          : new http.Agent({ keepAlive: true, maxSockets: MAX_CONNECTIONS });
    }
    return this.keepAliveAgent;
  }

  /** Closes idle keep-alive connections (call on shutdown). */
  close(): void {
    this.keepAliveAgent?.destroy();
    this.keepAliveAgent = undefined;
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
