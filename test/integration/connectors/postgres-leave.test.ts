/**
 * The leaver path and the guard rails of the PostgreSQL connector against a real PostgreSQL 15:
 * live sessions ended on disable, others' memberships untouched, delete with owned objects
 * reassigned in every database or refused, missing roles, and errors classified.
 */
import pg from "pg";
import type { DesiredAccount } from "../../../operator/src/engine/connector.js";
import { ConflictError, TerminalError, TransientError } from "../../../operator/src/errors.js";
import { waitFor } from "../../harness/ports.js";
import { PostgresFixture } from "./postgres-fixture.js";

const MARKER = "roster.dev/leave";
const PASSWORD = "Leaver-Pa55";
let fixture: PostgresFixture;

beforeAll(async () => {
  fixture = await PostgresFixture.start();
  await fixture.createRole("dba", "NOLOGIN CREATEROLE");
  await fixture.createRole("analysts", "NOLOGIN");
  await fixture.createRole("shared", "NOLOGIN");
  await fixture.createRole("heir", "NOLOGIN");
  await fixture.sql("CREATE DATABASE appdb");
});
afterAll(async () => fixture?.stop());

const account = (username: string, overrides: Partial<DesiredAccount> = {}): DesiredAccount => ({
  username,
  ownerMarker: MARKER,
  enabled: true,
  attributes: {},
  roles: [],
  password: PASSWORD,
  ...overrides,
});

/** Opens a session as the user that records its own termination instead of crashing the test. */
async function openSession(username: string): Promise<{ client: pg.Client; errors: Error[] }> {
  const client = await fixture.connectAs(username, PASSWORD);
  const errors: Error[] = [];
  client.on("error", (err) => errors.push(err));
  await client.query("SELECT 1");
  return { client, errors };
}

async function sessionsOf(username: string): Promise<number> {
  const { rows } = await fixture.sql<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1",
    [username],
  );
  return rows[0]?.n ?? 0;
}

async function ownerOf(database: string, table: string): Promise<string | undefined> {
  const client = new pg.Client({
    connectionString: fixture.server.connectionString.replace(/\/postgres$/, `/${database}`),
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ owner: string }>(
      "SELECT tableowner AS owner FROM pg_tables WHERE schemaname || '.' || tablename = $1",
      [table],
    );
    return rows[0]?.owner;
  } finally {
    await client.end();
  }
}

describe("PostgreSQL leave: disable ends live sessions", () => {
  it("kills an open session of the user, and the user cannot log in again", async () => {
    const connector = fixture.connector();
    await connector.apply({ op: "create", account: account("leaver") });
    const { client, errors } = await openSession("leaver");
    expect(await sessionsOf("leaver")).toBe(1);

    await connector.apply({ op: "disable", username: "leaver" });

    const killed = await waitFor("the open session to be terminated", async () =>
      errors.find((err) => (err as { code?: string }).code === "57P01"),
    );
    expect(killed.message).toMatch(/terminating connection due to administrator command/);
    await expect(client.query("SELECT 1")).rejects.toThrow();
    expect(await sessionsOf("leaver")).toBe(0);
    await expect(fixture.connectAs("leaver", PASSWORD)).rejects.toThrow(/not permitted to log in/);
    await client.end().catch(() => undefined);
    await connector.close();
  });

  it("leaves the session alone when terminateSessions is off (the NOLOGIN still applies)", async () => {
    const connector = fixture.connector({ terminateSessions: false });
    await connector.apply({ op: "create", account: account("lingerer") });
    const { client } = await openSession("lingerer");
    await connector.apply({ op: "disable", username: "lingerer" });
    await expect(client.query("SELECT 1 AS one")).resolves.toMatchObject({ rows: [{ one: 1 }] });
    await expect(fixture.connectAs("lingerer", PASSWORD)).rejects.toThrow(/not permitted to log in/);
    await client.end();
    await connector.close();
  });
});

describe("PostgreSQL memberships", () => {
  it("revokes only memberships Roster granted; a membership granted by someone else stays", async () => {
    const connector = fixture.connector();
    await connector.apply({ op: "create", account: account("mover", { roles: ["analysts"] }) });
    await fixture.sql("SET ROLE dba; GRANT shared TO mover; RESET ROLE");
    expect((await fixture.role("mover"))?.memberships).toEqual([
      { role: "analysts", grantor: "postgres" },
      { role: "shared", grantor: "dba" },
    ]);
    expect((await connector.observe("mover", { roles: ["analysts", "shared"] }))?.roles).toEqual([
      "analysts",
    ]);

    await connector.apply({ op: "removeRoles", username: "mover", roles: ["analysts", "shared"] });

    expect((await fixture.role("mover"))?.memberships).toEqual([{ role: "shared", grantor: "dba" }]);
    await connector.close();
  });

  it("refuses to grant a role that does not exist, naming it", async () => {
    const connector = fixture.connector();
    const failure = connector.apply({
      op: "create",
      account: account("hopeful", { roles: ["analysts", "no_such_role"] }),
    });
    await expect(failure).rejects.toBeInstanceOf(TerminalError);
    await expect(failure).rejects.toThrow(/granted roles do not exist: "no_such_role"/);
    expect(await fixture.role("hopeful")).toBeUndefined();
    await connector.close();
  });

  it("creates missing granted roles as NOLOGIN roles when createRoles is on", async () => {
    const connector = fixture.connector({ createRoles: true });
    await connector.apply({ op: "create", account: account("pioneer", { roles: ["brand_new"] }) });
    await connector.apply({ op: "addRoles", username: "pioneer", roles: ["brand_newer"] });
    expect(await fixture.role("brand_new")).toMatchObject({ canLogin: false });
    expect((await fixture.role("pioneer"))?.memberships.map((m) => m.role)).toEqual([
      "brand_new",
      "brand_newer",
    ]);
    await connector.close();
  });
});

describe("PostgreSQL delete and owned objects", () => {
  async function giveObjects(username: string): Promise<void> {
    await fixture.sql(
      `CREATE TABLE public.${username}_main (id int); ALTER TABLE public.${username}_main OWNER TO ${username}`,
    );
    await fixture.sql(
      `CREATE TABLE public.${username}_seen (id int); GRANT SELECT ON public.${username}_seen TO ${username}`,
    );
    const app = new pg.Client({
      connectionString: fixture.server.connectionString.replace(/\/postgres$/, "/appdb"),
    });
    await app.connect();
    await app.query(
      `CREATE SCHEMA ${username}_s AUTHORIZATION ${username}; CREATE TABLE ${username}_s.t (id int)`,
    );
    await app.query(`ALTER TABLE ${username}_s.t OWNER TO ${username}`);
    await app.end();
  }

  it("reassigns owned objects in every database to the configured role, then drops the role", async () => {
    const connector = fixture.connector({ ownedObjects: { policy: "reassign", to: "heir" } });
    await connector.apply({ op: "create", account: account("owner1") });
    await giveObjects("owner1");

    await expect(connector.apply({ op: "delete", username: "owner1" })).resolves.toEqual({ id: undefined });

    expect(await fixture.role("owner1")).toBeUndefined();
    expect(await ownerOf("postgres", "public.owner1_main")).toBe("heir");
    expect(await ownerOf("appdb", "owner1_s.t")).toBe("heir");
    expect(await ownerOf("postgres", "public.owner1_seen")).toBe("postgres");
    await connector.close();
  });

  it("refuses to delete a role that owns objects when the policy is refuse, and changes nothing of them", async () => {
    const connector = fixture.connector({ ownedObjects: { policy: "refuse" } });
    await connector.apply({ op: "create", account: account("owner2") });
    await giveObjects("owner2");

    const failure = connector.apply({ op: "delete", username: "owner2" });
    await expect(failure).rejects.toBeInstanceOf(TerminalError);
    await expect(failure).rejects.toMatchObject({ reason: "OwnsObjects" });
    await expect(failure).rejects.toThrow(/owns 3 objects .*database "appdb": 2.*policy is refuse/);

    expect(await fixture.role("owner2")).toMatchObject({ canLogin: false });
    expect(await ownerOf("postgres", "public.owner2_main")).toBe("owner2");
    expect(await ownerOf("appdb", "owner2_s.t")).toBe("owner2");
    await connector.close();
  });

  it("deletes a role that holds privileges but owns nothing, even when the policy is refuse", async () => {
    const connector = fixture.connector({ ownedObjects: { policy: "refuse" } });
    await connector.apply({ op: "create", account: account("reader") });
    await fixture.sql("CREATE TABLE public.reports (id int); GRANT SELECT ON public.reports TO reader");
    await connector.apply({ op: "delete", username: "reader" });
    expect(await fixture.role("reader")).toBeUndefined();
    await connector.close();
  });
});

describe("PostgreSQL with a least-privilege admin role", () => {
  it("runs the whole lifecycle as a CREATEROLE role with pg_signal_backend, not a superuser", async () => {
    await fixture.createRole("roster_admin", "LOGIN CREATEROLE PASSWORD 'admin-pw'");
    await fixture.sql("GRANT pg_signal_backend TO roster_admin");
    const connector = fixture.connector({ user: "roster_admin", password: "admin-pw" });
    await expect(connector.check()).resolves.toBeUndefined();

    await connector.apply({ op: "create", account: account("least", { roles: ["analysts"] }) });
    expect((await fixture.role("least"))?.memberships).toEqual([
      { role: "analysts", grantor: "roster_admin" },
    ]);
    const { client, errors } = await openSession("least");
    await connector.apply({ op: "disable", username: "least" });
    await waitFor("the session to be terminated", async () => errors.length > 0);
    await client.end().catch(() => undefined);
    expect(await sessionsOf("least")).toBe(0);
    await connector.apply({ op: "delete", username: "least" });
    expect(await fixture.role("least")).toBeUndefined();
    await connector.close();
  });
});

describe("PostgreSQL guard rails", () => {
  it("never disables or deletes a role without Roster's marker", async () => {
    const connector = fixture.connector();
    await fixture.createRole("human", "LOGIN");
    await fixture.sql("COMMENT ON ROLE human IS 'the DBA on call'");
    for (const op of ["disable", "delete", "enable"] as const)
      await expect(connector.apply({ op, username: "human" })).rejects.toBeInstanceOf(ConflictError);
    await expect(
      connector.apply({ op: "addRoles", username: "human", roles: ["shared"] }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await fixture.role("human")).toMatchObject({
      canLogin: true,
      comment: "the DBA on call",
      memberships: [],
    });
    await connector.close();
  });

  it("reports permission denied as terminal, naming the missing privilege", async () => {
    await fixture.createRole("weak", "LOGIN PASSWORD 'weak-pw'");
    const connector = fixture.connector({ user: "weak", password: "weak-pw" });
    const failure = connector.apply({ op: "create", account: account("nobody") });
    await expect(failure).rejects.toBeInstanceOf(TerminalError);
    await expect(failure).rejects.toMatchObject({ reason: "PermissionDenied" });
    await expect(failure).rejects.toThrow(
      /permission denied to create role \(the admin role needs CREATEROLE\)/,
    );
    await expect(connector.check()).rejects.toThrow(/lacks CREATEROLE/);
    await connector.close();
  });

  it("reports a wrong admin password as terminal, without the password", async () => {
    const connector = fixture.connector({ password: "definitely-wrong-secret" });
    const failure = connector.check();
    await expect(failure).rejects.toBeInstanceOf(TerminalError);
    await expect(failure).rejects.toMatchObject({ reason: "AuthenticationFailed" });
    await failure.catch((err: Error) => expect(err.message).not.toContain("definitely-wrong-secret"));
    await connector.close();
  });

  it("reports too many connections as transient", async () => {
    await fixture.createRole("crowded", "LOGIN CREATEROLE PASSWORD 'crowded-pw' CONNECTION LIMIT 0");
    const connector = fixture.connector({ user: "crowded", password: "crowded-pw" });
    const failure = connector.check();
    await expect(failure).rejects.toBeInstanceOf(TransientError);
    await expect(failure).rejects.toMatchObject({ reason: "TooManyConnections" });
    await connector.close();
  });

  it("checks that the reassign target exists", async () => {
    const connector = fixture.connector({ ownedObjects: { policy: "reassign", to: "nobody_here" } });
    await expect(connector.check()).rejects.toMatchObject({ reason: "ReassignTargetMissing" });
    await connector.close();
  });
});
