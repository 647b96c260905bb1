/**
 * The leaver path: disable (NOLOGIN, then end live sessions) and delete (disable, deal with owned
 * objects in every database, DROP ROLE). Revocation must be real for someone already connected:
 * NOLOGIN alone does not end an open session, so sessions are terminated (terminate.ts) after the
 * NOLOGIN has committed (no new login can race in); a session that does not go away is a
 * TransientError.
 */
import type { ApplyResult } from "../../engine/connector.js";
import { TerminalError } from "../../errors.js";
import { changedProperties, type RoleRow } from "./attributes.js";
import { readOwnedRole, type OperationContext } from "./catalog.js";
import type { OwnedObjectsPolicy } from "./config.js";
import { sqlState } from "./errors.js";
import { ROLE_DEPENDENCIES_SQL } from "./queries.js";
import { terminateSessions } from "./terminate.js";
import type { Queryable } from "./session.js";
import { alterRoleSql, dropOwnedSql, dropRoleSql, reassignOwnedSql, script } from "./sql.js";

/** What REASSIGN OWNED / DROP OWNED need from the admin role, named when they are refused. */
export const CLEANUP_PRIVILEGE = "membership in the deleted role and in the reassign target (or superuser)";

async function revokeLogin(ctx: OperationContext, client: Queryable, row: RoleRow): Promise<void> {
  const alter = alterRoleSql(row.name, changedProperties(row, { login: false }));
  if (alter) await client.query(alter);
  await terminateSessions(ctx, client, row.name);
}

export async function disableAccount(
  ctx: OperationContext,
  client: Queryable,
  username: string,
): Promise<ApplyResult> {
  const row = await readOwnedRole(client, username, "disable");
  if (!row) return { id: undefined };
  await revokeLogin(ctx, client, row);
  return { id: row.name };
}

interface Dependencies {
  /** null: shared objects (databases, tablespaces), handled from any database. */
  database: string | null;
  allow_connections: boolean | null;
  owns: number;
  total: number;
}

function refuseOwnedObjects(username: string, deps: readonly Dependencies[]): void {
  const owning = deps.filter((d) => d.owns > 0);
  if (owning.length === 0) return;
  const total = owning.reduce((sum, d) => sum + d.owns, 0);
  const where = owning.map(
    (d) => `${d.database === null ? "shared objects" : `database ${JSON.stringify(d.database)}`}: ${d.owns}`,
  );
  throw new TerminalError(
    "OwnsObjects",
    `role ${JSON.stringify(username)} owns ${total} objects (${where.join(", ")}) and the Target's ownedObjects ` +
      "policy is refuse: reassign or drop them, or set ownedObjects.policy to reassign",
  );
}

/** The databases to run REASSIGN / DROP OWNED in: each with dependencies, and `home` for shared ones. */
export function databasesToClean(home: string, username: string, deps: readonly Dependencies[]): string[] {
  const databases = new Set<string>();
  for (const dep of deps) {
    if (dep.database === null) databases.add(home);
    else if (dep.allow_connections === false)
      throw new TerminalError(
        "OwnsObjects",
        `role ${JSON.stringify(username)} has objects in database ${JSON.stringify(dep.database)}, which accepts no connections`,
      );
    else databases.add(dep.database);
  }
  return [...databases].sort();
}

function cleanupScript(policy: OwnedObjectsPolicy, username: string): string {
  return script([
    policy.policy === "reassign" ? reassignOwnedSql(username, policy.to) : undefined,
    dropOwnedSql(username),
  ]);
}

/**
 * Deletes a role: NOLOGIN and sessions ended first, then owned objects reassigned (or the delete
 * refused) and privileges dropped in every database concerned, then DROP ROLE. Gone already is fine.
 */
export async function deleteAccount(
  ctx: OperationContext,
  client: Queryable,
  username: string,
): Promise<ApplyResult> {
  const row = await readOwnedRole(client, username, "delete");
  if (!row) return { id: undefined };
  await revokeLogin(ctx, client, row);
  const { rows: deps } = await client.query<Dependencies>(ROLE_DEPENDENCIES_SQL, [username]);
  if (ctx.config.ownedObjects.policy === "refuse") refuseOwnedObjects(username, deps);
  const cleanup = cleanupScript(ctx.config.ownedObjects, username);
  for (const database of databasesToClean(ctx.config.database, username, deps)) {
    if (database === ctx.config.database) await client.query(cleanup);
    else
      await ctx.session.runIn(
        database,
        `postgres cleanup of role ${JSON.stringify(username)}`,
        (other) => other.query(cleanup),
        { privilege: CLEANUP_PRIVILEGE },
      );
  }
  try {
    await client.query(dropRoleSql(username));
  } catch (err) {
    if (sqlState(err) !== "42704") throw err;
  }
  return { id: undefined };
}
