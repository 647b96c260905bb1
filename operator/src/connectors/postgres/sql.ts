/**
 * Pure SQL building for the PostgreSQL connector: role DDL statements from plain values.
 *
 * Role DDL (CREATE/ALTER/GRANT/COMMENT...) is a utility statement that takes no bind parameters, so
 * every identifier goes through the driver's `escapeIdentifier` and every value through
 * `escapeLiteral`; nothing is concatenated unescaped. Role names are validated first: PostgreSQL
 * silently truncates identifiers longer than 63 bytes, which would make Roster create, and later
 * fail to find, a different role; such names are refused with a TerminalError instead.
 */
import pg from "pg";
import { TerminalError } from "../../errors.js";

/** NAMEDATALEN - 1: the longest identifier PostgreSQL keeps, in bytes of the server encoding (UTF-8). */
export const MAX_IDENTIFIER_BYTES = 63;

/** Names PostgreSQL refuses as role names ("role name ... is reserved"). */
const RESERVED_ROLE_NAMES = new Set(["public", "none"]);

function invalidName(name: string, why: string): TerminalError {
  return new TerminalError(
    "InvalidRoleName",
    `role name ${JSON.stringify(name)} cannot be used in PostgreSQL: ${why}`,
  );
}

/** Throws TerminalError `InvalidRoleName` unless PostgreSQL stores `name` unchanged as an identifier. */
export function validateRoleName(name: string): void {
  if (name.length === 0) throw invalidName(name, "it is empty");
  if (name.includes("\0")) throw invalidName(name, "it contains a NUL character");
  const bytes = Buffer.byteLength(name, "utf8");
  if (bytes > MAX_IDENTIFIER_BYTES)
    throw invalidName(
      name,
      `it is ${bytes} bytes long in UTF-8 and the limit is ${MAX_IDENTIFIER_BYTES} bytes`,
    );
}

/** As validateRoleName, and also refuses names PostgreSQL reserves for roles it creates itself. */
export function validateNewRoleName(name: string): void {
  validateRoleName(name);
  if (name.startsWith("pg_")) throw invalidName(name, 'the "pg_" prefix is reserved for system roles');
  if (RESERVED_ROLE_NAMES.has(name)) throw invalidName(name, "the name is reserved");
}

/** A validated, quoted role identifier, safe to splice into a statement (system roles allowed). */
export function quoteRole(name: string): string {
  validateRoleName(name);
  return pg.escapeIdentifier(name);
}

/** A quoted string literal (pg prefixes ` E` when the value holds a backslash; the space is dropped). */
export function quoteLiteral(value: string): string {
  return pg.escapeLiteral(value).trimStart();
}

/** Normalises an RFC 3339 instant to `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds), or keeps `infinity`. */
export function normaliseInstant(value: string): string {
  if (value === "infinity") return value;
  const millis = Date.parse(value);
  if (Number.isNaN(millis))
    throw new TerminalError(
      "InvalidValidUntil",
      `validUntil ${JSON.stringify(value)} is not an RFC 3339 instant`,
    );
  return new Date(millis).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Parses a connection limit attribute (integer string, -1 for none). */
export function parseConnectionLimit(value: string): number {
  if (!/^-?\d{1,9}$/.test(value) || Number(value) < -1)
    throw new TerminalError(
      "InvalidAttribute",
      `connectionLimit ${JSON.stringify(value)} must be an integer of -1 (no limit) or more`,
    );
  return Number(value);
}

/** Role properties Roster sets; `undefined` leaves a property as it is. */
export interface RoleOptions {
  login?: boolean;
  /** A SCRAM verifier (preferred: the server never sees the password) or a plaintext password. */
  password?: string;
  connectionLimit?: number;
  /** RFC 3339 or `infinity` (no expiry). */
  validUntil?: string;
}

function roleOptionsSql(options: RoleOptions): string {
  const parts: string[] = [];
  if (options.login !== undefined) parts.push(options.login ? "LOGIN" : "NOLOGIN");
  if (options.password !== undefined) parts.push(`PASSWORD ${quoteLiteral(options.password)}`);
  if (options.connectionLimit !== undefined)
    parts.push(`CONNECTION LIMIT ${Math.trunc(options.connectionLimit)}`);
  if (options.validUntil !== undefined)
    parts.push(`VALID UNTIL ${quoteLiteral(normaliseInstant(options.validUntil))}`);
  return parts.join(" ");
}

export function createRoleSql(name: string, options: RoleOptions): string {
  validateNewRoleName(name);
  const rest = roleOptionsSql(options);
  return `CREATE ROLE ${quoteRole(name)}${rest ? ` ${rest}` : ""}`;
}

/** ALTER ROLE with the given properties, or undefined when there is nothing to change. */
export function alterRoleSql(name: string, options: RoleOptions): string | undefined {
  const rest = roleOptionsSql(options);
  return rest ? `ALTER ROLE ${quoteRole(name)} ${rest}` : undefined;
}

export function commentOnRoleSql(name: string, comment: string): string {
  return `COMMENT ON ROLE ${quoteRole(name)} IS ${quoteLiteral(comment)}`;
}

/** The members of a GRANT / REVOKE, quoted, or undefined for none. */
function memberList(members: string | readonly string[]): string | undefined {
  const list = typeof members === "string" ? [members] : members;
  return list.length === 0 ? undefined : list.map(quoteRole).join(", ");
}

/** GRANT of several roles to one or more members, or undefined for no roles or no members. */
export function grantRolesSql(
  roles: readonly string[],
  members: string | readonly string[],
): string | undefined {
  const list = roles.length === 0 ? undefined : memberList(members);
  if (list === undefined) return undefined;
  return `GRANT ${roles.map(quoteRole).join(", ")} TO ${list}`;
}

/** REVOKE of several roles from one or more members, or undefined for no roles or no members. */
export function revokeRolesSql(
  roles: readonly string[],
  members: string | readonly string[],
): string | undefined {
  const list = roles.length === 0 ? undefined : memberList(members);
  if (list === undefined) return undefined;
  return `REVOKE ${roles.map(quoteRole).join(", ")} FROM ${list}`;
}

/** A role that only carries privileges (a "group"): NOLOGIN. */
export function createGroupRoleSql(name: string): string {
  return createRoleSql(name, { login: false });
}

export function reassignOwnedSql(role: string, to: string): string {
  return `REASSIGN OWNED BY ${quoteRole(role)} TO ${quoteRole(to)}`;
}

export function dropOwnedSql(role: string): string {
  return `DROP OWNED BY ${quoteRole(role)}`;
}

export function dropRoleSql(role: string): string {
  return `DROP ROLE ${quoteRole(role)}`;
}

/** Joins statements for one simple-protocol query, which PostgreSQL runs as one implicit transaction. */
export function script(statements: ReadonlyArray<string | undefined>): string {
  return statements.filter((s): s is string => s !== undefined).join(";\n");
}
