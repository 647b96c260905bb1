/**
 * Batched apply, the connector's optional `applyBatch` (engine/connector.ts): changes of many
 * accounts written with few round trips, each change's outcome exactly what `apply` gives.
 *
 * - create: chunks of CREATE_CHUNK_SIZE accounts, each chunk one script (one implicit transaction),
 *   chunks in parallel up to the batch's concurrency (and the pool); a chunk the server refuses is
 *   retried change by change through `apply`, which settles each case (exists, missing role...).
 * - disable / enable: bulk-login.ts; addRoles / removeRoles: bulk-roles.ts.
 * - update, delete, adopt: through `apply`, at most the batch's concurrency at once.
 */
import type { AccountChange, BatchOptions, BatchOutcome, DesiredAccount } from "../../engine/connector.js";
import { dispatchBatch, settleEach, type Apply } from "../shared/batch.js";
import { createAccountStatements } from "./accounts.js";
import { runBulk } from "./bulk.js";
import { disableHandler, enableHandler } from "./bulk-login.js";
import { membershipHandler } from "./bulk-roles.js";
import type { OperationContext } from "./catalog.js";
import { script } from "./sql.js";
import { chunked, mapConcurrently } from "../../runtime/batching.js";

export type { BatchOutcome };

/** Creates per transaction: large enough to amortise round trips, small enough to retry cheaply. */
export const CREATE_CHUNK_SIZE = 100;

type CreateChange = Extract<AccountChange, { op: "create" }>;

/** One chunk of creates as one script; statements (and SCRAM verifiers) built before taking a client. */
async function createChunk(
  ctx: OperationContext,
  apply: Apply,
  chunk: CreateChange[],
): Promise<BatchOutcome[]> {
  const accounts: DesiredAccount[] = chunk.map((c) => c.account);
  let statements: string[];
  try {
    statements = (await Promise.all(accounts.map((a) => createAccountStatements(ctx.config, a)))).flat();
  } catch {
    return settleEach(apply, chunk, 1);
  }
  return runBulk(ctx, apply, "create", chunk, { concurrency: 1 }, async (client) => {
    await client.query(script(statements));
    return accounts.map((a) => ({ ok: true, result: { id: a.username } }));
  });
}

/** Runs chunks of creates with at most `parallel` in flight; outcomes keep the input order. */
async function createAll(
  ctx: OperationContext,
  apply: Apply,
  changes: CreateChange[],
  options: BatchOptions,
): Promise<BatchOutcome[]> {
  const parallel = Math.min(options.concurrency, ctx.config.poolSize);
  const results = await mapConcurrently(chunked(changes, CREATE_CHUNK_SIZE), parallel, (chunk) =>
    createChunk(ctx, apply, chunk),
  );
  return results.flat();
}

/** Applies changes of distinct accounts; one outcome per change, in input order; never rejects. */
export function applyBatch(
  ctx: OperationContext,
  apply: Apply,
  changes: readonly AccountChange[],
  options: BatchOptions,
): Promise<BatchOutcome[]> {
  return dispatchBatch(changes, options, apply, {
    // dispatchBatch hands each handler only changes of its own operation.
    create: (creates, opts) => createAll(ctx, apply, creates as CreateChange[], opts),
    disable: disableHandler(ctx, apply),
    enable: enableHandler(ctx, apply),
    addRoles: membershipHandler(ctx, apply, "addRoles"),
    removeRoles: membershipHandler(ctx, apply, "removeRoles"),
  });
}
