/**
 * Bulk paths of the PostgreSQL connector against a real PostgreSQL 15: applyBatch (creates in
 * transactions, disables / enables in one script with one session-termination query, memberships
 * one GRANT / REVOKE per role), observeMany (many roles in one query) and list. Every batch outcome
 * is checked against what `apply` gives for the same change, on the catalog read back directly.
 */
import pg from "pg";
import type { AccountChange, BatchOutcome, DesiredAccount } from "../../../operator/src/engine/connector.js";
import { ConflictError, TerminalError, isRosterError } from "../../../operator/src/errors.js";
import type { PostgresConnector } from "../../../operator/src/connectors/postgres/index.js";
import { waitFor } from "../../harness/ports.js";
import { PostgresFixture, commentBody } from "./postgres-fixture.js";

const MARKER = "roster.dev/bulk";
const PASSWORD = "Bulk-Pa55";
const CONCURRENCY = { concurrency: 3 };
let fixture: PostgresFixture;
let connector: PostgresConnector;

beforeAll(async () => {
  fixture = await PostgresFixture.start();
  await fixture.createRole("staff", "NOLOGIN");
  await fixture.createRole("ops", "NOLOGIN");
  await fixture.createRole("dba", "NOLOGIN CREATEROLE");
  await fixture.createRole("taken", "LOGIN");
  connector = fixture.connector({ poolSize: 3 });
});
afterAll(async () => {
  await connector?.close();
  await fixture?.stop();
});

const account = (username: string, overrides: Partial<DesiredAccount> = {}): DesiredAccount => ({
  username,
  ownerMarker: MARKER,
  enabled: true,
  attributes: { displayName: `Person ${username}`, connectionLimit: "2" },
  roles: ["staff"],
  ...overrides,
});

const names = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(3, "0")}`);

async function createAll(usernames: readonly string[], overrides: Partial<DesiredAccount> = {}) {
  const outcomes = await connector.applyBatch(
    usernames.map((u) => ({ op: "create", account: account(u, overrides) })),
    CONCURRENCY,
  );
  expect(outcomes.filter((o) => !o.ok)).toEqual([]);
}

/** An outcome as compared between batch and apply: success with the id, or the error's identity. */
function view(outcome: BatchOutcome | undefined): unknown {
  if (!outcome) return "missing";
  if (outcome.ok) return { ok: true, id: outcome.result.id };
  const { error } = outcome;
  return { ok: false, kind: error.kind, reason: error.reason, message: error.message };
}

/** What `apply` gives for each change, one after the other. */
async function applyEach(
  changes: readonly AccountChange[],
  through: PostgresConnector = connector,
): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = [];
  for (const change of changes) {
    try {
      outcomes.push({ ok: true, result: await through.apply(change) });
    } catch (err) {
      if (!isRosterError(err)) throw err;
      outcomes.push({ ok: false, error: err });
    }
  }
  return outcomes;
}

async function loginRoles(usernames: readonly string[]): Promise<string[]> {
  const { rows } = await fixture.sql<{ name: string }>(
    "SELECT rolname::text AS name FROM pg_roles WHERE rolname = ANY ($1::text[]) AND rolcanlogin ORDER BY 1",
    [usernames],
  );
  return rows.map((r) => r.name);
}

/** Memberships of `role` among `usernames`, with their grantors, read from pg_auth_members. */
async function membersOf(role: string, usernames: readonly string[]): Promise<string[]> {
  const { rows } = await fixture.sql<{ entry: string }>(
    `SELECT u.rolname || ' by ' || gr.rolname AS entry FROM pg_auth_members m
     JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
     JOIN pg_roles gr ON gr.oid = m.grantor
     WHERE g.rolname = $1 AND u.rolname = ANY ($2::text[]) ORDER BY 1`,
    [role, usernames],
  );
  return rows.map((r) => r.entry);
}

async function managedCount(): Promise<number> {
  const { rows } = await fixture.sql<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_roles WHERE shobj_description(oid, 'pg_authid') LIKE 'roster:%'",
  );
  return rows[0]?.n ?? 0;
}

/** Opens a session as the user that records its own termination instead of crashing the test. */
async function openSession(username: string): Promise<{ client: pg.Client; errors: Error[] }> {
  const client = await fixture.connectAs(username, PASSWORD);
  const errors: Error[] = [];
  client.on("error", (err) => errors.push(err));
  await client.query("SELECT 1");
  return { client, errors };
}

describe("PostgreSQL batch creates and list", () => {
  it("creates hundreds of accounts in batches, settling each failing change on its own", async () => {
    const created = names("bulk", 450);
    await connector.apply({ op: "create", account: account("bulk-007") });
    await connector.apply({ op: "create", account: account("bulk-old") });
    const changes: AccountChange[] = created.map((name) => ({ op: "create", account: account(name) }));
    changes.splice(120, 0, { op: "create", account: account("taken") });
    changes.splice(300, 0, { op: "create", account: account("x".repeat(64)) });
    changes.push({ op: "disable", username: "bulk-old" });

    const outcomes = await connector.applyBatch(changes, CONCURRENCY);

    expect(outcomes).toHaveLength(changes.length);
    const failed = outcomes.flatMap((o, i) => (o.ok ? [] : [[i, o.error] as const]));
    expect(failed.map(([i]) => i)).toEqual([120, 300]);
    expect(failed[0]?.[1]).toBeInstanceOf(ConflictError);
    expect(failed[1]?.[1]).toBeInstanceOf(TerminalError);
    expect(outcomes[0]).toEqual({ ok: true, result: { id: "bulk-000" } });
    expect(outcomes.at(-1)).toEqual({ ok: true, result: { id: "bulk-old" } });
    expect(await managedCount()).toBe(451);
    const sample = await fixture.role("bulk-449");
    expect(sample).toMatchObject({
      canLogin: true,
      connectionLimit: 2,
      memberships: [{ role: "staff", grantor: "postgres" }],
    });
    expect(commentBody(sample?.comment ?? null).owner).toBe(MARKER);
    expect(await fixture.role("bulk-old")).toMatchObject({ canLogin: false });
    expect(await fixture.role("taken")).toMatchObject({ comment: null });
    expect((await applyEach([changes[120], changes[300]] as AccountChange[])).map(view)).toEqual(
      [outcomes[120], outcomes[300]].map(view),
    );
  });

  it("lists every managed role with its memberships, and unmarked login roles as unowned", async () => {
    const listed = await connector.list({ roles: ["staff"] });
    const managed = listed.filter((a) => a.owner === MARKER);
    expect(managed).toHaveLength(451);
    expect(managed.every((a) => a.roles.length === 1 && a.roles[0] === "staff")).toBe(true);
    expect(listed.find((a) => a.username === "taken")).toMatchObject({ owner: undefined, enabled: true });
    expect(listed.find((a) => a.username === "postgres")).toBeUndefined();
    expect(listed.find((a) => a.username === "staff")).toBeUndefined();
  });
});

describe("PostgreSQL observeMany", () => {
  const corpus = [
    "o'brien",
    'o"brien',
    "Ada.Lovelace",
    "ada lovelace",
    '"; DROP ROLE staff; --',
    "back\\slash",
    "line\nbreak",
    "名".repeat(21),
  ];

  it("reports for each name exactly what observe reports; missing names are absent", async () => {
    await createAll(corpus, { roles: ["staff", "ops"], attributes: { email: "x@example.org" } });
    await connector.apply({ op: "disable", username: "o'brien" });
    const asked = [...corpus, "taken", "staff", "nobody", "a".repeat(64), "bulk-001", "bulk-001"];

    for (const options of [{}, { roles: ["ops"] }]) {
      const many = await connector.observeMany(asked, options);
      const single = new Map();
      for (const name of asked) {
        const observed = await connector.observe(name, options);
        if (observed) single.set(name, observed);
      }
      expect(many).toEqual(single);
      expect([...many.keys()].sort()).toEqual([...corpus, "taken", "staff", "bulk-001"].sort());
    }
    expect((await connector.observeMany(corpus)).get("o'brien")).toMatchObject({
      owner: MARKER,
      enabled: false,
      roles: ["ops", "staff"],
    });
    expect(await connector.observeMany([])).toEqual(new Map());
    expect(await fixture.role("staff")).toBeDefined();
  });
});

describe("PostgreSQL batch disable and enable", () => {
  it("disables 200 roles in one batch: NOLOGIN, live sessions cut, an unowned role refused on its own", async () => {
    const leavers = names("leaver", 200);
    await createAll(leavers.slice(3));
    await createAll([...leavers.slice(0, 3), "bystander"], { password: PASSWORD });
    const sessions = await Promise.all(leavers.slice(0, 3).map(openSession));
    const bystander = await openSession("bystander");
    const changes: AccountChange[] = leavers.map((username) => ({ op: "disable", username }));
    changes.splice(50, 0, { op: "disable", username: "taken" });
    changes.splice(100, 0, { op: "disable", username: "nobody" });

    const outcomes = await connector.applyBatch(changes, CONCURRENCY);

    expect(outcomes).toHaveLength(changes.length);
    expect(outcomes[50]).toMatchObject({ ok: false, error: { kind: "Conflict", reason: "NotOwned" } });
    expect(outcomes[100]).toEqual({ ok: true, result: { id: undefined } });
    expect(outcomes.filter((o) => o.ok && o.result.id !== undefined)).toHaveLength(200);
    expect(await loginRoles(leavers)).toEqual([]);
    expect(await fixture.role("taken")).toMatchObject({ canLogin: true, comment: null });
    for (const { client, errors } of sessions) {
      await waitFor("the session to be terminated", async () => errors.length > 0);
      await client.end().catch(() => undefined);
    }
    const { rows } = await fixture.sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = ANY ($1::text[])",
      [leavers],
    );
    expect(rows[0]?.n).toBe(0);
    await expect(bystander.client.query("SELECT 1")).resolves.toBeDefined();
    expect(bystander.errors).toEqual([]);
    await bystander.client.end();
    expect((await applyEach(changes)).map(view)).toEqual(outcomes.map(view));
  });

  it("enables in one batch; a missing role fails as apply fails it", async () => {
    const back = names("leaver", 20);
    const changes: AccountChange[] = [...back, "nobody", "taken"].map((username) => ({
      op: "enable",
      username,
    }));
    const outcomes = await connector.applyBatch(changes, CONCURRENCY);
    expect(await loginRoles(names("leaver", 200))).toEqual(back);
    expect(outcomes.at(-2)).toMatchObject({ ok: false, error: { reason: "AccountNotFound" } });
    expect(outcomes.at(-1)).toMatchObject({ ok: false, error: { reason: "NotOwned" } });
    expect((await applyEach(changes)).map(view)).toEqual(outcomes.map(view));
  });

  it("falls back to one change at a time when the server refuses the script", async () => {
    await fixture.createRole("bulk_admin", "LOGIN CREATEROLE PASSWORD 'admin-pw'");
    await fixture.sql("GRANT pg_signal_backend TO bulk_admin");
    await fixture.createRole("boss", "LOGIN SUPERUSER");
    await fixture.sql(`COMMENT ON ROLE boss IS 'roster:{"owner":"${MARKER}","attributes":{}}'`);
    const leastPrivileged = fixture.connector({ user: "bulk_admin", password: "admin-pw" });
    try {
      const changes: AccountChange[] = ["leaver-000", "boss", "leaver-001"].map((username) => ({
        op: "disable",
        username,
      }));
      const outcomes = await leastPrivileged.applyBatch(changes, CONCURRENCY);
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
      expect(outcomes[1]).toMatchObject({ error: { kind: "Terminal", reason: "PermissionDenied" } });
      expect(await loginRoles(["leaver-000", "boss", "leaver-001"])).toEqual(["boss"]);
      expect((await applyEach(changes, leastPrivileged)).map(view)).toEqual(outcomes.map(view));
    } finally {
      await leastPrivileged.close();
    }
  });
});

describe("PostgreSQL batch memberships", () => {
  const members = names("member", 60);

  it("grants one role to many accounts per statement, idempotently, refusing unowned accounts", async () => {
    await createAll(members, { roles: [] });
    await fixture.sql('SET ROLE dba; GRANT ops TO "member-001"; RESET ROLE');
    const changes: AccountChange[] = members.map((username) => ({
      op: "addRoles",
      username,
      roles: ["staff", "ops"],
    }));
    changes.push({ op: "addRoles", username: "taken", roles: ["staff"] });
    changes.push({ op: "addRoles", username: "nobody", roles: ["staff"] });

    const outcomes = await connector.applyBatch(changes, CONCURRENCY);

    expect(outcomes.slice(0, 60).every((o) => o.ok)).toBe(true);
    expect(outcomes.at(-2)).toMatchObject({ ok: false, error: { kind: "Conflict", reason: "NotOwned" } });
    expect(outcomes.at(-1)).toMatchObject({ ok: false, error: { reason: "AccountNotFound" } });
    expect(await membersOf("staff", members)).toEqual(members.map((m) => `${m} by postgres`));
    expect(await membersOf("ops", members)).toEqual(
      members.map((m) => `${m} by ${m === "member-001" ? "dba" : "postgres"}`),
    );
    expect((await fixture.role("taken"))?.memberships).toEqual([]);

    const again = await connector.applyBatch(changes, CONCURRENCY);
    expect(again.map(view)).toEqual(outcomes.map(view));
    expect(await membersOf("ops", members)).toHaveLength(60);
    expect((await applyEach(changes)).map(view)).toEqual(outcomes.map(view));
  });

  it("revokes only Roster's memberships, one statement per role, idempotently", async () => {
    const changes: AccountChange[] = members.map((username) => ({
      op: "removeRoles",
      username,
      roles: ["ops"],
    }));
    changes.push({ op: "removeRoles", username: "taken", roles: ["ops"] });

    const outcomes = await connector.applyBatch(changes, CONCURRENCY);

    expect(outcomes.slice(0, 60).every((o) => o.ok)).toBe(true);
    expect(outcomes.at(-1)).toMatchObject({ ok: false, error: { kind: "Conflict" } });
    expect(await membersOf("ops", members)).toEqual(["member-001 by dba"]);
    expect(await membersOf("staff", members)).toHaveLength(60);
    const again = await connector.applyBatch(changes, CONCURRENCY);
    expect(again.map(view)).toEqual(outcomes.map(view));
    expect((await applyEach(changes)).map(view)).toEqual(outcomes.map(view));
  });

  it("settles the changes touching a role the server refuses through apply, the rest in bulk", async () => {
    const changes: AccountChange[] = [
      { op: "addRoles", username: "member-010", roles: ["ops", "no-such-role"] },
      { op: "addRoles", username: "member-011", roles: ["ops"] },
      { op: "removeRoles", username: "member-012", roles: ["staff"] },
    ];
    const outcomes = await connector.applyBatch(changes, CONCURRENCY);
    expect(outcomes[0]).toMatchObject({ ok: false, error: { kind: "Terminal", reason: "RoleNotFound" } });
    expect(outcomes.slice(1).map(view)).toEqual([
      { ok: true, id: "member-011" },
      { ok: true, id: "member-012" },
    ]);
    expect(await membersOf("ops", ["member-010", "member-011"])).toEqual([
      "member-010 by postgres",
      "member-011 by postgres",
    ]);
    expect(await membersOf("staff", ["member-012"])).toEqual([]);
    expect((await applyEach(changes)).map(view)).toEqual(outcomes.map(view));
  });
});

// Last: stops the server.
describe("PostgreSQL batch during an outage", () => {
  it("fails every change of the batch with a TransientError and never rejects", async () => {
    await fixture.admin.end();
    await fixture.server.pause();
    const changes: AccountChange[] = [
      { op: "create", account: account("while-down") },
      { op: "disable", username: "member-000" },
      { op: "enable", username: "member-001" },
      { op: "addRoles", username: "member-002", roles: ["ops"] },
      { op: "removeRoles", username: "member-003", roles: ["staff"] },
      { op: "update", username: "member-004", set: { displayName: "x" } },
    ];
    const outcomes = await connector.applyBatch(changes, CONCURRENCY);
    expect(outcomes).toHaveLength(changes.length);
    for (const outcome of outcomes) {
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) {
        expect(outcome.error.kind).toBe("Transient");
        expect(outcome.error.reason).toMatch(/ConnectionFailed|ServerShuttingDown/);
        expect(outcome.error.message).not.toContain(fixture.server.password);
      }
    }
    await expect(connector.observeMany(["member-000"])).rejects.toMatchObject({ kind: "Transient" });
  });
});
