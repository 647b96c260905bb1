/**
 * HTTPS trust for one SCIM provider: a private CA bundle, an expected server name, or (tests
 * only) no verification. Node's global fetch cannot take per-request TLS options, so a provider
 * with any of these gets undici's fetch with its own connection pool.
 */
import { Agent, fetch as undiciFetch } from "undici";
import type { ScimTls } from "./config.js";

export interface TlsFetch {
  fetch: typeof fetch;
  close(): Promise<void>;
}

export function tlsFetch(tls: ScimTls): TlsFetch {
  const agent = new Agent({
    connect: {
      ...(tls.ca ? { ca: tls.ca } : {}),
      ...(tls.serverName ? { servername: tls.serverName } : {}),
      rejectUnauthorized: !tls.insecureSkipVerify,
    },
  });
  const fetchWithAgent = ((input: string | URL, init?: RequestInit) =>
    undiciFetch(input, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch;
  return { fetch: fetchWithAgent, close: () => agent.close() };
}
