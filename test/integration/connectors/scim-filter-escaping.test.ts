/**
 * The filter-escaping corpus: user names full of filter syntax (quotes, backslashes, `or` / `eq`
 * injection attempts) are created through the connector, read back unchanged, and a lookup for
 * one never finds another user. Run against both peers; on scimmy 1.3, whose filter parser
 * rejects escaped quotes (400 invalidFilter), the connector's named quirk falls back to a paged
 * scan with an exact comparison, and this test shows that path works too.
 */
import {
  parseScimConfig,
  ScimConnector,
  type ScimConfigInput,
} from "../../../operator/src/connectors/scim/index.js";
import { startBetterAuthScim, startScimmyServer, type ScimPeer } from "../../harness/scim.js";
import { findRaw } from "../../harness/scim-fixture.js";

const MARKER = "roster.dev/escaping-corpus";
const CORPUS: readonly string[] = [
  'quote"inside',
  "back\\slash",
  "trailing-backslash\\",
  '\\"both',
  'x" or userName pr or userName eq "y',
  'victim" or userName eq "victim',
  "victim) or (userName pr",
  'a"]',
  "o'brien",
  "name with spaces",
  "percent%20and&amp=1",
  "ünïcödé-名前",
  "*",
];

describe.each([
  ["Better Auth", startBetterAuthScim, { externalId: "markerWithUserName" } as Partial<ScimConfigInput>],
  ["scimmy", () => startScimmyServer(), {}],
])("SCIM filter escaping corpus against %s", (_name, start, extraConfig) => {
  let peer: ScimPeer;
  let connector: ScimConnector;

  beforeAll(async () => {
    peer = await start();
    connector = new ScimConnector(
      parseScimConfig({ baseURL: peer.baseURL, auth: { type: "bearer", token: peer.token }, ...extraConfig }),
    );
    // The account an injection would try to reach.
    await connector.apply({
      op: "create",
      account: {
        username: "victim",
        ownerMarker: MARKER,
        enabled: true,
        roles: [],
        attributes: { email: "victim@example.com" },
      },
    });
  }, 120_000);
  afterAll(async () => {
    await connector?.close();
    await peer?.stop();
  });

  it.each(CORPUS.map((name, i) => [name, i] as const))(
    "creates and reads back %j unchanged",
    async (username, i) => {
      expect(await connector.observe(username)).toBeUndefined();
      const { id } = await connector.apply({
        op: "create",
        account: {
          username,
          ownerMarker: MARKER,
          enabled: true,
          roles: [],
          attributes: { email: `corpus-${i}@example.com` },
        },
      });
      const observed = await connector.observe(username);
      expect(observed).toMatchObject({ id, username, owner: MARKER });
      // Straight from the peer (a full listing, no filter): the stored userName is byte-identical.
      const listed = await peer.request("GET", "/Users?startIndex=1&count=200");
      const stored = (
        (listed.body as { Resources: { id: string; userName: string }[] }).Resources ?? []
      ).find((r) => r.id === id);
      expect(stored?.userName).toBe(username);
    },
  );

  it("never lets an injection-shaped name find another user", async () => {
    const victim = await findRaw(peer, "/Users", "userName", "victim");
    for (const attempt of [
      'victim" or userName pr "',
      'nobody" or userName eq "victim',
      "victim*",
      '"victim"',
    ]) {
      const observed = await connector.observe(attempt);
      expect(observed?.id).not.toBe(victim?.id);
      expect(observed).toBeUndefined();
    }
  });

  it("deletes corpus accounts by name without touching others", async () => {
    const before = await connector.list();
    await connector.apply({ op: "delete", username: 'victim" or userName eq "victim' });
    const after = await connector.list();
    expect(after.map((a) => a.username).sort()).toEqual(
      before
        .map((a) => a.username)
        .filter((n) => n !== 'victim" or userName eq "victim')
        .sort(),
    );
    expect(after.some((a) => a.username === "victim")).toBe(true);
  });
});
