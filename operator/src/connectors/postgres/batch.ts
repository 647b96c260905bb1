/**
 * Batched apply, an optional extension of the connector contract for full syncs and bulk joins.
 *
 * Runs of consecutive `create` changes are cut into chunks; each chunk is one script (one implicit
 * transaction, one round trip) and chunks run in parallel on the pool. A chunk that fails as a
 * whole (a role that already exists, a missing granted role, an outage) is retried change by change
 * through the ordinary `apply`, which knows how to settle each of those cases, so the outcome of
 * every change is exactly what `apply` alone would give. Other changes run one by one, in order.
 */
import type { AccountChange, ApplyResult, BatchOutcome, DesiredAccount } from "../../engine/connector.js";
import { TransientError, isRosterError } from "../../errors.js";
import { createAccountStatements } from "./accounts.js";
import type { OperationContext } from "./catalog.js";
import { script } from "./sql.js";

export type { BatchOutcome };

/** Creates per transaction: large enough to amortise round trips, small enough to retry cheaply. */
export const CREATE_CHUNK_SIZE = 100;

type Apply = (change: AccountChange) => Promise<ApplyResult>;

async function settle(apply: Apply, change: AccountChange): Promise<BatchOutcome> {
  try {
    return { ok: true, result: await apply(change) };
  } catch (err) {
    const error = isRosterError(err) ? err : new TransientError("Unexpected", String(err), { cause: err });
    return { ok: false, error };
  }
}

async function createChunk(
  ctx: OperationContext,
  apply: Apply,
  accounts: DesiredAccount[],
): Promise<BatchOutcome[]> {
  try {
    const statements = (
      await Promise.all(accounts.map((a) => createAccountStatements(ctx.config, a)))
    ).flat();
    await ctx.session.run("postgres batch create failed", (client) => client.query(script(statements)));
    return accounts.map((a) => ({ ok: true, result: { id: a.username } }));
  } catch (err) {
    ctx.logger?.debug(
      { err: (err as Error).message, size: accounts.length },
      "batch create fell back to single creates",
    );
    const outcomes: BatchOutcome[] = [];
    for (const account of accounts) outcomes.push(await settle(apply, { op: "create", account }));
    return outcomes;
  }
}

/** Runs chunks of creates with at most `parallel` in flight; outcomes keep the input order. */
async function createRun(
  ctx: OperationContext,
  apply: Apply,
  accounts: DesiredAccount[],
  parallel: number,
): Promise<BatchOutcome[]> {
  const chunks: DesiredAccount[][] = [];
  for (let i = 0; i < accounts.length; i += CREATE_CHUNK_SIZE)
    chunks.push(accounts.slice(i, i + CREATE_CHUNK_SIZE));
  const results: BatchOutcome[][] = new Array<BatchOutcome[]>(chunks.length);
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const index = next++;
      results[index] = await createChunk(ctx, apply, chunks[index] ?? []);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, chunks.length) }, worker));
  return results.flat();
}

/** Applies `changes` in order (creates batched) and reports one outcome per change; never throws. */
export async function applyBatch(
  ctx: OperationContext,
  apply: Apply,
  changes: readonly AccountChange[],
): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = [];
  let i = 0;
  while (i < changes.length) {
    const creates: DesiredAccount[] = [];
    for (let change = changes[i]; change?.op === "create"; change = changes[++i])
      creates.push(change.account);
    if (creates.length > 0) outcomes.push(...(await createRun(ctx, apply, creates, ctx.config.poolSize)));
    const other = changes[i];
    if (other && other.op !== "create") {
      outcomes.push(await settle(apply, other));
      i += 1;
    }
  }
  return outcomes;
}
