/**
 * The SCIM connector's bulk paths against the real peers (Better Auth, scimmy, and scimmy without
 * PATCH): observeMany reports what observe does, and applyBatch writes each group with one read
 * and one PATCH per 100 member changes (one PUT without PATCH), with per-change outcomes equal to
 * apply's, also when a group write loses a race or fails (behind a fault proxy). Requests are
 * counted with a fetch that records every call the connector makes.
 */
import {
  parseScimConfig,
  ScimConnector,
  type ScimConfigInput,
} from "../../../operator/src/connectors/scim/index.js";
import type {
  AccountChange,
  BatchOutcome,
  DesiredAccount,
  ObservedAccount,
} from "../../../operator/src/engine/connector.js";
import { ConflictError, TerminalError } from "../../../operator/src/errors.js";
import { startBetterAuthScim, startScimmyServer, type ScimPeer } from "../../harness/scim.js";
import { startFaultProxy, type FaultProxy } from "../../harness/scim-fault-proxy.js";
import { createUnownedUser, ensureGroup, findRaw } from "../../harness/scim-fixture.js";

const MARKER = "roster.dev/batch";
const BATCH = { concurrency: 8 };
let counter = 0;
const nextName = (base: string) => `${base}-${++counter}`;
const names = (base: string, n: number) => Array.from({ length: n }, () => nextName(base));

const account = (username: string, roles: string[] = []): DesiredAccount => ({
  username,
  ownerMarker: MARKER,
  enabled: true,
  roles,
  attributes: { email: `${username}@example.com`, displayName: `Batch ${username}` },
});

/** A connector whose requests are recorded as "METHOD /path" (query left out). */
function connect(peer: ScimPeer, extra: Partial<ScimConfigInput>) {
  const requests: string[] = [];
  const counting: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    requests.push(`${init?.method ?? "GET"} ${url.pathname.slice(new URL(peer.baseURL).pathname.length)}`);
    return fetch(input, init);
  };
  const config = parseScimConfig({
    baseURL: peer.baseURL,
    auth: { type: "bearer", token: peer.token },
    createGroups: true,
    ...extra,
  });
  return { scim: new ScimConnector(config, { fetch: counting }), requests };
}

/** Requests to one group resource, by method. */
function groupRequests(requests: string[], groupId: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of requests) {
    const [method, path] = request.split(" ");
    if (path === `/Groups/${groupId}`) counts[method!] = (counts[method!] ?? 0) + 1;
  }
  return counts;
}

async function memberIdsOf(peer: ScimPeer, groupId: string): Promise<string[]> {
  const answer = await peer.request("GET", `/Groups/${groupId}`);
  const members = (answer.body as { members?: { value: string }[] }).members ?? [];
  return members.map((m) => m.value);
}

function idsOf(outcomes: BatchOutcome[]): string[] {
  return outcomes.map((outcome) => {
    if (!outcome.ok) throw outcome.error;
    return outcome.result.id as string;
  });
}

const sorted = (values: string[]) => [...values].sort();

describe.each([
  ["Better Auth", startBetterAuthScim, { externalId: "markerWithUserName" } as Partial<ScimConfigInput>],
  ["scimmy", () => startScimmyServer(), {}],
])("SCIM batch paths against %s", (_name, start, extra) => {
  let peer: ScimPeer;
  beforeAll(async () => {
    peer = await start();
  }, 120_000);
  afterAll(async () => peer?.stop());

  it("observeMany reports exactly what observe does, reads each group once, and leaves out missing names", async () => {
    const [roleA, roleB] = [nextName("om-a"), nextName("om-b")];
    const { scim, requests } = connect(peer, extra);
    const [boss, report, plain, foreign] = [nextName("om"), nextName("om"), nextName("om"), nextName("om")];
    await scim.apply({ op: "create", account: account(boss, [roleA, roleB]) });
    await scim.apply({
      op: "create",
      account: { ...account(report, [roleB]), attributes: { email: `${report}@example.com`, manager: boss } },
    });
    await scim.apply({ op: "create", account: { ...account(plain), enabled: false } });
    await createUnownedUser(peer, foreign);
    const asked = [boss, report, plain, foreign, nextName("missing"), nextName("missing")];
    const options = { roles: [roleA, roleB, nextName("om-absent")] };

    requests.length = 0;
    const many = await scim.observeMany(asked, options);
    const groupReads = requests.filter((r) => /^GET \/Groups\/[^/]+$/.test(r));
    expect(groupReads).toHaveLength(2);

    const expected = new Map<string, ObservedAccount>();
    for (const username of asked) {
      const one = await scim.observe(username, options);
      if (one) expected.set(username, one);
    }
    expect([...expected.keys()]).toEqual([boss, report, plain, foreign]);
    expect(new Map([...many].sort())).toEqual(new Map([...expected].sort()));
    expect(many.get(report)?.attributes.manager).toBe(boss);
    expect(many.get(boss)?.roles.sort()).toEqual(sorted([roleA, roleB]));
    expect(many.get(foreign)?.owner).toBeUndefined();
  }, 60_000);

  it("creates 150 accounts with a role: one group read, two PATCHes, exact membership; again changes nothing", async () => {
    const role = nextName("bulk");
    const groupId = await ensureGroup(peer, role);
    const { scim, requests } = connect(peer, extra);
    const usernames = names("bulk", 150);
    const changes: AccountChange[] = usernames.map((u) => ({ op: "create", account: account(u, [role]) }));

    const ids = idsOf(await scim.applyBatch(changes, BATCH));
    expect(groupRequests(requests, groupId)).toEqual({ GET: 1, PATCH: 2 });
    expect(requests.filter((r) => r === "POST /Users")).toHaveLength(150);
    const members = await memberIdsOf(peer, groupId);
    expect(members).toHaveLength(150);
    expect(sorted(members)).toEqual(sorted(ids));

    requests.length = 0;
    const again = idsOf(await scim.applyBatch(changes, BATCH));
    expect(again).toEqual(ids);
    expect(groupRequests(requests, groupId)).toEqual({ GET: 1 });
    expect(sorted(await memberIdsOf(peer, groupId))).toEqual(sorted(ids));
    const observed = await scim.observeMany(usernames.slice(0, 3), { roles: [role] });
    expect([...observed.values()].map((a) => a.roles)).toEqual([[role], [role], [role]]);
  }, 120_000);

  it("adds and removes memberships of many accounts in one batch: per group and operation one read, ceil(n/100) PATCHes", async () => {
    const [stay, move] = [nextName("mix-stay"), nextName("mix-move")];
    const [stayId, moveId] = [await ensureGroup(peer, stay), await ensureGroup(peer, move)];
    const { scim, requests } = connect(peer, extra);
    const leavers = names("leaver", 60);
    const movers = names("mover", 60);
    const ids = idsOf(
      await scim.applyBatch(
        [...leavers, ...movers].map((u) => ({ op: "create", account: account(u, [stay]) })),
        BATCH,
      ),
    );
    const idOf = new Map([...leavers, ...movers].map((u, i) => [u, ids[i] as string]));
    const newcomers = names("newcomer", 110);
    idsOf(
      await scim.applyBatch(
        newcomers.map((u) => ({ op: "create", account: account(u) })),
        BATCH,
      ),
    );

    requests.length = 0;
    const outcomes = await scim.applyBatch(
      [
        ...leavers.map((u): AccountChange => ({ op: "removeRoles", username: u, roles: [stay] })),
        ...movers.map((u): AccountChange => ({ op: "addRoles", username: u, roles: [move] })),
        ...newcomers.map((u): AccountChange => ({ op: "addRoles", username: u, roles: [stay, move] })),
      ],
      BATCH,
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    // dispatchBatch hands additions and removals to the handler separately, so a group touched by
    // both is read once for each. stay: 60 removals (1 PATCH), then 110 additions (2 PATCHes);
    // move: 60 + 110 = 170 additions (2 PATCHes).
    expect(groupRequests(requests, stayId)).toEqual({ GET: 2, PATCH: 3 });
    expect(groupRequests(requests, moveId)).toEqual({ GET: 1, PATCH: 2 });
    const newcomerIds = (await scim.observeMany(newcomers)).values();
    const newIds = [...newcomerIds].map((a) => a.id);
    const moverIds = movers.map((u) => idOf.get(u) as string);
    expect(sorted(await memberIdsOf(peer, stayId))).toEqual(sorted([...moverIds, ...newIds]));
    expect(sorted(await memberIdsOf(peer, moveId))).toEqual(sorted([...moverIds, ...newIds]));

    // Idempotent: the same batch again reads each group and writes nothing.
    requests.length = 0;
    const repeat = await scim.applyBatch(
      leavers.map((u): AccountChange => ({ op: "removeRoles", username: u, roles: [stay] })),
      BATCH,
    );
    expect(repeat.every((o) => o.ok)).toBe(true);
    expect(groupRequests(requests, stayId)).toEqual({ GET: 1 });
  }, 120_000);

  it("disables accounts the pass has just read with one PATCH each, no lookup", async () => {
    const { scim, requests } = connect(peer, extra);
    const usernames = names("cut", 5);
    idsOf(
      await scim.applyBatch(
        usernames.map((u) => ({ op: "create", account: account(u) })),
        BATCH,
      ),
    );
    await scim.observeMany(usernames, { roles: [] });
    requests.length = 0;
    idsOf(
      await scim.applyBatch(
        usernames.map((u) => ({ op: "disable", username: u })),
        BATCH,
      ),
    );
    expect(requests.filter((r) => r.startsWith("GET "))).toEqual([]);
    expect(requests.filter((r) => /^(PATCH|PUT) \/Users\//.test(r))).toHaveLength(5);
    const after = await scim.observeMany(usernames, { roles: [] });
    expect(usernames.map((u) => after.get(u)?.enabled)).toEqual(usernames.map(() => false));
  }, 60_000);

  it("looks an account up again when the id read moments ago is gone (deleted and re-created)", async () => {
    const { scim } = connect(peer, extra);
    const username = nextName("stale");
    const [oldId] = idsOf(await scim.applyBatch([{ op: "create", account: account(username) }], BATCH));
    await scim.observe(username, { roles: [] });
    expect((await peer.request("DELETE", `/Users/${oldId}`)).status).toBe(204);
    // Re-created by another connector (another Roster replica), so this one's read is stale.
    const other = connect(peer, extra).scim;
    const [newId] = idsOf(await other.applyBatch([{ op: "create", account: account(username) }], BATCH));
    expect(newId).not.toBe(oldId);
    const result = await scim.apply({ op: "disable", username });
    expect(result.id).toBe(newId);
    expect((await scim.observe(username, { roles: [] }))?.enabled).toBe(false);
  }, 60_000);

  it("disables by the id the sync last saw (a revocation's cut) without reading; a gone id is looked up and owner-checked", async () => {
    const creator = connect(peer, extra).scim;
    const [kept, gone] = [nextName("known"), nextName("known-gone")];
    const [keptId, goneId] = idsOf(
      await creator.applyBatch(
        [kept, gone].map((u) => ({ op: "create", account: account(u) })),
        BATCH,
      ),
    );
    // Gone and re-created as someone else's account under the same name.
    expect((await peer.request("DELETE", `/Users/${goneId}`)).status).toBe(204);
    await createUnownedUser(peer, gone);
    const { scim, requests } = connect(peer, extra);
    await scim.capabilities();
    requests.length = 0;
    const [keptOutcome, goneOutcome] = await scim.applyBatch(
      [
        { op: "disable", username: kept, knownId: keptId },
        { op: "disable", username: gone, knownId: goneId },
      ],
      BATCH,
    );
    expect(keptOutcome).toEqual({ ok: true, result: { id: keptId } });
    expect(requests.filter((r) => r.includes(keptId!))).toEqual([`PATCH /Users/${keptId}`]);
    expect((await findRaw(peer, "/Users", "userName", kept))?.active).toBe(false);
    expect(goneOutcome).toMatchObject({ ok: false, error: expect.any(ConflictError) });
    // Untouched: still as its owner created it (scimmy leaves `active` out unless it is set).
    expect((await findRaw(peer, "/Users", "userName", gone))?.active).not.toBe(false);
  }, 60_000);

  it("fails only the change of an unowned or missing account, as apply would", async () => {
    const role = nextName("guarded");
    const groupId = await ensureGroup(peer, role);
    const { scim } = connect(peer, extra);
    const [foreign, squatted, missing] = [nextName("foreign"), nextName("squatted"), nextName("nobody")];
    await createUnownedUser(peer, foreign);
    await createUnownedUser(peer, squatted);
    const good = names("fine", 3);
    await scim.applyBatch(
      good.slice(0, 2).map((u) => ({ op: "create", account: account(u) })),
      BATCH,
    );
    const changes: AccountChange[] = [
      { op: "addRoles", username: good[0]!, roles: [role] },
      { op: "addRoles", username: foreign, roles: [role] },
      { op: "removeRoles", username: missing, roles: [role] },
      { op: "create", account: account(squatted, [role]) },
      { op: "create", account: account(good[2]!, [role]) },
      { op: "disable", username: good[1]! },
    ];
    const outcomes = await scim.applyBatch(changes, BATCH);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, false, false, true, true]);
    for (const index of [1, 2, 3]) {
      const batchError = (outcomes[index] as { ok: false; error: Error }).error;
      const applyError = await scim.apply(changes[index]!).catch((e: unknown) => e);
      expect(batchError.constructor).toBe((applyError as Error).constructor);
      expect(batchError).toMatchObject({ reason: (applyError as { reason: string }).reason });
    }
    expect((outcomes[1] as { error: Error }).error).toBeInstanceOf(ConflictError);
    expect((outcomes[2] as { error: Error }).error).toBeInstanceOf(TerminalError);
    expect((outcomes[3] as { error: Error }).error).toBeInstanceOf(ConflictError);
    const owned = await scim.observeMany([good[0]!, good[2]!]);
    expect(sorted(await memberIdsOf(peer, groupId))).toEqual(sorted([...owned.values()].map((a) => a.id)));
    expect((await findRaw(peer, "/Users", "userName", good[1]!))?.active).toBe(false);
  }, 60_000);
});

describe("SCIM batch paths against a PUT-only provider (scimmy without PATCH)", () => {
  let peer: ScimPeer;
  beforeAll(async () => {
    peer = await startScimmyServer({ patch: false });
  }, 120_000);
  afterAll(async () => peer?.stop());

  it("writes each group's membership delta as one read and one PUT", async () => {
    const [role, other] = [nextName("put"), nextName("put")];
    const [groupId, otherId] = [await ensureGroup(peer, role), await ensureGroup(peer, other)];
    const { scim, requests } = connect(peer, {});
    const usernames = names("put-user", 120);
    const ids = idsOf(
      await scim.applyBatch(
        usernames.map((u) => ({ op: "create", account: account(u, [role]) })),
        BATCH,
      ),
    );
    expect(groupRequests(requests, groupId)).toEqual({ GET: 1, PUT: 1 });
    expect(sorted(await memberIdsOf(peer, groupId))).toEqual(sorted(ids));

    requests.length = 0;
    const outcomes = await scim.applyBatch(
      usernames.map((u, i): AccountChange =>
        i % 2 === 0
          ? { op: "removeRoles", username: u, roles: [role] }
          : { op: "addRoles", username: u, roles: [other] },
      ),
      BATCH,
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(requests.some((r) => r.startsWith("PATCH"))).toBe(false);
    expect(groupRequests(requests, groupId)).toEqual({ GET: 1, PUT: 1 });
    expect(groupRequests(requests, otherId)).toEqual({ GET: 1, PUT: 1 });
    const odd = ids.filter((_, i) => i % 2 === 1);
    expect(sorted(await memberIdsOf(peer, groupId))).toEqual(sorted(odd));
    expect(sorted(await memberIdsOf(peer, otherId))).toEqual(sorted(odd));
  }, 120_000);
});

describe("SCIM batch paths against Better Auth behind a fault proxy", () => {
  let peer: ScimPeer;
  let proxy: FaultProxy;
  beforeAll(async () => {
    peer = await startBetterAuthScim();
    proxy = await startFaultProxy(peer.baseURL);
  }, 120_000);
  afterAll(async () => {
    await proxy?.stop();
    await peer?.stop();
  });
  beforeEach(() => proxy.reset());

  const proxied = () => connect({ ...peer, baseURL: proxy.baseURL }, { externalId: "markerWithUserName" });

  it("re-reads the group after a lost race (409) and writes only what is still missing", async () => {
    const role = nextName("raced");
    const groupId = await ensureGroup(peer, role);
    const { scim, requests } = proxied();
    proxy.inject({ method: "PATCH", pathIncludes: `/Groups/${groupId}`, times: 1, status: 409, body: "{}" });
    const ids = idsOf(
      await scim.applyBatch(
        names("raced-user", 130).map((u) => ({ op: "create", account: account(u, [role]) })),
        BATCH,
      ),
    );
    expect(groupRequests(requests, groupId)).toEqual({ GET: 2, PATCH: 3 });
    expect(sorted(await memberIdsOf(peer, groupId))).toEqual(sorted(ids));
  }, 120_000);

  it("fails the changes of a role whose group write failed, and only those", async () => {
    const [good, bad] = [nextName("ok-role"), nextName("bad-role")];
    const [goodId, badId] = [await ensureGroup(peer, good), await ensureGroup(peer, bad)];
    const { scim } = proxied();
    const usernames = names("split", 3);
    idsOf(
      await scim.applyBatch(
        usernames.map((u) => ({ op: "create", account: account(u) })),
        BATCH,
      ),
    );
    const body = JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "400" });
    proxy.inject({ method: "PATCH", pathIncludes: `/Groups/${badId}`, times: 1, status: 400, body });
    const outcomes = await scim.applyBatch(
      [
        { op: "addRoles", username: usernames[0]!, roles: [good] },
        { op: "addRoles", username: usernames[1]!, roles: [bad] },
        { op: "addRoles", username: usernames[2]!, roles: [good, bad] },
      ],
      BATCH,
    );
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, false]);
    expect((outcomes[1] as { error: Error }).error).toBeInstanceOf(TerminalError);
    expect((outcomes[2] as { error: Error }).error).toBe((outcomes[1] as { error: Error }).error);
    const observed = await scim.observeMany(usernames, { roles: [good, bad] });
    expect(usernames.map((u) => observed.get(u)?.roles)).toEqual([[good], [], [good]]);
    expect(await memberIdsOf(peer, badId)).toEqual([]);
    expect(await memberIdsOf(peer, goodId)).toHaveLength(2);
  }, 120_000);
});
