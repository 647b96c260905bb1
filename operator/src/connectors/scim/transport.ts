/**
 * The SCIM HTTP client over global fetch: auth header, JSON in and out, bounded concurrency,
 * bounded retries (429 honouring Retry-After, 5xx, timeouts, network errors) with backoff, and
 * classification of every failure into Roster's error taxonomy.
 *
 * Contract: the Authorization header and every secret value are never logged nor put in an
 * error (peers that echo them back are scrubbed); a response that is not SCIM JSON is a
 * TerminalError("MalformedResponse"), never a crash.
 */
import type { Logger } from "pino";
import { ConflictError, TerminalError, TransientError, type RosterError } from "../../errors.js";
import { deadlinePassed, withDeadline } from "../../runtime/deadline.js";
import type { TokenSource } from "./auth.js";
import type { ScimConfig } from "./config.js";
import { backoffMs, isRetryableStatus, retryAfterMs } from "./retry.js";
import { Semaphore } from "./semaphore.js";

export interface ScimResponse {
  status: number;
  /** Parsed JSON body; undefined for an empty body (204, or a PATCH answered without content). */
  body: unknown;
  /** The resource version from the ETag header, when the peer sent one. */
  etag: string | undefined;
}

export interface ScimRequest {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  ifMatch?: string;
  /** Statuses returned to the caller instead of thrown (e.g. 404 for "already gone"). */
  expect?: number[];
  signal?: AbortSignal;
}

export interface TransportOptions {
  fetch?: typeof fetch;
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
const SCIM_JSON = "application/scim+json";
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A failure of one attempt; `retry` says whether another attempt may help. */
interface AttemptFailure {
  error: RosterError;
  retry: boolean;
  waitMs?: number;
}

export class ScimTransport {
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly slots: Semaphore;

  constructor(
    private readonly config: ScimConfig,
    private readonly tokens: TokenSource,
    private readonly options: TransportOptions = {},
  ) {
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? defaultSleep;
    this.slots = new Semaphore(config.concurrency);
  }

  async request(method: Method, path: string, request: ScimRequest = {}): Promise<ScimResponse> {
    const { maxAttempts, baseDelayMs } = this.config.retry;
    let reauthenticated = false;
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.slots.run(() => this.attempt(method, path, request));
      if (!("error" in outcome)) return outcome;
      if (outcome.error.reason === "Unauthorized" && !reauthenticated && this.tokens.invalidate()) {
        // An access token the provider no longer accepts: fetch a new one, once.
        reauthenticated = true;
        attempt -= 1;
        continue;
      }
      if (!outcome.retry || attempt >= maxAttempts) throw outcome.error;
      const waitMs = outcome.waitMs ?? backoffMs(attempt, baseDelayMs);
      this.options.logger?.debug(
        { method, path: pathOnly(path), attempt, waitMs, reason: outcome.error.reason },
        "retrying SCIM request",
      );
      await this.sleep(waitMs);
    }
  }

  private async attempt(
    method: Method,
    path: string,
    request: ScimRequest,
  ): Promise<ScimResponse | AttemptFailure> {
    const what = `SCIM ${method} ${pathOnly(path)}`;
    let response: Response;
    let text: string;
    let deadline: AbortSignal | undefined;
    try {
      ({ response, text } = await withDeadline(
        this.config.timeouts.requestMs,
        request.signal,
        async (signal) => {
          deadline = signal;
          const answer = await this.fetchImpl(this.url(path, request.query), {
            method,
            headers: await this.headers(request, signal),
            body: request.body === undefined ? undefined : JSON.stringify(request.body),
            signal,
          });
          return { response: answer, text: await answer.text() };
        },
      ));
    } catch (err) {
      if (err instanceof TerminalError || err instanceof TransientError)
        return { error: err, retry: err instanceof TransientError };
      if (request.signal?.aborted)
        return { error: new TerminalError("Aborted", `${what} was aborted`), retry: false };
      if (isCertificateFailure(err))
        return {
          error: new TerminalError("TlsVerificationFailed", `${what} failed: ${this.scrub(errorText(err))}`),
          retry: false,
        };
      const reason = deadlinePassed(deadline) ? "Timeout" : "Unreachable";
      const detail =
        reason === "Timeout"
          ? `timed out after ${this.config.timeouts.requestMs} ms`
          : `failed (${this.scrub(errorText(err))})`;
      return { error: new TransientError(reason, `${what} ${detail}`), retry: true };
    }
    return this.interpret(what, response, text, request.expect ?? []);
  }

  private interpret(
    what: string,
    response: Response,
    text: string,
    expect: number[],
  ): ScimResponse | AttemptFailure {
    const { status } = response;
    const parsed = parseJson(text);
    if ((status >= 200 && status < 300) || expect.includes(status)) {
      if (parsed === INVALID) {
        const type = response.headers.get("content-type")?.split(";")[0] ?? "no content type";
        return {
          error: new TerminalError(
            "MalformedResponse",
            `${what} answered ${status} with a body that is not JSON (${type}); is the base URL a SCIM endpoint?`,
          ),
          retry: false,
        };
      }
      return { status, body: parsed, etag: response.headers.get("etag") ?? undefined };
    }
    const detail = this.detailOf(parsed);
    const message = `${what} answered ${status}${detail}`;
    if (status === 429) {
      const waitMs = retryAfterMs(response.headers.get("retry-after"), Date.now());
      const error = new TransientError("RateLimited", message, { retryAfterMs: waitMs });
      const tooLong = waitMs !== undefined && waitMs > this.config.retry.maxRetryAfterMs;
      return { error, retry: !tooLong, waitMs };
    }
    if (isRetryableStatus(status)) return { error: new TransientError("ServerError", message), retry: true };
    if (status >= 500) return { error: new TerminalError("ServerError", message), retry: false };
    if (status === 401) return { error: new TerminalError("Unauthorized", message), retry: false };
    if (status === 403) return { error: new TerminalError("Forbidden", message), retry: false };
    // Some providers answer a uniqueness violation with 400 and scimType "uniqueness".
    if (status === 409 || (status === 400 && scimType(parsed) === "uniqueness"))
      return { error: new ConflictError("Uniqueness", message), retry: false };
    if (status === 412) return { error: new TransientError("PreconditionFailed", message), retry: false };
    if (status === 404) return { error: new TerminalError("NotFound", message), retry: false };
    return { error: new TerminalError("InvalidRequest", message), retry: false };
  }

  private async headers(request: ScimRequest, signal: AbortSignal): Promise<Record<string, string>> {
    const headers: Record<string, string> = {
      accept: `${SCIM_JSON}, application/json`,
      authorization: await this.tokens.authorization(signal),
    };
    if (request.body !== undefined) headers["content-type"] = SCIM_JSON;
    if (request.ifMatch !== undefined) headers["if-match"] = request.ifMatch;
    return headers;
  }

  private url(path: string, query: ScimRequest["query"]): string {
    const url = new URL(this.config.baseURL.replace(/\/+$/, "") + path);
    for (const [key, value] of Object.entries(query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    return url.toString();
  }

  /** `: <detail> (<scimType>)` from a SCIM error body, short and scrubbed of secrets. */
  detailOf(body: unknown): string {
    if (typeof body !== "object" || body === null) return "";
    const record = body as Record<string, unknown>;
    const detail = typeof record.detail === "string" ? record.detail.slice(0, 300) : "";
    const scimType = typeof record.scimType === "string" ? ` (scimType ${record.scimType.slice(0, 40)})` : "";
    return detail || scimType ? `: ${this.scrub(detail)}${scimType}` : "";
  }

  /** Replaces every secret in use by a placeholder. */
  scrub(text: string): string {
    let result = text;
    for (const secret of this.tokens.secrets()) if (secret) result = result.split(secret).join("[redacted]");
    return result;
  }
}

/** The SCIM type of an error answer (`scimType`), for callers that `expect` a 4xx. */
export function scimType(body: unknown): string | undefined {
  const value =
    typeof body === "object" && body !== null ? (body as Record<string, unknown>).scimType : undefined;
  return typeof value === "string" ? value : undefined;
}

const INVALID = Symbol("invalid JSON");

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID;
  }
}

function pathOnly(path: string): string {
  return path.split("?")[0] ?? path;
}

/** Reads error fields by shape: errors from fetch may come from another realm (instanceof fails). */
function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function errorText(err: unknown): string {
  const message = field(err, "message");
  if (typeof message !== "string") return String(err).slice(0, 200);
  const causeMessage = field(field(err, "cause"), "message");
  return `${message}${typeof causeMessage === "string" ? `: ${causeMessage}` : ""}`.slice(0, 200);
}

const CERTIFICATE_ERRORS = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** A server certificate that does not verify: retrying cannot help until the trust settings change. */
function isCertificateFailure(err: unknown): boolean {
  const code = field(field(err, "cause"), "code") ?? field(err, "code");
  return typeof code === "string" && CERTIFICATE_ERRORS.has(code);
}
