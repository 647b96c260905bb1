/**
 * SCIM connector behaviours beyond the shared contract, against the real peers: what discovery
 * reads from each, PUT-only providers (read-modify-write with If-Match), group creation,
 * the enterprise manager reference, and paged listing.
 */
import {
  parseScimConfig,
  ScimConnector,
  type ScimConfigInput,
} from "../../../operator/src/connectors/scim/index.js";
import type { DesiredAccount } from "../../../operator/src/engine/connector.js";
import { TerminalError, TransientError } from "../../../operator/src/errors.js";
import { startBetterAuthScim, startScimmyServer, type ScimPeer } from "../../harness/scim.js";
import { startFaultProxy, type FaultProxy } from "../../harness/scim-fault-proxy.js";
import { ensureGroup, findRaw } from "../../harness/scim-fixture.js";

const MARKER = "roster.dev/features";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
let counter = 0;
const nextName = (base: string) => `${base}-${++counter}`;

const account = (username: string, overrides: Partial<DesiredAccount> = {}): DesiredAccount => ({
  username,
  ownerMarker: MARKER,
  enabled: true,
  roles: [],
  attributes: { email: `${username}@example.com` },
  ...overrides,
});

function connect(baseURL: string, token: string, extra: Partial<ScimConfigInput> = {}): ScimConnector {
  return new ScimConnector(parseScimConfig({ baseURL, auth: { type: "bearer", token }, ...extra }));
}

async function membersOf(peer: ScimPeer, group: string): Promise<string[]> {
  const found = await findRaw(peer, "/Groups", "displayName", group);
  const members = Array.isArray(found?.members) ? (found.members as { value: string }[]) : [];
  return members.map((m) => m.value);
}

describe.each([
  ["Better Auth", startBetterAuthScim, { externalId: "markerWithUserName" } as Partial<ScimConfigInput>],
  ["scimmy", () => startScimmyServer(), {}],
])("SCIM connector features against %s", (name, start, extra) => {
  let peer: ScimPeer;
  beforeAll(async () => {
    peer = await start();
  }, 120_000);
  afterAll(async () => peer?.stop());

  it("discovers what the provider supports", async () => {
    const caps = await connect(peer.baseURL, peer.token, extra).capabilities();
    const expected =
      name === "scimmy"
        ? {
            patch: true,
            filter: true,
            maxResults: 200,
            etag: true,
            bulk: false,
            groups: true,
            enterpriseUser: true,
          }
        : {
            patch: true,
            filter: true,
            maxResults: 100,
            etag: false,
            bulk: false,
            groups: true,
            enterpriseUser: true,
          };
    expect(caps).toEqual(expected);
  });

  it("resolves the manager by username and reports it back as a username", async () => {
    const scim = connect(peer.baseURL, peer.token, extra);
    const boss = nextName("boss");
    const report = nextName("report");
    const { id: bossId } = await scim.apply({ op: "create", account: account(boss) });
    await scim.apply({
      op: "create",
      account: account(report, { attributes: { email: `${report}@example.com`, manager: boss } }),
    });
    const raw = await findRaw(peer, "/Users", "userName", report);
    expect((raw?.[ENTERPRISE] as { manager?: { value?: string } })?.manager?.value).toBe(bossId);
    expect((await scim.observe(report))?.attributes.manager).toBe(boss);
    const listed = (await scim.list()).find((a) => a.username === report);
    expect(listed?.attributes.manager).toBe(boss);
  });

  it("changes and clears the manager with an update", async () => {
    const scim = connect(peer.baseURL, peer.token, extra);
    const [first, second, report] = [nextName("boss"), nextName("boss"), nextName("report")];
    await scim.apply({ op: "create", account: account(first) });
    await scim.apply({ op: "create", account: account(second) });
    await scim.apply({
      op: "create",
      account: account(report, { attributes: { email: `${report}@example.com`, manager: first } }),
    });
    await scim.apply({ op: "update", username: report, set: { manager: second } });
    expect((await scim.observe(report))?.attributes.manager).toBe(second);
    await scim.apply({ op: "update", username: report, set: { manager: null, title: "Lead" } });
    const after = await scim.observe(report);
    expect(after?.attributes.manager).toBeUndefined();
    expect(after?.attributes.title).toBe("Lead");
  });

  it("creates without a manager who has no account yet, and refuses (retryably) to update to one", async () => {
    const scim = connect(peer.baseURL, peer.token, extra);
    const report = nextName("early-hire");
    await scim.apply({
      op: "create",
      account: account(report, { attributes: { email: `${report}@example.com`, manager: "not-hired-yet" } }),
    });
    expect((await scim.observe(report))?.attributes.manager).toBeUndefined();
    const err = await scim
      .apply({ op: "update", username: report, set: { manager: "not-hired-yet" } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ reason: "ManagerNotProvisioned" });
  });

  it("lists every account across pages smaller than the population", async () => {
    const scim = connect(peer.baseURL, peer.token, { ...extra, pageSize: 2 });
    const names = [
      nextName("paged"),
      nextName("paged"),
      nextName("paged"),
      nextName("paged"),
      nextName("paged"),
    ];
    for (const username of names) await scim.apply({ op: "create", account: account(username) });
    const listed = new Set((await scim.list()).map((a) => a.username));
    for (const username of names) expect(listed.has(username)).toBe(true);
  });

  it("refuses to invent a group unless the Target allows it, and creates it when it does", async () => {
    const username = nextName("grouped");
    const role = nextName("new-role");
    const strict = connect(peer.baseURL, peer.token, extra);
    await strict.apply({ op: "create", account: account(username) });
    const err = await strict.apply({ op: "addRoles", username, roles: [role] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TerminalError);
    expect(err).toMatchObject({ reason: "GroupNotFound" });
    expect(await findRaw(peer, "/Groups", "displayName", role)).toBeUndefined();
    const creating = connect(peer.baseURL, peer.token, { ...extra, createGroups: true });
    await creating.apply({ op: "addRoles", username, roles: [role] });
    const user = await findRaw(peer, "/Users", "userName", username);
    expect(await membersOf(peer, role)).toEqual([user?.id]);
  });

  it("never rewrites the member list: other members stay when one is added or removed", async () => {
    const role = nextName("shared-role");
    await ensureGroup(peer, role);
    const scim = connect(peer.baseURL, peer.token, extra);
    const [a, b, c] = [nextName("member"), nextName("member"), nextName("member")];
    for (const u of [a, b]) await scim.apply({ op: "create", account: account(u, { roles: [role] }) });
    await scim.apply({ op: "create", account: account(c) });
    const ids = await Promise.all(
      [a, b, c].map(async (u) => (await findRaw(peer, "/Users", "userName", u))?.id),
    );
    await scim.apply({ op: "addRoles", username: c, roles: [role] });
    await scim.apply({ op: "removeRoles", username: a, roles: [role] });
    expect((await membersOf(peer, role)).sort()).toEqual([ids[1], ids[2]].sort());
  });
});

describe("SCIM connector against a PUT-only provider (scimmy advertising patch.supported false)", () => {
  let peer: ScimPeer;
  let proxy: FaultProxy;
  beforeAll(async () => {
    peer = await startScimmyServer({ patch: false });
    proxy = await startFaultProxy(peer.baseURL);
  }, 120_000);
  afterAll(async () => {
    await proxy?.stop();
    await peer?.stop();
  });
  beforeEach(() => proxy.reset());

  it("writes users and memberships with PUT and If-Match, never PATCH", async () => {
    const [first, second] = ["put-role-a", "put-role-b"];
    await ensureGroup(peer, first);
    await ensureGroup(peer, second);
    const scim = connect(proxy.baseURL, peer.token);
    const username = nextName("put-user");
    await scim.apply({ op: "create", account: account(username, { roles: [first] }) });
    await scim.apply({ op: "update", username, set: { title: "Analyst", department: "Finance" } });
    await scim.apply({ op: "disable", username });
    await scim.apply({ op: "addRoles", username, roles: [second] });
    await scim.apply({ op: "removeRoles", username, roles: [first] });
    const observed = await scim.observe(username, { roles: [first, second] });
    expect(observed).toMatchObject({ enabled: false, roles: [second] });
    expect(observed?.attributes).toMatchObject({ title: "Analyst", department: "Finance" });
    expect(proxy.requests.some((r) => r.method === "PATCH")).toBe(false);
    const puts = proxy.requests.filter((r) => r.method === "PUT");
    expect(puts.length).toBeGreaterThanOrEqual(4);
    expect(puts.every((r) => typeof r.ifMatch === "string" && r.ifMatch.startsWith('W/"'))).toBe(true);
  });

  it("re-reads and retries when another writer changed the resource first (412)", async () => {
    const scim = connect(proxy.baseURL, peer.token);
    const username = nextName("raced");
    await scim.apply({ op: "create", account: account(username) });
    proxy.inject({ method: "PUT", pathIncludes: "/Users/", times: 1, status: 412, body: "{}" });
    await scim.apply({ op: "update", username, set: { title: "Winner" } });
    expect((await scim.observe(username))?.attributes.title).toBe("Winner");
    expect(proxy.requests.filter((r) => r.method === "PUT")).toHaveLength(2);
  });

  it("loses no concurrent membership change when several users join one group at once", async () => {
    const role = "put-crowded";
    await ensureGroup(peer, role);
    const scim = connect(proxy.baseURL, peer.token, { concurrency: 4 });
    const names = Array.from({ length: 6 }, () => nextName("crowd"));
    for (const username of names) await scim.apply({ op: "create", account: account(username) });
    await Promise.all(names.map((username) => scim.apply({ op: "addRoles", username, roles: [role] })));
    expect(await membersOf(peer, role)).toHaveLength(names.length);
  });
});
