/**
 * Ending the live sessions of disabled roles. NOLOGIN does not end an open session, so after it
 * has committed every backend of the roles is sent SIGTERM in one query (pg_terminate_backend
 * without a timeout: its own wait sleeps 100 ms per backend, one backend after the other), then
 * the connector polls until all of them are gone or TERMINATE_WAIT_MS has passed. A role whose
 * session outlives the wait fails with TransientError `SessionsStillActive`.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { TerminalError, TransientError } from "../../errors.js";
import type { OperationContext } from "./catalog.js";
import { sqlState } from "./errors.js";
import { LIVE_BACKENDS_SQL, TERMINATE_SESSIONS_SQL } from "./queries.js";
import type { Queryable } from "./session.js";

/** How long terminated backends get to exit. */
export const TERMINATE_WAIT_MS = 5_000;

/** Polling of the terminated backends: first after FIRST_POLL_MS, then doubling up to MAX_POLL_MS. */
const FIRST_POLL_MS = 2;
const MAX_POLL_MS = 100;

/** A session signalled: its role and backend pid. */
export interface Backend {
  name: string;
  pid: number;
}

/** Per role with a session among `alive` after the wait, a TransientError `SessionsStillActive`. */
export function stuckSessions(
  backends: readonly Backend[],
  alive: ReadonlySet<number>,
): Map<string, TransientError> {
  const byRole = new Map<string, { found: number; left: number }>();
  for (const { name, pid } of backends) {
    const counts = byRole.get(name) ?? { found: 0, left: 0 };
    counts.found += 1;
    if (alive.has(pid)) counts.left += 1;
    byRole.set(name, counts);
  }
  const failures = new Map<string, TransientError>();
  for (const [name, { found, left }] of byRole)
    if (left > 0)
      failures.set(
        name,
        new TransientError(
          "SessionsStillActive",
          `${left} of ${found} sessions of role ${JSON.stringify(name)} did not end within ${TERMINATE_WAIT_MS} ms`,
        ),
      );
  return failures;
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

/** Signals every backend of `usernames` but the caller's own; the backends signalled. */
async function signalBackends(client: Queryable, usernames: readonly string[]): Promise<Backend[]> {
  try {
    const { rows } = await client.query<Backend>(TERMINATE_SESSIONS_SQL, [[...usernames]]);
    return rows;
  } catch (err) {
    if (sqlState(err) !== "42501") throw err;
    throw terminationRefused(usernames, err);
  }
}

/** Waits until none of `pids` is a live backend, or the wait is over; the pids still alive. */
async function waitForExit(client: Queryable, pids: readonly number[]): Promise<Set<number>> {
  const deadline = Date.now() + TERMINATE_WAIT_MS;
  let alive = new Set(pids);
  let delay = FIRST_POLL_MS;
  while (alive.size > 0 && Date.now() < deadline) {
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
    delay = Math.min(delay * 2, MAX_POLL_MS);
    const { rows } = await client.query<{ pid: number }>(LIVE_BACKENDS_SQL, [[...alive]]);
    alive = new Set(rows.map((r) => r.pid));
  }
  return alive;
}

/**
 * Ends every live session of the roles in `usernames` (config.terminateSessions). Returns, per
 * role whose sessions did not all end, a TransientError `SessionsStillActive`; throws
 * TerminalError `PermissionDenied` when the server refuses to end a session.
 */
export async function terminateSessionsOf(
  ctx: OperationContext,
  client: Queryable,
  usernames: readonly string[],
): Promise<Map<string, TransientError>> {
  if (!ctx.config.terminateSessions || usernames.length === 0) return new Map();
  const backends = await signalBackends(client, usernames);
  if (backends.length === 0) return new Map();
  const alive = await waitForExit(
    client,
    backends.map((b) => b.pid),
  );
  const signalled = new Map<string, number>();
  for (const { name } of backends) signalled.set(name, (signalled.get(name) ?? 0) + 1);
  for (const [name, sessions] of signalled)
    ctx.logger?.info({ username: name, sessions }, "ended postgres sessions of a disabled role");
  return stuckSessions(backends, alive);
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
