/**
 * The frame of every bulk write of the batch paths: do the work of many changes on one pooled
 * client, then settle through the ordinary `apply` whatever the bulk work left undecided. When the
 * server refuses the bulk work (a statement of the script fails), every change is retried on its
 * own, so each gets exactly the outcome `apply` gives it; when the server cannot be reached, the
 * whole batch fails with that error instead of repeating it once per change.
 */
import type { AccountChange, AccountOperation, BatchOptions, BatchOutcome } from "../../engine/connector.js";
import { withContext, type RosterError } from "../../errors.js";
import { asRosterError, settleEach, type Apply } from "../shared/batch.js";
import type { OperationContext } from "./catalog.js";
import { changeContext, PRIVILEGES } from "./operations.js";
import type { Queryable } from "./session.js";

/** A change's outcome as decided by bulk work, or undefined: to be settled through `apply`. */
export type Pending = BatchOutcome | undefined;

/** Reasons meaning the server is out of reach: retrying change by change would only repeat them. */
const UNREACHABLE = new Set([
  "ConnectionFailed",
  "ServerShuttingDown",
  "ServerUnavailable",
  "TooManyConnections",
  "OperatorIntervention",
]);

/** An error of one change, worded as `apply` words it (`postgres disable of role "x" failed: ...`). */
export function inContext(op: AccountOperation, username: string, error: RosterError): RosterError {
  return withContext(changeContext(op, username), error);
}

/** The failure of one change, as `apply` would report it. */
export function failed(op: AccountOperation, username: string, error: RosterError): BatchOutcome {
  return { ok: false, error: inContext(op, username, error) };
}

/**
 * Runs `work` for `changes` (all of operation `op`) on one pooled client, then settles each change
 * it left undefined through `apply`, at most `options.concurrency` at once. Outcomes in input
 * order; rejects only when the server is unreachable (dispatchBatch fails the changes with it).
 */
export async function runBulk(
  ctx: OperationContext,
  apply: Apply,
  op: AccountOperation,
  changes: readonly AccountChange[],
  options: BatchOptions,
  work: (client: Queryable) => Promise<Pending[]>,
): Promise<BatchOutcome[]> {
  let pending: Pending[];
  try {
    pending = await ctx.session.run(`postgres batch ${op} failed`, work, { privilege: PRIVILEGES[op] });
  } catch (err) {
    const error = asRosterError(err);
    if (error.kind === "Transient" && UNREACHABLE.has(error.reason)) throw error;
    ctx.logger?.debug(
      { err: error.message, op, size: changes.length },
      "postgres batch fell back to single changes",
    );
    pending = changes.map(() => undefined);
  }
  const left = changes.filter((_, i) => pending[i] === undefined);
  const settled = await settleEach(apply, left, options.concurrency);
  let next = 0;
  return pending.map((outcome) => outcome ?? (settled[next++] as BatchOutcome));
}
