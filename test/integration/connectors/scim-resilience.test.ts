/**
 * Resilience of the SCIM connector against a real peer (scimmy) behind a fault-injecting proxy:
 * rate limiting with Retry-After, server errors, lost responses, timeouts, garbage answers, and
 * secrets that must never surface in errors.
 */
import {
  parseScimConfig,
  ScimConnector,
  type ScimConfigInput,
} from "../../../operator/src/connectors/scim/index.js";
import type { DesiredAccount } from "../../../operator/src/engine/connector.js";
import { ConflictError, TerminalError, TransientError } from "../../../operator/src/errors.js";
import { startScimmyServer, type ScimPeer } from "../../harness/scim.js";
import { startFaultProxy, type FaultProxy } from "../../harness/scim-fault-proxy.js";
import { findRaw } from "../../harness/scim-fixture.js";

const MARKER = "roster.dev/resilience";
let peer: ScimPeer;
let proxy: FaultProxy;
let counter = 0;

const account = (username: string): DesiredAccount => ({
  username,
  ownerMarker: MARKER,
  enabled: true,
  roles: [],
  attributes: { email: `${username}@example.com` },
});
const nextName = (base: string) => `${base}-${++counter}`;

function connector(overrides: Partial<ScimConfigInput> = {}): ScimConnector {
  return new ScimConnector(
    parseScimConfig({
      baseURL: proxy.baseURL,
      auth: { type: "bearer", token: peer.token },
      retry: { maxAttempts: 4, baseDelayMs: 50 },
      ...overrides,
    }),
  );
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a failure");
}

beforeAll(async () => {
  peer = await startScimmyServer();
  proxy = await startFaultProxy(peer.baseURL);
}, 120_000);
afterAll(async () => {
  await proxy?.stop();
  await peer?.stop();
});
beforeEach(() => proxy.reset());

describe("SCIM connector resilience", () => {
  it("honours Retry-After on 429 and then succeeds", async () => {
    const scim = connector();
    await scim.check(); // discovery done before the fault
    const username = nextName("patient");
    proxy.inject({
      method: "POST",
      pathIncludes: "/Users",
      times: 1,
      status: 429,
      headers: { "retry-after": "1" },
    });
    await scim.apply({ op: "create", account: account(username) });
    const posts = proxy.requests.filter((r) => r.method === "POST");
    expect(posts).toHaveLength(2);
    expect(posts[0]?.faulted).toBe(true);
    expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(await findRaw(peer, "/Users", "userName", username)).toBeDefined();
  });

  it("hands a Retry-After longer than it will wait back as a TransientError with retryAfterMs", async () => {
    const scim = connector({ retry: { maxRetryAfterMs: 1000 } });
    await scim.check();
    proxy.inject({
      method: "GET",
      pathIncludes: "/Users",
      times: 1,
      status: 429,
      headers: { "retry-after": "120" },
    });
    const err = await failure(scim.observe("anyone"));
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ reason: "RateLimited", retryAfterMs: 120_000 });
  });

  it("retries 5xx answers and creates exactly one account", async () => {
    const scim = connector();
    const username = nextName("retried");
    proxy.inject({ method: "POST", pathIncludes: "/Users", times: 2, status: 503, body: "upstream busy" });
    await scim.apply({ op: "create", account: account(username) });
    expect(proxy.requests.filter((r) => r.method === "POST")).toHaveLength(3);
    const listed = await scim.list();
    expect(listed.filter((a) => a.username === username)).toHaveLength(1);
  });

  it("recovers when a create succeeded but its response was lost (the retry meets 409, the marker is ours)", async () => {
    const scim = connector();
    const username = nextName("lost-answer");
    proxy.inject({ method: "POST", pathIncludes: "/Users", times: 1, status: 502, afterForward: true });
    const { id } = await scim.apply({ op: "create", account: account(username) });
    expect(id).toBe((await findRaw(peer, "/Users", "userName", username))?.id);
  });

  it("still refuses to take over someone else's account after a 409", async () => {
    const scim = connector();
    const username = nextName("theirs");
    await peer.request("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: username,
    });
    await expect(scim.apply({ op: "create", account: account(username) })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it("times out a hanging request and retries it", async () => {
    const scim = connector({ timeouts: { requestMs: 500 } });
    await scim.check();
    const username = nextName("slow");
    await scim.apply({ op: "create", account: account(username) });
    proxy.reset();
    proxy.inject({ method: "GET", pathIncludes: "/Users", times: 1, delayMs: 2_000 });
    await expect(scim.observe(username)).resolves.toMatchObject({ username });
    expect(proxy.requests.filter((r) => r.method === "GET")).toHaveLength(2);
  });

  it("reports a hanging provider as a Timeout TransientError once retries are spent", async () => {
    const scim = connector({ timeouts: { requestMs: 300 }, retry: { maxAttempts: 2, baseDelayMs: 10 } });
    proxy.inject({ times: 10, delayMs: 1_500, status: 200 });
    const err = await failure(scim.check());
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ reason: "Timeout" });
  });

  it.each([
    [
      "an HTML page",
      "<html><body>Sign in</body></html>",
      "text/html",
      /not JSON \(text\/html\); is the base URL a SCIM endpoint\?/,
    ],
    [
      "JSON that is not a ListResponse",
      '{"hello":"world"}',
      "application/json",
      /did not return a ListResponse/,
    ],
    ["a truncated JSON body", '{"Resources":[{"id":', "application/scim+json", /not JSON/],
  ])(
    "turns %s into a clear TerminalError, and keeps working afterwards",
    async (_what, body, type, message) => {
      const scim = connector();
      await scim.check();
      proxy.inject({
        method: "GET",
        pathIncludes: "/Users?filter",
        times: 1,
        status: 200,
        body,
        headers: { "content-type": type },
      });
      const err = await failure(scim.observe("someone"));
      expect(err).toBeInstanceOf(TerminalError);
      expect(err.message).toMatch(message);
      await expect(scim.observe("someone")).resolves.toBeUndefined();
    },
  );

  it("never shows the token in errors, even when the peer echoes the Authorization header", async () => {
    const scim = connector();
    await scim.check();
    proxy.inject({ method: "GET", pathIncludes: "/Users", times: 1, echoAuthorization: true });
    const err = await failure(scim.observe("echo"));
    expect(err).toBeInstanceOf(TerminalError);
    expect(err.message).toContain("[redacted]");
    expect(err.message).not.toContain(peer.token);
    expect(JSON.stringify(err)).not.toContain(peer.token);
  });

  it("reports a wrong token as Unauthorized without the token in the message", async () => {
    const wrong = "wrong-token-that-must-not-leak";
    const scim = connector({ auth: { type: "bearer", token: wrong } });
    const err = await failure(scim.check());
    expect(err).toBeInstanceOf(TerminalError);
    expect(err).toMatchObject({ reason: "Unauthorized" });
    expect(err.message).not.toContain(wrong);
  });
});
