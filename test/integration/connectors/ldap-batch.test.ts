/**
 * The OpenLDAP connector's bulk paths against a real slapd: observeMany reports what observe
 * does (with one account search and one read per group), applyBatch leaves the directory as
 * apply does with one member write per group, and every change's outcome is apply's.
 */
import { jest } from "@jest/globals";
import type { LdapConnector } from "../../../operator/src/connectors/ldap/connector.js";
import type { LdapConnectorInput } from "../../../operator/src/connectors/ldap/config.js";
import { LdapTransport } from "../../../operator/src/connectors/shared/ldap-transport.js";
import type {
  AccountChange,
  BatchOutcome,
  DesiredAccount,
  ObservedAccount,
} from "../../../operator/src/engine/connector.js";
import { ConflictError, TerminalError, type RosterError } from "../../../operator/src/errors.js";
import { ldapConnectorFor } from "../../harness/ldap-connector.js";
import { canBind, groupsOf, startSlapd, withSlapdAdmin, type SlapdServer } from "../../harness/slapd.js";
import { uniqueUsername } from "./contract-suite.js";

jest.setTimeout(120_000);

let server: SlapdServer;
const MARKER = "roster.dev/ldap-batch";
const PASSWORD = "correct horse battery staple";
const BATCH = { concurrency: 4 };

beforeAll(async () => {
  server = await startSlapd();
});
afterAll(async () => server?.stop());

function connect(overrides: Partial<LdapConnectorInput> = {}): LdapConnector {
  return ldapConnectorFor(server, overrides);
}

let connector: LdapConnector;
beforeEach(() => {
  connector = connect();
});
afterEach(async () => {
  jest.restoreAllMocks();
  await connector.close();
});

const account = (username: string, overrides: Partial<DesiredAccount> = {}): DesiredAccount => ({
  username,
  ownerMarker: MARKER,
  enabled: true,
  attributes: { cn: `Person ${username}`, sn: "Tester", mail: `${username}@example.test` },
  roles: [],
  ...overrides,
});

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

const dnOf = (username: string) => `uid=${username},${server.peopleDN}`;

async function addUnowned(username: string): Promise<void> {
  await withSlapdAdmin(server, (admin) =>
    admin.add(dnOf(username), { objectClass: "inetOrgPerson", uid: username, cn: username, sn: username }),
  );
}

async function applyEach(changes: AccountChange[]): Promise<void> {
  for (const change of changes) await connector.apply(change);
}

/** What apply gives for a change, as an outcome. */
async function applyOutcome(change: AccountChange): Promise<BatchOutcome> {
  try {
    return { ok: true, result: await connector.apply(change) };
  } catch (err) {
    return { ok: false, error: err as RosterError };
  }
}

/** An outcome in comparable form: id, or error class, reason and message. */
function shape(outcome: BatchOutcome | undefined): unknown {
  if (!outcome) return "missing";
  if (outcome.ok) return { id: outcome.result.id };
  const { error } = outcome;
  return { error: error.constructor.name, reason: error.reason, message: error.message };
}

/** An observed account without the parts that differ between two accounts created alike. */
function comparable(observed: ObservedAccount | undefined): unknown {
  if (!observed) return undefined;
  const { id: _id, username: _username, attributes, ...rest } = observed;
  const { cn: _cn, mail: _mail, ...others } = attributes;
  return { ...rest, attributes: others };
}

describe("LDAP observeMany", () => {
  it("reports exactly what observe does, from one account search and one read per group", async () => {
    const [readers, writers] = [await addGroup("obs-readers"), await addGroup("obs-writers")];
    const plain = uniqueUsername("obs-plain");
    const hostile = uniqueUsername("obs-o'brien*(x)\\, y=z");
    const disabled = uniqueUsername("obs-disabled");
    const mixedCase = uniqueUsername("Obs-Mixed");
    await applyEach([
      { op: "create", account: account(plain, { roles: [readers, writers] }) },
      { op: "create", account: account(hostile, { roles: [writers] }) },
      { op: "create", account: account(disabled, { enabled: false }) },
      { op: "create", account: account(mixedCase, { roles: [readers] }) },
    ]);
    const unowned = uniqueUsername("obs-unowned");
    await addUnowned(unowned);
    const asked = [
      plain,
      hostile,
      disabled,
      mixedCase.toLowerCase(),
      unowned,
      "*",
      "obs-missing)(uid=*",
      uniqueUsername("gone"),
    ];
    for (const roles of [[readers, writers, "no-such-group"], undefined, []]) {
      const options = roles === undefined ? {} : { roles };
      const search = jest.spyOn(LdapTransport.prototype, "search");
      const many = await connector.observeMany(asked, options);
      const searches = search.mock.calls.length;
      search.mockRestore();
      const one = new Map<string, ObservedAccount>();
      for (const username of asked) {
        const observed = await connector.observe(username, options);
        if (observed) one.set(username, observed);
      }
      expect([...many.keys()].sort()).toEqual(
        [plain, hostile, disabled, mixedCase.toLowerCase(), unowned].sort(),
      );
      expect(many).toEqual(one);
      // one account search, plus per group at most a lookup of its DN and a read of its members
      if (roles !== undefined) expect(searches).toBeLessThanOrEqual(1 + 2 * roles.length);
    }
    expect(rolesIn(await connector.observeMany([plain], { roles: [readers, writers] }))).toEqual([
      readers,
      writers,
    ]);
  });
});

describe("LDAP observeMany fallback", () => {
  it("looks names up one by one when the server matched an entry by rules the keys do not model", async () => {
    // slapd compares uid ignoring repeated spaces: the bulk search returns this entry for
    // "<spaced> x", which the connector's keys cannot place
    const spaced = uniqueUsername("obs-spaced");
    await addUnowned(`${spaced}  x`);
    const ours = uniqueUsername("obs-with-spaced");
    await connector.apply({ op: "create", account: account(ours) });
    const asked = [`${spaced} x`, ours, uniqueUsername("obs-absent")];
    const many = await connector.observeMany(asked, { roles: [] });
    expect(many.get(`${spaced} x`)?.username).toBe(`${spaced}  x`);
    const one = new Map<string, ObservedAccount>();
    for (const username of asked) {
      const observed = await connector.observe(username, { roles: [] });
      if (observed) one.set(username, observed);
    }
    expect(many).toEqual(one);
    expect([...many.keys()]).toEqual([`${spaced} x`, ours]);
  });
});

function rolesIn(result: Map<string, ObservedAccount>): string[] {
  return [...result.values()].flatMap((observed) => observed.roles);
}

describe("LDAP applyBatch creates", () => {
  it("leaves the directory as apply one by one does, with one member write per group", async () => {
    const [staff, admins] = [await addGroup("create-staff"), await addGroup("create-admins")];
    const desired = (prefix: string) =>
      Array.from({ length: 60 }, (_, i) =>
        account(`${prefix}-${i}`, {
          enabled: i % 5 !== 0,
          roles: i % 3 === 0 ? [staff, admins] : [staff],
          attributes: {
            cn: `${prefix} ${i}`,
            sn: "Tester",
            mail: `${prefix}-${i}@example.test`,
            title: `T${i % 4}`,
          },
          ...(i % 10 === 1 ? { password: PASSWORD } : {}),
        }),
      );
    const viaApply = desired(uniqueUsername("one"));
    const viaBatch = desired(uniqueUsername("bulk"));
    await applyEach(viaApply.map((a): AccountChange => ({ op: "create", account: a })));

    const modify = jest.spyOn(LdapTransport.prototype, "modify");
    const outcomes = await connector.applyBatch(
      viaBatch.map((a): AccountChange => ({ op: "create", account: a })),
      BATCH,
    );
    const memberWrites = modify.mock.calls.filter(([dn]) => dn.endsWith(server.groupsDN)).length;
    modify.mockRestore();

    expect(outcomes.map(shape)).toEqual(viaBatch.map((a) => ({ id: dnOf(a.username) })));
    expect(memberWrites).toBe(2);
    const roles = { roles: [staff, admins] };
    const fromApply = await connector.observeMany(
      viaApply.map((a) => a.username),
      roles,
    );
    const fromBatch = await connector.observeMany(
      viaBatch.map((a) => a.username),
      roles,
    );
    viaApply.forEach((a, i) => {
      const b = viaBatch[i] as DesiredAccount;
      expect(comparable(fromBatch.get(b.username))).toEqual(comparable(fromApply.get(a.username)));
      expect(fromBatch.get(b.username)?.attributes.mail).toBe(`${b.username}@example.test`);
    });
    expect(await canBind(server.url, dnOf(viaBatch[1]!.username), PASSWORD)).toBe(true);
    expect(await canBind(server.url, dnOf(viaBatch[10]!.username), PASSWORD)).toBe(false); // created disabled

    // a retried batch converges: same outcomes, nothing duplicated
    const again = await connector.applyBatch(
      viaBatch.map((a): AccountChange => ({ op: "create", account: a })),
      BATCH,
    );
    expect(again.map(shape)).toEqual(outcomes.map(shape));
    expect((await membersOf(admins)).length).toBe(1 + 2 * 20);
  });

  it("writes more members than one modify carries in chunks", async () => {
    const big = await addGroup("create-big");
    const accounts = Array.from({ length: 520 }, (_, i) =>
      account(`${uniqueUsername("chunk")}-${i}`, { roles: [big] }),
    );
    const outcomes = await connector.applyBatch(
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
    await connector.apply({ op: "create", account: account(existing) });
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
    const outcomes = await connector.applyBatch(
      accounts.map((a): AccountChange => ({ op: "create", account: a })),
      BATCH,
    );
    expect(mostInFlight).toBeGreaterThan(1);
    expect(mostInFlight).toBeLessThanOrEqual(BATCH.concurrency);
    expect(outcomes.slice(0, 900).filter((o) => !o.ok)).toEqual([]);
    expect(outcomes[900]).toEqual({ ok: true, result: { id: dnOf(existing) } });
    expect(outcomes[901]?.ok === false && outcomes[901].error).toBeInstanceOf(ConflictError);
  });

  it("fails only the changes that fail alone: unowned entries, missing groups", async () => {
    const staff = await addGroup("create-fail-staff");
    const unowned = uniqueUsername("create-unowned");
    await addUnowned(unowned);
    const existing = uniqueUsername("create-existing");
    await connector.apply({ op: "create", account: account(existing) });
    const changes: AccountChange[] = [
      { op: "create", account: account(uniqueUsername("create-ok"), { roles: [staff] }) },
      { op: "create", account: account(unowned, { roles: [staff] }) },
      {
        op: "create",
        account: account(uniqueUsername("create-nogroup"), { roles: [staff, "no-such-group"] }),
      },
      { op: "create", account: account(existing, { roles: [staff], enabled: false }) },
    ];
    const outcomes = await connector.applyBatch(changes, BATCH);
    expect(outcomes[0]).toEqual({
      ok: true,
      result: { id: dnOf((changes[0] as { account: DesiredAccount }).account.username) },
    });
    expect(outcomes[1]?.ok === false && outcomes[1].error).toBeInstanceOf(ConflictError);
    expect(shape(outcomes[1])).toEqual(shape(await applyOutcome(changes[1] as AccountChange)));
    expect(outcomes[2]?.ok === false && outcomes[2].error).toBeInstanceOf(TerminalError);
    expect(shape(outcomes[2])).toEqual(shape(await applyOutcome(changes[2] as AccountChange)));
    expect(outcomes[3]).toEqual({ ok: true, result: { id: dnOf(existing) } });
    expect(await groupsOf(server, existing)).toEqual([staff]);
    expect((await connector.observe(existing))?.enabled).toBe(false);
    expect(await groupsOf(server, unowned)).toEqual([]);
  });
});

describe("LDAP applyBatch membership", () => {
  it("adds and removes members with one write per group and leaves other members alone", async () => {
    const outsider = "uid=someone-else,ou=elsewhere,dc=example,dc=test";
    const [red, blue] = [await addGroup("member-red", [outsider]), await addGroup("member-blue")];
    const users = Array.from({ length: 6 }, (_, i) => uniqueUsername(`member-${i}`));
    await applyEach(
      users.map((u, i): AccountChange => ({
        op: "create",
        account: account(u, { roles: i < 3 ? [red] : [] }),
      })),
    );
    const changes: AccountChange[] = [
      { op: "removeRoles", username: users[0]!, roles: [red] },
      { op: "removeRoles", username: users[1]!, roles: [red, blue] }, // blue: not a member
      { op: "addRoles", username: users[2]!, roles: [red, blue] }, // red: already a member
      { op: "addRoles", username: users[3]!, roles: [red] },
      { op: "addRoles", username: users[4]!, roles: [blue] },
      { op: "disable", username: users[5]! },
    ];
    const modify = jest.spyOn(LdapTransport.prototype, "modify");
    const outcomes = await connector.applyBatch(changes, BATCH);
    const groupWrites = modify.mock.calls.filter(([dn]) => dn.endsWith(server.groupsDN)).length;
    modify.mockRestore();
    expect(outcomes.map(shape)).toEqual(users.map((u) => ({ id: dnOf(u) })));
    // removals: one write to red; additions: one to red, one to blue
    expect(groupWrites).toBe(3);
    expect(await membersOf(red)).toEqual(["", outsider, dnOf(users[2]!), dnOf(users[3]!)].sort());
    expect(await membersOf(blue)).toEqual(["", dnOf(users[2]!), dnOf(users[4]!)].sort());
    expect((await connector.observe(users[5]!))?.enabled).toBe(false);
  });

  it("fails only the unowned or missing account's change, with apply's error", async () => {
    const staff = await addGroup("member-conflict");
    const ours = uniqueUsername("member-ours");
    const unowned = uniqueUsername("member-unowned");
    const missing = uniqueUsername("member-missing");
    await connector.apply({ op: "create", account: account(ours) });
    await addUnowned(unowned);
    const changes: AccountChange[] = [
      { op: "addRoles", username: unowned, roles: [staff] },
      { op: "addRoles", username: ours, roles: [staff] },
      { op: "addRoles", username: missing, roles: [staff] },
    ];
    const outcomes = await connector.applyBatch(changes, BATCH);
    expect(outcomes[0]?.ok === false && outcomes[0].error).toBeInstanceOf(ConflictError);
    expect(outcomes[1]).toEqual({ ok: true, result: { id: dnOf(ours) } });
    const alone = [await applyOutcome(changes[0]!), await applyOutcome(changes[2]!)];
    expect([shape(outcomes[0]), shape(outcomes[2])]).toEqual(alone.map(shape));
    expect(await membersOf(staff)).toEqual(["", dnOf(ours)].sort());
  });

  it("falls back to apply for the changes of a group whose write fails", async () => {
    const staff = await addGroup("member-fallback");
    const [a, b] = [uniqueUsername("fallback-a"), uniqueUsername("fallback-b")];
    await applyEach([a, b].map((u): AccountChange => ({ op: "create", account: account(u) })));
    const changes: AccountChange[] = [
      { op: "addRoles", username: a, roles: [staff, "no-such-group"] },
      { op: "addRoles", username: b, roles: [staff] },
    ];
    const outcomes = await connector.applyBatch(changes, BATCH);
    expect(outcomes[1]).toEqual({ ok: true, result: { id: dnOf(b) } });
    expect(outcomes[0]?.ok === false && outcomes[0].error.reason).toBe("RoleNotFound");
    expect(shape(outcomes[0])).toEqual(shape(await applyOutcome(changes[0]!)));
    expect(await membersOf(staff)).toEqual(["", dnOf(a), dnOf(b)].sort());
  });

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
    const outcomes = await connector.applyBatch(
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
