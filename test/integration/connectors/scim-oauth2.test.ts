/**
 * OAuth 2.0 client credentials against a real token endpoint (the scimmy peer's), through the
 * fault proxy so token requests can be counted: one token per lifetime, a new one after it
 * expires, a refused client reported clearly, and no secret or access token in any error.
 */
import { parseScimConfig, ScimConnector } from "../../../operator/src/connectors/scim/index.js";
import { TerminalError } from "../../../operator/src/errors.js";
import { startScimmyServer, type ScimPeer } from "../../harness/scim.js";
import { startFaultProxy, type FaultProxy } from "../../harness/scim-fault-proxy.js";
import { findRaw } from "../../harness/scim-fixture.js";

const CLIENT = { id: "roster-operator", secret: "s3cret:with/odd chars&more", ttlSeconds: 2 };
let peer: ScimPeer;
let proxy: FaultProxy;

function connector(clientSecret = CLIENT.secret): ScimConnector {
  const origin = new URL(proxy.baseURL).origin;
  return new ScimConnector(
    parseScimConfig({
      baseURL: proxy.baseURL,
      auth: {
        type: "oauth2",
        tokenURL: `${origin}/oauth/token`,
        clientId: CLIENT.id,
        clientSecret,
        scopes: ["scim"],
      },
    }),
  );
}
const tokenRequests = () => proxy.requests.filter((r) => r.path === "/oauth/token").length;

beforeAll(async () => {
  peer = await startScimmyServer({ oauthClient: CLIENT });
  proxy = await startFaultProxy(peer.baseURL);
}, 120_000);
afterAll(async () => {
  await proxy?.stop();
  await peer?.stop();
});
beforeEach(() => proxy.reset());

describe("SCIM OAuth2 client credentials", () => {
  it("gets one access token, uses it for every request, and a new one once it expired", async () => {
    const scim = connector();
    await scim.check();
    await scim.apply({
      op: "create",
      account: { username: "oauth-user", ownerMarker: "m", enabled: true, roles: [], attributes: {} },
    });
    expect(tokenRequests()).toBe(1);
    expect(await findRaw(peer, "/Users", "userName", "oauth-user")).toBeDefined();
    // The token lives 2 s and the client renews it after 90% of that: well past it, it must renew.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await expect(scim.observe("oauth-user")).resolves.toMatchObject({ username: "oauth-user" });
    expect(tokenRequests()).toBe(2);
  });

  it("reports a refused client as a TerminalError without the secret", async () => {
    const wrong = "not-the-secret-value";
    const err = await connector(wrong)
      .check()
      .catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(TerminalError);
    expect(err).toMatchObject({ reason: "OAuth2Rejected" });
    expect((err as Error).message).toContain("invalid_client");
    expect((err as Error).message).not.toContain(wrong);
  });

  it("scrubs the access token and the client secret from errors that echo them", async () => {
    const scim = connector();
    await scim.check();
    proxy.inject({ method: "GET", pathIncludes: "/Users?filter", times: 1, echoAuthorization: true });
    const err = (await scim.observe("echo").catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(TerminalError);
    expect(err.message).toMatch(/Bearer \[redacted\]/);
    expect(err.message).not.toMatch(/at-[0-9a-f-]{36}/);
    expect(err.message).not.toContain(CLIENT.secret);
  });
});
