/**
 * The leaver path: disable (NOLOGIN, then end live sessions) and delete (disable, deal with owned
 * objects in every database, DROP ROLE). Revocation must be real for someone already connected:
 * NOLOGIN alone does not end an open session, so sessions are terminated after the NOLOGIN has
 * committed (no new login can race in), and a session that does not go away is a TransientError.
 */
import type { ApplyResult } from "../../engine/connector.js";
import { TerminalError, TransientError } from "../../errors.js";
import { changedProperties, type RoleRow } from "./attributes.js";
import { readOwnedRole, type OperationContext } from "./catalog.js";
import type { OwnedObjectsPolicy } from "./config.js";
import { sqlState } from "./errors.js";
import { ROLE_DEPENDENCIES_SQL, TERMINATE_SESSIONS_SQL } from "./queries.js";
import type { Queryable } from "./session.js";
import { alterRoleSql, dropOwnedSql, dropRoleSql, reassignOwnedSql, script } from "./sql.js";

/** What REASSIGN OWNED / DROP OWNED need from the admin role, named when they are refused. */
export const CLEANUP_PRIVILEGE = "membership in the deleted role and in the reassign target (or superuser)";

/** How long pg_terminate_backend waits for each backend to exit. */
const TERMINATE_WAIT_MS = 5_000;

interface SessionCounts {
  name: string;
  found: number;
  ended: number;
}

function terminationRefused(usernames: readonly string[], err: unknown): TerminalError {
  const reason = err instanceof Error ? err.message : String(err);
  const whose = usernames.length === 1 ? `role ${JSON.stringify(usernames[0])}` : `${usernames.length} roles`;
  return new TerminalError(
    "PermissionDenied",
    `ending the sessions of ${whose} was refused: ${reason} ` +
      "(the admin role needs membership in pg_signal_backend, or superuser for superuser sessions)",
    { cause: err },
  );
}

/**
 * Ends every live session of the roles in `usernames` with one query (config.terminateSessions).
 * Returns, per role whose sessions did not all end, a TransientError `SessionsStillActive`;
 * throws TerminalError `PermissionDenied` when the server refuses to end a session.
 */
export async function terminateSessionsOf(
  ctx: OperationContext,
  client: Queryable,
  usernames: readonly string[],
): Promise<Map<string, TransientError>> {
  const failures = new Map<string, TransientError>();
  if (!ctx.config.terminateSessions || usernames.length === 0) return failures;
  let rows: SessionCounts[];
  try {
    ({ rows } = await client.query<SessionCounts>(TERMINATE_SESSIONS_SQL, [
      [...usernames],
      TERMINATE_WAIT_MS,
    ]));
  } catch (err) {
    if (sqlState(err) !== "42501") throw err;
    throw terminationRefused(usernames, err);
  }
  for (const { name, found, ended } of rows) {
    ctx.logger?.info({ username: name, sessions: ended }, "ended postgres sessions of a disabled role");
    if (ended < found)
      failures.set(
        name,
        new TransientError(
          "SessionsStillActive",
          `${found - ended} of ${found} sessions of role ${JSON.stringify(name)} did not end within ${TERMINATE_WAIT_MS} ms`,
        ),
      );
  }
  return failures;
}

/** Ends every live session of `username` (config.terminateSessions). */
export async function terminateSessions(
  ctx: OperationContext,
  client: Queryable,
  username: string,
): Promise<void> {
  const failure = (await terminateSessionsOf(ctx, client, [username])).get(username);
  if (failure) throw failure;
}

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
