import http from "node:http";
import https from "node:https";
/** A raw HTTP client for the conformance tests (asserting exact status codes and bodies). */
import type { LocalKube } from "../../harness/localkube.js";

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/** One request over node:http(s) (trusting the server's CA), so it works for both transports. */
export function call(
  kube: LocalKube,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  token = kube.adminToken,
): Promise<RawResponse> {
  const url = new URL(kube.url + path);
  const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  const allHeaders: Record<string, string> = { Authorization: `Bearer ${token}`, ...headers };
  if (payload !== undefined) {
    allHeaders["Content-Type"] ??= "application/json";
    allHeaders["Content-Length"] = String(Buffer.byteLength(payload));
  }
  const ca = kube.server.caCert;
  const send = url.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(url, { method, headers: allHeaders, ...(ca ? { ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        const responseHeaders = new Headers();
        for (const [k, v] of Object.entries(res.headers))
          for (const value of Array.isArray(v) ? v : v === undefined ? [] : [v])
            responseHeaders.append(k, value);
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, text, json });
      });
    });
    req.on("error", reject);
    req.end(payload);
  });
}

export const MERGE = { "Content-Type": "application/merge-patch+json" };
export const JSON_PATCH = { "Content-Type": "application/json-patch+json" };
export const STRATEGIC = { "Content-Type": "application/strategic-merge-patch+json" };
export const APPLY = { "Content-Type": "application/apply-patch+yaml" };

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const WIDGETS = "/apis/example.com/v1/namespaces/default/widgets";
