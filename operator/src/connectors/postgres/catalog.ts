/**
 * Reads the connector needs before it writes: one role, its memberships, which roles exist, and
 * the guard that refuses to touch a role without Roster's marker.
 */
import type { Logger } from "pino";
import { ConflictError, RosterError, TerminalError } from "../../errors.js";
import type { RoleRow } from "./attributes.js";
import type { PostgresConnectorConfig } from "./config.js";
import { sqlState } from "./errors.js";
import { parseRoleComment } from "./marker.js";
import {
  EXISTING_ROLES_SQL,
  LIST_ROLES_SQL,
  MEMBERSHIPS_SQL,
  toRoleRow,
  type RawRoleRow,
} from "./queries.js";
import type { PostgresSession, Queryable } from "./session.js";
import { createGroupRoleSql } from "./sql.js";

/** What every operation gets: the resolved configuration, the transport and a logger. */
export interface OperationContext {
  config: PostgresConnectorConfig;
  session: PostgresSession;
  logger?: Logger;
}

/** The roles named in `names` that exist, by name (one query, whether in scope or not). */
export async function readRoles(client: Queryable, names: readonly string[]): Promise<Map<string, RoleRow>> {
  if (names.length === 0) return new Map();
  const { rows } = await client.query<RawRoleRow>(LIST_ROLES_SQL, [[...names], null]);
  return new Map(rows.map((raw) => [raw.name, toRoleRow(raw)]));
}

export async function readRole(client: Queryable, name: string): Promise<RoleRow | undefined> {
  return (await readRoles(client, [name])).get(name);
}

function notOwned(name: string, action: string): ConflictError {
  return new ConflictError(
    "NotOwned",
    `role ${JSON.stringify(name)} carries no Roster marker in its comment, so Roster does not ${action} it`,
  );
}

function notFound(name: string, action: string): TerminalError {
  return new TerminalError(
    "AccountNotFound",
    `role ${JSON.stringify(name)} does not exist, so Roster cannot ${action} it`,
  );
}

/** What a write to a role may do: `skip` a missing role (no error), or `refuse` it (AccountNotFound). */
export type MissingRole = "skip" | "refuse";

/** The ownership guard for one role read from the catalog: the row, an error, or nothing to do. */
function guard(
  name: string,
  row: RoleRow | undefined,
  action: string,
  missing: MissingRole,
): RoleRow | RosterError | undefined {
  if (!row) return missing === "refuse" ? notFound(name, action) : undefined;
  return parseRoleComment(row.comment).owner === undefined ? notOwned(name, action) : row;
}

/** The role, when it exists and carries Roster's marker; ConflictError when it is someone else's. */
export async function readOwnedRole(
  client: Queryable,
  name: string,
  action: string,
): Promise<RoleRow | undefined> {
  const checked = guard(name, await readRole(client, name), action, "skip");
  if (checked instanceof RosterError) throw checked;
  return checked;
}

/** As readOwnedRole, but a missing role is an error (TerminalError `AccountNotFound`). */
export async function requireOwnedRole(client: Queryable, name: string, action: string): Promise<RoleRow> {
  const checked = guard(name, await readRole(client, name), action, "refuse");
  if (checked instanceof RosterError || checked === undefined) throw checked ?? notFound(name, action);
  return checked;
}

/** The ownership guard applied to many roles with one catalog read. */
export interface OwnedRoles {
  /** Roles that exist and carry Roster's marker, by name. */
  owned: Map<string, RoleRow>;
  /** Names Roster may not write, with the error the single-role guard gives. */
  refused: Map<string, RosterError>;
}

/**
 * Reads the roles named in `names` and applies the guard of readOwnedRole (`missing: "skip"`) or
 * requireOwnedRole (`missing: "refuse"`) to each; a skipped missing role is in neither map.
 */
export async function readOwnedRoles(
  client: Queryable,
  names: readonly string[],
  action: string,
  missing: MissingRole,
): Promise<OwnedRoles> {
  const rows = await readRoles(client, names);
  const result: OwnedRoles = { owned: new Map(), refused: new Map() };
  for (const name of names) {
    const checked = guard(name, rows.get(name), action, missing);
    if (checked instanceof RosterError) result.refused.set(name, checked);
    else if (checked) result.owned.set(name, checked);
  }
  return result;
}

export interface Membership {
  role: string;
  /** Granted by the connector's login role (Roster's), as opposed to someone else. */
  ours: boolean;
}

/** Every membership (any grantor) of each role named in `members`; a role with none is absent. */
export async function membershipsOf(
  client: Queryable,
  members: readonly string[],
): Promise<Map<string, Membership[]>> {
  const byMember = new Map<string, Membership[]>();
  if (members.length === 0) return byMember;
  const { rows } = await client.query<Membership & { member: string }>(MEMBERSHIPS_SQL, [[...members]]);
  for (const { member, role, ours } of rows) {
    const list = byMember.get(member) ?? [];
    list.push({ role, ours });
    byMember.set(member, list);
  }
  return byMember;
}

export async function memberships(client: Queryable, member: string): Promise<Membership[]> {
  return (await membershipsOf(client, [member])).get(member) ?? [];
}

async function missingRoles(client: Queryable, roles: readonly string[]): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(EXISTING_ROLES_SQL, [[...roles]]);
  const existing = new Set(rows.map((r) => r.name));
  return roles.filter((role) => !existing.has(role));
}

/** Creates group roles (NOLOGIN) that do not exist yet; a concurrent creation is fine. */
async function createGroupRoles(client: Queryable, roles: readonly string[]): Promise<void> {
  for (const role of roles) {
    try {
      await client.query(createGroupRoleSql(role));
    } catch (err) {
      if (sqlState(err) !== "42710") throw err;
    }
  }
}

/**
 * Runs `write`, which grants `roles`. When it fails because a granted role does not exist
 * (42704), the missing roles are created (config.createRoles) and `write` runs once more, or the
 * failure becomes a TerminalError `RoleNotFound` naming them.
 */
export async function withGrantedRoles<T>(
  ctx: OperationContext,
  client: Queryable,
  roles: readonly string[],
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (sqlState(err) !== "42704" || roles.length === 0) throw err;
    const missing = await missingRoles(client, roles);
    if (missing.length === 0) throw err;
    if (!ctx.config.createRoles)
      throw new TerminalError(
        "RoleNotFound",
        `granted roles do not exist: ${missing.map((r) => JSON.stringify(r)).join(", ")} ` +
          "(create them, or let the Target create them with createRoles)",
        { cause: err },
      );
    await createGroupRoles(client, missing);
    ctx.logger?.info({ roles: missing }, "created missing postgres group roles");
    return write();
  }
}
