/**
 * Identifier corpus against a real PostgreSQL 15: awkward role names are stored literally (checked
 * in pg_roles with bind parameters, not through the connector), nothing is injected, names past the
 * 63-byte limit are refused rather than truncated, and passwords with awkward characters work.
 */
import type { DesiredAccount } from "../../../operator/src/engine/connector.js";
import { TerminalError } from "../../../operator/src/errors.js";
import { PostgresConnector } from "../../../operator/src/connectors/postgres/index.js";
import { PostgresFixture, commentBody } from "./postgres-fixture.js";

const VICTIM = "victim";
const GROUP = 'grp "quoted"; DROP ROLE victim; --';
const MARKER = "roster.dev/identifiers";

const CORPUS: Array<[string, string]> = [
  ["a single quote", "o'brien"],
  ["a double quote", 'o"brien'],
  ["a semicolon", "a;b"],
  ["mixed case", "Ada.Lovelace"],
  ["upper case only", "ADA"],
  ["spaces", "ada lovelace"],
  ["a closing quote and DROP ROLE", `"; DROP ROLE ${VICTIM}; --`],
  ["a closing literal and DROP ROLE", `'); DROP ROLE ${VICTIM}; --`],
  ["a backslash", "back\\slash"],
  ["dollar quoting", "$$x$$"],
  ["a comment opener", "/* c */ --"],
  ["a newline", "line\nbreak"],
  ["exactly 63 ASCII bytes", "a".repeat(63)],
  ["63 bytes of two-byte characters", "é".repeat(31) + "x"],
  ["63 bytes of three-byte characters", "名".repeat(21)],
  ["four-byte emoji up to 63 bytes", "🚀".repeat(15) + "abc"],
];

let fixture: PostgresFixture;
let connector: PostgresConnector;

beforeAll(async () => {
  fixture = await PostgresFixture.start();
  await fixture.createRole(VICTIM, "NOLOGIN");
  await fixture.createRole(GROUP, "NOLOGIN");
  connector = fixture.connector();
});
afterAll(async () => {
  await connector?.close();
  await fixture?.stop();
});

async function roleCount(): Promise<number> {
  const { rows } = await fixture.sql<{ n: number }>("SELECT count(*)::int AS n FROM pg_roles");
  return rows[0]?.n ?? 0;
}

const account = (username: string, overrides: Partial<DesiredAccount> = {}): DesiredAccount => ({
  username,
  ownerMarker: MARKER,
  enabled: true,
  attributes: { displayName: `'); DROP ROLE ${VICTIM}; -- ${username}` },
  roles: [GROUP],
  ...overrides,
});

describe("PostgreSQL identifier corpus", () => {
  it.each(CORPUS)("stores a name with %s literally, with no injection", async (_reason, name) => {
    const before = await roleCount();
    await expect(connector.apply({ op: "create", account: account(name) })).resolves.toEqual({ id: name });
    expect(await roleCount()).toBe(before + 1);
    const role = await fixture.role(name);
    expect(role).toMatchObject({ canLogin: true, memberships: [{ role: GROUP, grantor: "postgres" }] });
    expect(commentBody(role?.comment ?? null)).toEqual({
      owner: MARKER,
      attributes: { displayName: `'); DROP ROLE ${VICTIM}; -- ${name}` },
    });
    expect(await fixture.role(VICTIM)).toBeDefined();

    const listed = await connector.list({ roles: [GROUP] });
    expect(listed.find((a) => a.username === name)).toMatchObject({
      id: name,
      owner: MARKER,
      roles: [GROUP],
    });

    await connector.apply({ op: "removeRoles", username: name, roles: [GROUP] });
    await connector.apply({ op: "disable", username: name });
    expect(await fixture.role(name)).toMatchObject({ canLogin: false, memberships: [] });
    await connector.apply({ op: "delete", username: name });
    expect(await fixture.role(name)).toBeUndefined();
    expect(await roleCount()).toBe(before);
  });

  it.each([
    ["64 ASCII bytes", "b".repeat(64)],
    ["a two-byte character crossing byte 63", "c".repeat(62) + "é"],
    ["22 three-byte characters (66 bytes)", "名".repeat(22)],
  ])("refuses a name of %s instead of creating a truncated role", async (_reason, name) => {
    const before = await roleCount();
    const failure = connector.apply({ op: "create", account: account(name) });
    await expect(failure).rejects.toBeInstanceOf(TerminalError);
    await expect(failure).rejects.toThrow(/limit is 63 bytes/);
    expect(await roleCount()).toBe(before);
  });

  it.each([
    ["quotes, a semicolon and a backslash", "login ascii", `pa'ss"w;rd\\ --`],
    ["non-ASCII characters (hashed by the server)", "login unicode", "mötley-crüe-密码"],
  ])("sets a password with %s that the user can log in with", async (_reason, name, password) => {
    await connector.apply({ op: "create", account: account(name, { password, roles: [] }) });
    const session = await fixture.connectAs(name, password);
    const { rows } = await session.query<{ me: string }>("SELECT current_user AS me");
    await session.end();
    expect(rows[0]?.me).toBe(name);
    const { rows: stored } = await fixture.sql<{ rolpassword: string }>(
      "SELECT rolpassword FROM pg_authid WHERE rolname = $1",
      [name],
    );
    expect(stored[0]?.rolpassword).toMatch(/^SCRAM-SHA-256\$4096:/);
    await expect(fixture.connectAs(name, "wrong")).rejects.toThrow(/password authentication failed/);
  });
});
