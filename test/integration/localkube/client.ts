/** A raw HTTP client for the conformance tests (asserting exact status codes and bodies). */
import type { LocalKube } from "../../harness/localkube.js";

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export async function call(
  kube: LocalKube,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  token = kube.adminToken,
): Promise<RawResponse> {
  const init: RequestInit = { method, headers: { Authorization: `Bearer ${token}`, ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["Content-Type"] ??= "application/json";
  }
  const res = await fetch(kube.url + path, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
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
