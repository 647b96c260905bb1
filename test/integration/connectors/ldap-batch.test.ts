/**
 * The OpenLDAP connector's bulk paths against a real slapd: the shared directory batch suite
 * (observeMany is observe, applyBatch is apply with one member write per group, with one account
 * search and one read per group), then what only OpenLDAP shows: lookups by slapd's own matching
 * rules, member writes in chunks, bounded concurrent lookups, groupOfNames placeholders, posixGroup.
 */
import { jest } from "@jest/globals";
import type { LdapConnector } from "../../../operator/src/connectors/ldap/connector.js";
import type { LdapConnectorInput } from "../../../operator/src/connectors/ldap/config.js";
import { LdapTransport } from "../../../operator/src/connectors/shared/ldap-transport.js";
import type { AccountChange } from "../../../operator/src/engine/connector.js";
import { ConflictError } from "../../../operator/src/errors.js";
import { ldapConnectorFor } from "../../harness/ldap-connector.js";
import { canBind, groupsOf, startSlapd, withSlapdAdmin, type SlapdServer } from "../../harness/slapd.js";
import { uniqueUsername } from "./contract-suite.js";
import {
  BATCH,
  describeDirectoryBatch,
  observeEach,
  useDirectoryBatch,
  type DirectoryBatchBackend,
} from "./directory-batch-suite.js";

jest.setTimeout(120_000);

let server: SlapdServer;

beforeAll(async () => {
  server = await startSlapd();
});
afterAll(async () => server?.stop());

function connect(overrides: Partial<LdapConnectorInput> = {}): LdapConnector {
  return ldapConnectorFor(server, overrides);
}

const dnOf = (username: string) => `uid=${username},${server.peopleDN}`;

/** Adds a groupOfNames holding the placeholder and `members` (DNs); returns the role name. */
async function addGroup(base: string, members: string[] = []): Promise<string> {
  const role = uniqueUsername(base);
  await withSlapdAdmin(server, (admin) =>
    admin.add(`cn=${role},${server.groupsDN}`, {
      objectClass: "groupOfNames",
      cn: role,
      member: ["", ...members],
    }),
  );
  return role;
}

async function membersOf(role: string): Promise<string[]> {
  return withSlapdAdmin(server, async (admin) => {
    const { searchEntries } = await admin.search(`cn=${role},${server.groupsDN}`, {
      scope: "base",
      attributes: ["member"],
    });
    const raw = searchEntries[0]?.member ?? [];
    return (Array.isArray(raw) ? raw : [raw]).map(String).sort();
  });
}

async function addUnowned(username: string): Promise<void> {
  await withSlapdAdmin(server, (admin) =>
    admin.add(dnOf(username), { objectClass: "inetOrgPerson", uid: username, cn: username, sn: username }),
  );
}

const slapd: DirectoryBatchBackend<LdapConnector> = {
  name: "LDAP",
  connect: () => connect(),
  ownerMarker: "roster.dev/ldap-batch",
  password: "correct horse battery staple",
  attributesFor: (username) => ({ cn: `Person ${username}`, sn: "Tester", mail: `${username}@example.test` }),
  varyingAttributes: ["cn", "mail"],
  addGroup: (base) => addGroup(base),
  addGroupWithOutsider: async (base) => {
    const outsider = "uid=someone-else,ou=elsewhere,dc=example,dc=test";
    return { role: await addGroup(base, [outsider]), outsider };
  },
  membersOf,
  memberEntry: dnOf,
  emptyGroup: [""],
  groupsOf: (username) => groupsOf(server, username),
  addUnowned,
  canBind: (username, password) => canBind(server.url, dnOf(username), password),
  isGroupDN: (dn) => dn.endsWith(server.groupsDN),
  idOf: dnOf,
  createCount: 60,
  observeCases: (account, readers, writers) => {
    const mixedCase = uniqueUsername("Obs-Mixed");
    const cases = [
      account(uniqueUsername("obs-plain"), { roles: [readers, writers] }),
      account(uniqueUsername("obs-o'brien*(x)\\, y=z"), { roles: [writers] }),
      account(uniqueUsername("obs-disabled"), { enabled: false }),
    ].map((a) => ({ account: a, askedAs: a.username }));
    return [
      ...cases,
      { account: account(mixedCase, { roles: [readers] }), askedAs: mixedCase.toLowerCase() },
    ];
  },
  maxObserveSearches: (roleCount) => 1 + 2 * roleCount,
};

const ctx = useDirectoryBatch(slapd);
const { account, applyEach } = ctx;
describeDirectoryBatch(slapd, ctx);

describe("LDAP observeMany fallback", () => {
  it("looks names up one by one when the server matched an entry by rules the keys do not model", async () => {
    // slapd compares uid ignoring repeated spaces: the bulk search returns this entry for
    // "<spaced> x", which the connector's keys cannot place
    const spaced = uniqueUsername("obs-spaced");
    await addUnowned(`${spaced}  x`);
    const ours = uniqueUsername("obs-with-spaced");
    await ctx.connector().apply({ op: "create", account: account(ours) });
    const asked = [`${spaced} x`, ours, uniqueUsername("obs-absent")];
    const many = await ctx.connector().observeMany(asked, { roles: [] });
    expect(many.get(`${spaced} x`)?.username).toBe(`${spaced}  x`);
    expect(many).toEqual(await observeEach(ctx.connector(), asked, { roles: [] }));
    expect([...many.keys()]).toEqual([`${spaced} x`, ours]);
  });
});

describe("LDAP applyBatch at scale", () => {
  it("writes more members than one modify carries in chunks", async () => {
    const big = await addGroup("create-big");
    const accounts = Array.from({ length: 520 }, (_, i) =>
      account(`${uniqueUsername("chunk")}-${i}`, { roles: [big] }),
    );
    const outcomes = await ctx.connector().applyBatch(
      accounts.map((a): AccountChange => ({ op: "create", account: a })),
      BATCH,
    );
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(await membersOf(big)).toEqual(["", ...accounts.map((a) => dnOf(a.username))].sort());
  });

  it("looks many accounts up with several searches at once, never more than the batch's concurrency", async () => {
    const unowned = uniqueUsername("lookup-unowned");
    await addUnowned(unowned);
    const existing = uniqueUsername("lookup-existing");
    await ctx.connector().apply({ op: "create", account: account(existing) });
    const fresh = Array.from({ length: 900 }, (_, i) => account(`${uniqueUsername("lookup")}-${i}`));
    // The two that exist sit in the last lookup chunks, looked up while earlier ones are in flight.
    const accounts = [...fresh, account(existing), account(unowned)];
    let inFlight = 0;
    let mostInFlight = 0;
    const search = LdapTransport.prototype.search;
    jest.spyOn(LdapTransport.prototype, "search").mockImplementation(async function (
      this: LdapTransport,
      ...args
    ) {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      try {
        return await search.apply(this, args);
      } finally {
        inFlight -= 1;
      }
    });
    const outcomes = await ctx.connector().applyBatch(
      accounts.map((a): AccountChange => ({ op: "create", account: a })),
      BATCH,
    );
    expect(mostInFlight).toBeGreaterThan(1);
    expect(mostInFlight).toBeLessThanOrEqual(BATCH.concurrency);
    expect(outcomes.slice(0, 900).filter((o) => !o.ok)).toEqual([]);
    expect(outcomes[900]).toEqual({ ok: true, result: { id: dnOf(existing) } });
    expect(outcomes[901]?.ok === false && outcomes[901].error).toBeInstanceOf(ConflictError);
  });
});

describe("LDAP applyBatch with a groupOfNames emptied", () => {
  it("keeps the placeholder when a batch removes every member of a groupOfNames", async () => {
    const users = [uniqueUsername("last-a"), uniqueUsername("last-b")];
    await applyEach(users.map((u): AccountChange => ({ op: "create", account: account(u) })));
    const role = uniqueUsername("last-group");
    await withSlapdAdmin(server, (admin) =>
      admin.add(`cn=${role},${server.groupsDN}`, {
        objectClass: "groupOfNames",
        cn: role,
        member: users.map(dnOf),
      }),
    );
    const outcomes = await ctx.connector().applyBatch(
      users.map((username): AccountChange => ({ op: "removeRoles", username, roles: [role] })),
      BATCH,
    );
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(await membersOf(role)).toEqual([""]);
  });
});

describe("LDAP applyBatch with posixGroup roles", () => {
  it("adds memberUid values in one write and reports them through observeMany", async () => {
    const posix = connect({ groupObjectClass: "posixGroup" });
    try {
      const role = uniqueUsername("posix-group");
      await withSlapdAdmin(server, (admin) =>
        admin.add(`cn=${role},${server.groupsDN}`, {
          objectClass: "posixGroup",
          cn: role,
          gidNumber: "5000",
        }),
      );
      const users = Array.from({ length: 5 }, (_, i) => uniqueUsername(`posix-${i}`));
      const outcomes = await posix.applyBatch(
        users.map((u): AccountChange => ({ op: "create", account: account(u, { roles: [role] }) })),
        BATCH,
      );
      expect(outcomes.filter((o) => !o.ok)).toEqual([]);
      const observed = await posix.observeMany(users, { roles: [role] });
      expect(users.map((u) => observed.get(u)?.roles)).toEqual(users.map(() => [role]));
      const removed = await posix.applyBatch(
        [{ op: "removeRoles", username: users[0]!, roles: [role] }],
        BATCH,
      );
      expect(removed[0]?.ok).toBe(true);
      expect((await posix.observe(users[0]!, { roles: [role] }))?.roles).toEqual([]);
    } finally {
      await posix.close();
    }
  });
});
