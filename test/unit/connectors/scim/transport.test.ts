/** The SCIM transport against a scripted fetch (a fake, this being a unit test of the client's own logic). */
import { tokenSource } from "../../../../operator/src/connectors/scim/auth.js";
import { parseScimConfig, type ScimConfigInput } from "../../../../operator/src/connectors/scim/config.js";
import { ScimTransport } from "../../../../operator/src/connectors/scim/transport.js";
import { ConflictError, TerminalError, TransientError } from "../../../../operator/src/errors.js";

const TOKEN = "s3cr3t-token-value";
type Script = (url: string, init: RequestInit) => Response | Promise<Response>;

function harness(script: Script, overrides: Partial<ScimConfigInput> = {}) {
  const config = parseScimConfig({
    baseURL: "https://scim.example.com/v2",
    auth: { type: "bearer", token: TOKEN },
    retry: { maxAttempts: 3, baseDelayMs: 10 },
    ...overrides,
  });
  const calls: { url: string; init: RequestInit }[] = [];
  const waits: number[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} });
    return script(String(input), init ?? {});
  }) as typeof fetch;
  const transport = new ScimTransport(config, tokenSource(config.auth, fetchImpl, 1000), {
    fetch: fetchImpl,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { transport, calls, waits };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/scim+json", ...headers },
  });

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a failure");
}

describe("SCIM transport", () => {
  it("sends the bearer token, SCIM media types and the query", async () => {
    const { transport, calls } = harness(() => json(200, { Resources: [] }));
    await transport.request("GET", "/Users", { query: { filter: 'userName eq "a b"', count: 5 } });
    const headers = calls[0]?.init.headers as Record<string, string>;
    expect(headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(headers.accept).toContain("application/scim+json");
    expect(new URL(calls[0]?.url ?? "").searchParams.get("filter")).toBe('userName eq "a b"');
  });

  it("waits as long as Retry-After says on 429, then succeeds", async () => {
    let n = 0;
    const { transport, waits } = harness(() =>
      ++n === 1 ? json(429, {}, { "retry-after": "2" }) : json(200, { id: "1" }),
    );
    await expect(transport.request("GET", "/Users/1")).resolves.toMatchObject({
      status: 200,
      body: { id: "1" },
    });
    expect(waits).toEqual([2000]);
  });

  it("does not sleep through a Retry-After beyond the limit: TransientError with retryAfterMs", async () => {
    const { transport, waits, calls } = harness(() => json(429, {}, { "retry-after": "3600" }));
    const err = await failure(transport.request("GET", "/Users"));
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ reason: "RateLimited", retryAfterMs: 3_600_000 });
    expect(waits).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it("retries 5xx with backoff, a bounded number of times", async () => {
    const { transport, calls, waits } = harness(() => json(503, { detail: "down" }));
    const err = await failure(transport.request("GET", "/Users"));
    expect(err).toBeInstanceOf(TransientError);
    expect(err.message).toBe("SCIM GET /Users answered 503: down");
    expect(calls).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it("turns a non-JSON success into a clear TerminalError", async () => {
    const { transport } = harness(
      () => new Response("<html>login</html>", { status: 200, headers: { "content-type": "text/html" } }),
    );
    const err = await failure(transport.request("GET", "/ServiceProviderConfig"));
    expect(err).toBeInstanceOf(TerminalError);
    expect(err.message).toMatch(/answered 200 with a body that is not JSON \(text\/html\)/);
  });

  it.each([
    [409, ConflictError, "Uniqueness"],
    [401, TerminalError, "Unauthorized"],
    [403, TerminalError, "Forbidden"],
    [400, TerminalError, "InvalidRequest"],
    [501, TerminalError, "ServerError"],
    [412, TransientError, "PreconditionFailed"],
  ])("classifies %i", async (status, type, reason) => {
    const { transport } = harness(() => json(status, { detail: "no", scimType: "invalidValue" }));
    const err = await failure(transport.request("POST", "/Users", { body: {} }));
    expect(err).toBeInstanceOf(type);
    expect(err).toMatchObject({ reason });
  });

  it("does not repeat a request refused with 401 when the token is static", async () => {
    const { transport, calls } = harness(() => json(401, { detail: "nope" }));
    await expect(transport.request("GET", "/Users")).rejects.toMatchObject({ reason: "Unauthorized" });
    expect(calls).toHaveLength(1);
  });

  it("reads a 400 with scimType uniqueness as a uniqueness conflict", async () => {
    const { transport } = harness(() => json(400, { detail: "taken", scimType: "uniqueness" }));
    const err = await failure(transport.request("POST", "/Users", { body: {} }));
    expect(err).toBeInstanceOf(ConflictError);
  });

  it("returns expected statuses instead of throwing", async () => {
    const { transport } = harness(() => json(404, { detail: "gone" }));
    await expect(transport.request("DELETE", "/Users/1", { expect: [404] })).resolves.toMatchObject({
      status: 404,
    });
  });

  it("reads an empty 2xx body as no representation", async () => {
    const { transport } = harness(() => new Response(null, { status: 204 }));
    await expect(transport.request("PATCH", "/Groups/1", { body: {} })).resolves.toEqual({
      status: 204,
      body: undefined,
      etag: undefined,
    });
  });

  it("never puts the token in an error, even when the peer or the network echoes it", async () => {
    const echo = harness(() => json(400, { detail: `bad header Bearer ${TOKEN}` }));
    const echoed = await failure(echo.transport.request("GET", "/Users"));
    expect(echoed.message).not.toContain(TOKEN);
    expect(echoed.message).toContain("[redacted]");
    const network = harness(() => {
      throw new TypeError(`fetch failed for ${TOKEN}`);
    });
    const failed = await failure(network.transport.request("GET", "/Users"));
    expect(failed).toBeInstanceOf(TransientError);
    expect(failed.message).not.toContain(TOKEN);
  });

  it("times out a request that does not answer: TransientError, retried", async () => {
    const hang: Script = (_url, init) =>
      new Promise((_resolve, reject) =>
        init.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
      );
    const { transport, calls } = harness(hang, { timeouts: { requestMs: 50 } });
    const err = await failure(transport.request("GET", "/Users"));
    expect(err).toMatchObject({ reason: "Timeout" });
    expect(err.message).toBe("SCIM GET /Users timed out after 50 ms");
    expect(calls).toHaveLength(3);
  });

  it("keeps at most `concurrency` requests in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const { transport } = harness(
      async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
        return json(200, {});
      },
      { concurrency: 3 },
    );
    await Promise.all(Array.from({ length: 20 }, () => transport.request("GET", "/Users")));
    expect(peak).toBe(3);
  });
});

describe("SCIM OAuth2 client credentials", () => {
  it("fetches a token once, reuses it, and fetches a new one after a 401", async () => {
    const issued: string[] = [];
    let rejectNext = false;
    const { transport, calls } = harness(
      (url, init) => {
        if (url === "https://auth.example.com/token") {
          const token = `access-${issued.length + 1}`;
          issued.push(token);
          expect(String(init.body)).toContain("grant_type=client_credentials");
          expect(String(init.body)).toContain("scope=scim.write");
          return json(200, { access_token: token, token_type: "Bearer", expires_in: 3600 });
        }
        const auth = (init.headers as Record<string, string>).authorization;
        if (rejectNext && auth === "Bearer access-1") return json(401, { detail: "expired" });
        return json(200, { ok: auth });
      },
      {
        auth: {
          type: "oauth2",
          tokenURL: "https://auth.example.com/token",
          clientId: "roster",
          clientSecret: "client-secret-value",
          scopes: ["scim.write"],
        },
      },
    );
    await transport.request("GET", "/Users");
    await transport.request("GET", "/Users");
    expect(issued).toEqual(["access-1"]);
    rejectNext = true;
    await expect(transport.request("GET", "/Users")).resolves.toMatchObject({
      body: { ok: "Bearer access-2" },
    });
    const basic = (calls[0]?.init.headers as Record<string, string>).authorization;
    expect(Buffer.from(basic?.replace("Basic ", "") ?? "", "base64").toString()).toBe(
      "roster:client-secret-value",
    );
  });

  it("reports a refused client as a TerminalError without the secret", async () => {
    const { transport } = harness(() => json(401, { error: "invalid_client" }), {
      auth: {
        type: "oauth2",
        tokenURL: "https://auth.example.com/token",
        clientId: "c",
        clientSecret: "hush-hush",
      },
    });
    const err = await failure(transport.request("GET", "/Users"));
    expect(err).toBeInstanceOf(TerminalError);
    expect(err.message).toBe(
      "OAuth2 token request to https://auth.example.com answered 401 (invalid_client) without an access token",
    );
  });
});
