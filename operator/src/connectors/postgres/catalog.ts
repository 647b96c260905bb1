/**
 * Reads the connector needs before it writes: one role, its memberships, which roles exist, and
 * the guard that refuses to touch a role without Roster's marker.
 */
import type { Logger } from "pino";
import { ConflictError, TerminalError } from "../../errors.js";
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

export async function readRole(client: Queryable, name: string): Promise<RoleRow | undefined> {
  const { rows } = await client.query<RawRoleRow>(LIST_ROLES_SQL, [name, null]);
  return rows[0] ? toRoleRow(rows[0]) : undefined;
}

function notOwned(name: string, action: string): ConflictError {
  return new ConflictError(
    "NotOwned",
    `role ${JSON.stringify(name)} carries no Roster marker in its comment, so Roster does not ${action} it`,
  );
}

/** The role, when it exists and carries Roster's marker; ConflictError when it is someone else's. */
export async function readOwnedRole(
  client: Queryable,
  name: string,
  action: string,
): Promise<RoleRow | undefined> {
  const row = await readRole(client, name);
  if (row && parseRoleComment(row.comment).owner === undefined) throw notOwned(name, action);
  return row;
}

/** As readOwnedRole, but a missing role is an error (TerminalError `AccountNotFound`). */
export async function requireOwnedRole(client: Queryable, name: string, action: string): Promise<RoleRow> {
  const row = await readOwnedRole(client, name, action);
  if (!row)
    throw new TerminalError(
      "AccountNotFound",
      `role ${JSON.stringify(name)} does not exist, so Roster cannot ${action} it`,
    );
  return row;
}

export interface Membership {
  role: string;
  /** Granted by the connector's login role (Roster's), as opposed to someone else. */
  ours: boolean;
}

export async function memberships(client: Queryable, member: string): Promise<Membership[]> {
  const { rows } = await client.query<Membership>(MEMBERSHIPS_SQL, [member]);
  return rows;
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
