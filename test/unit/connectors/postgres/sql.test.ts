import {
  MAX_IDENTIFIER_BYTES,
  alterRoleSql,
  commentOnRoleSql,
  createRoleSql,
  dropOwnedSql,
  dropRoleSql,
  grantRolesSql,
  normaliseInstant,
  parseConnectionLimit,
  quoteRole,
  reassignOwnedSql,
  revokeRolesSql,
  script,
  validateNewRoleName,
  validateRoleName,
} from "../../../../operator/src/connectors/postgres/sql.js";
import { TerminalError } from "../../../../operator/src/errors.js";

describe("role identifier quoting", () => {
  it.each([
    ["a plain lowercase name", "ada", '"ada"'],
    ["mixed case, kept as is", "Ada.Lovelace", '"Ada.Lovelace"'],
    ["a double quote, doubled", 'o"brien', '"o""brien"'],
    ["an injection attempt, inert inside the quotes", '"; DROP ROLE x; --', '"""; DROP ROLE x; --"'],
    ["spaces and semicolons", "a b;c", '"a b;c"'],
    ["non-ASCII", "zoë-名前", '"zoë-名前"'],
  ])("quotes %s", (_reason, name, quoted) => {
    expect(quoteRole(name)).toBe(quoted);
  });

  it("accepts a name of exactly 63 bytes, multi-byte characters included", () => {
    const name = "é".repeat(31) + "a"; // 31 * 2 + 1 = 63 bytes
    expect(Buffer.byteLength(name)).toBe(MAX_IDENTIFIER_BYTES);
    expect(() => validateRoleName(name)).not.toThrow();
  });

  it.each([
    ["64 ASCII bytes", "a".repeat(64), /64 bytes long in UTF-8 and the limit is 63 bytes/],
    ["a multi-byte character crossing the limit", "a".repeat(62) + "é", /64 bytes/],
    ["an empty name", "", /empty/],
    ["a NUL character", "a\0b", /NUL/],
  ])("refuses %s with a TerminalError instead of truncating", (_reason, name, message) => {
    expect(() => quoteRole(name)).toThrow(TerminalError);
    expect(() => quoteRole(name)).toThrow(message);
  });

  it.each([
    ["the pg_ prefix", "pg_admin"],
    ["public", "public"],
    ["none", "none"],
  ])("refuses to create a role named with %s, but may grant system roles", (_reason, name) => {
    expect(() => validateNewRoleName(name)).toThrow(/cannot be used in PostgreSQL/);
    expect(() => createRoleSql(name, {})).toThrow(TerminalError);
  });

  it("allows granting a system role such as pg_read_all_data", () => {
    expect(grantRolesSql(["pg_read_all_data"], "ada")).toBe('GRANT "pg_read_all_data" TO "ada"');
  });
});

describe("role statements", () => {
  it.each([
    [
      "a login role with every property",
      "ada",
      {
        login: true,
        password: "SCRAM-SHA-256$x",
        connectionLimit: 5,
        validUntil: "2027-01-31T12:00:00.250+01:00",
      },
      `CREATE ROLE "ada" LOGIN PASSWORD 'SCRAM-SHA-256$x' CONNECTION LIMIT 5 VALID UNTIL '2027-01-31T11:00:00Z'`,
    ],
    ["a disabled role, nothing else", "bob", { login: false }, `CREATE ROLE "bob" NOLOGIN`],
    [
      "a password with quotes and a backslash, escaped as a literal",
      "eve",
      { password: "it's\\" },
      `CREATE ROLE "eve" PASSWORD E'it''s\\\\'`,
    ],
    ["no options", "x", {}, `CREATE ROLE "x"`],
  ])("creates %s", (_reason, name, options, sql) => {
    expect(createRoleSql(name, options)).toBe(sql);
  });

  it("alters only given properties and says when there is nothing to alter", () => {
    expect(alterRoleSql("ada", { login: false })).toBe(`ALTER ROLE "ada" NOLOGIN`);
    expect(alterRoleSql("ada", { connectionLimit: -1, validUntil: "infinity" })).toBe(
      `ALTER ROLE "ada" CONNECTION LIMIT -1 VALID UNTIL 'infinity'`,
    );
    expect(alterRoleSql("ada", {})).toBeUndefined();
  });

  it("comments with an escaped literal", () => {
    expect(commentOnRoleSql('we"ird', `roster:{"owner":"o'k"}`)).toBe(
      `COMMENT ON ROLE "we""ird" IS 'roster:{"owner":"o''k"}'`,
    );
  });

  it("grants and revokes several roles at once, nothing for no roles", () => {
    expect(grantRolesSql(["r1", "R 2"], "ada")).toBe('GRANT "r1", "R 2" TO "ada"');
    expect(revokeRolesSql(["r1"], "ada")).toBe('REVOKE "r1" FROM "ada"');
    expect(grantRolesSql([], "ada")).toBeUndefined();
    expect(revokeRolesSql([], "ada")).toBeUndefined();
  });

  it("builds the delete statements with both names quoted", () => {
    expect(reassignOwnedSql("Ada", "heir")).toBe('REASSIGN OWNED BY "Ada" TO "heir"');
    expect(dropOwnedSql("Ada")).toBe('DROP OWNED BY "Ada"');
    expect(dropRoleSql("Ada")).toBe('DROP ROLE "Ada"');
  });

  it("joins statements into one script, skipping absent ones", () => {
    expect(script(["A", undefined, "B"])).toBe("A;\nB");
    expect(script([undefined])).toBe("");
  });
});

describe("values", () => {
  it.each([
    ["UTC with milliseconds", "2027-03-01T08:00:00.000Z", "2027-03-01T08:00:00Z"],
    ["an offset", "2027-03-01T09:30:00+01:30", "2027-03-01T08:00:00Z"],
    ["infinity, kept", "infinity", "infinity"],
  ])("normalises an instant given as %s", (_reason, value, normalised) => {
    expect(normaliseInstant(value)).toBe(normalised);
  });

  it("refuses an instant that does not parse", () => {
    expect(() => normaliseInstant("next tuesday'; DROP ROLE x")).toThrow(TerminalError);
  });

  it.each([
    ["5", 5],
    ["-1", -1],
    ["0", 0],
  ])("parses connection limit %s", (value, parsed) => {
    expect(parseConnectionLimit(value)).toBe(parsed);
  });

  it.each(["-2", "1.5", "ten", "5; DROP ROLE x", ""])("refuses connection limit %j", (value) => {
    expect(() => parseConnectionLimit(value)).toThrow(TerminalError);
  });
});
