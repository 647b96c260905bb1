/**
 * Credentials for SCIM requests: a static bearer token, or OAuth 2.0 client credentials
 * (RFC 6749 §4.4) exchanged for an access token that is cached until shortly before it expires.
 * Secret values are never put in errors or logs; `secrets()` lets the transport scrub them from
 * anything a peer echoes back.
 */
import { TerminalError, TransientError } from "../../errors.js";
import type { ScimAuth } from "./config.js";

export interface TokenSource {
  /** The Authorization header value. */
  authorization(signal?: AbortSignal): Promise<string>;
  /**
   * Forgets a cached access token (after a 401) so the next call fetches a fresh one; returns
   * whether that can help (false for a static token).
   */
  invalidate(): boolean;
  /** Every secret value currently in use, for redaction. */
  secrets(): string[];
}

export function tokenSource(auth: ScimAuth, fetchImpl: typeof fetch, timeoutMs: number): TokenSource {
  if (auth.type === "bearer") {
    return {
      authorization: () => Promise.resolve(`Bearer ${auth.token}`),
      invalidate: () => false,
      secrets: () => [auth.token],
    };
  }
  return new ClientCredentials(auth, fetchImpl, timeoutMs);
}

class ClientCredentials implements TokenSource {
  private cached: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly auth: Extract<ScimAuth, { type: "oauth2" }>,
    private readonly fetchImpl: typeof fetch,
    private readonly timeoutMs: number,
  ) {}

  async authorization(signal?: AbortSignal): Promise<string> {
    if (this.cached && Date.now() < this.cached.expiresAt) return `Bearer ${this.cached.token}`;
    this.pending ??= this.fetchToken(signal).finally(() => (this.pending = undefined));
    return `Bearer ${await this.pending}`;
  }

  invalidate(): boolean {
    this.cached = undefined;
    return true;
  }

  secrets(): string[] {
    return [this.auth.clientSecret, ...(this.cached ? [this.cached.token] : [])];
  }

  private async fetchToken(signal?: AbortSignal): Promise<string> {
    const form = new URLSearchParams({ grant_type: "client_credentials" });
    if (this.auth.scopes.length > 0) form.set("scope", this.auth.scopes.join(" "));
    const basic = Buffer.from(
      `${encodeURIComponent(this.auth.clientId)}:${encodeURIComponent(this.auth.clientSecret)}`,
    ).toString("base64");
    const where = `OAuth2 token request to ${new URL(this.auth.tokenURL).origin}`;
    let response: Response;
    try {
      response = await this.fetchImpl(this.auth.tokenURL, {
        method: "POST",
        headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
        body: form,
        signal: signal
          ? AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)])
          : AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new TransientError("OAuth2Unreachable", `${where} failed: ${(err as Error).name}`);
    }
    if (response.status >= 500 || response.status === 429)
      throw new TransientError("OAuth2Unavailable", `${where} answered ${response.status}`);
    const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!response.ok || typeof body?.access_token !== "string") {
      const code = typeof body?.error === "string" ? ` (${body.error.slice(0, 64)})` : "";
      throw new TerminalError(
        "OAuth2Rejected",
        `${where} answered ${response.status}${code} without an access token`,
      );
    }
    const lifetimeS = typeof body.expires_in === "number" ? body.expires_in : 300;
    this.cached = { token: body.access_token, expiresAt: Date.now() + lifetimeS * 900 };
    return body.access_token;
  }
}
