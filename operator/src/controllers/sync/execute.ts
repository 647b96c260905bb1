import type { BatchOutcome, Connector } from "../../engine/connector.js";
import type { PlannedOperation } from "../../engine/plan.js";
import { isRosterError, withContext, type RosterError } from "../../errors.js";
import { chunked, mapConcurrently } from "../../runtime/batching.js";

/**
 * Runs planned operations against one target, in waves:
 * 1. the cut: the leading disable or delete of every account being revoked, all together, before
 *    anything else (a leaver loses access first; group clean-up follows);
 * 2. the rest of the revoking accounts' operations, then everyone else's, in rounds: round k holds
 *    the next operation of each account whose earlier ones succeeded, so one account's operations
 *    keep plan order (create before addRoles) while different accounts' run together.
 * A wave goes to the connector's applyBatch when it has one (at most one change per account per
 * batch, so it may coalesce: one group write for many members, one transaction for many roles),
 * otherwise through apply with at most `concurrency` in flight. A rate-limited target (throttle)
 * gets one operation per token, through apply. When an operation fails, the account's remaining
 * operations are skipped and reported as not done, so they are planned again on the retry.
 */
export interface OperationFailure {
  operation: PlannedOperation;
  error: RosterError;
}

export interface ExecutionReport {
  succeeded: PlannedOperation[];
  failed: OperationFailure[];
  /** Operations not attempted because an earlier one for the same account failed (or the pass was aborted). */
  skipped: PlannedOperation[];
}

export interface ExecuteOptions {
  concurrency: number;
  signal?: AbortSignal;
  /** Called after each attempted operation (audit log line, Event, metrics); `id` is the account's id after it. */
  onResult?: (
    operation: PlannedOperation,
    error: RosterError | undefined,
    durationMs: number,
    id: string | undefined,
  ) => void;
  /** Waits for a rate-limit token before each operation, when the target is rate limited. */
  throttle?: () => Promise<void>;
}

/** Changes handed to one applyBatch call at most. */
const BATCH_SIZE = 1000;

/** One account's operations and how far they got. */
interface AccountRun {
  operations: PlannedOperation[];
  next: number;
  stopped: boolean;
}

function accountOf(operation: PlannedOperation): string {
  const change = operation.change;
  return change.op === "create" ? change.account.username : change.username;
}

function accountRuns(operations: readonly PlannedOperation[]): AccountRun[] {
  const byAccount = new Map<string, PlannedOperation[]>();
  for (const operation of operations) {
    const key = accountOf(operation);
    byAccount.set(key, [...(byAccount.get(key) ?? []), operation]);
  }
  return [...byAccount.values()].map((ops) => ({ operations: ops, next: 0, stopped: false }));
}

const pending = (run: AccountRun): boolean => !run.stopped && run.next < run.operations.length;
const current = (run: AccountRun): PlannedOperation => run.operations[run.next] as PlannedOperation;
const isCut = (operation: PlannedOperation): boolean =>
  operation.change.op === "disable" || operation.change.op === "delete";

export async function executePlan(
  connector: Connector,
  operations: readonly PlannedOperation[],
  options: ExecuteOptions,
): Promise<ExecutionReport> {
  const report: ExecutionReport = { succeeded: [], failed: [], skipped: [] };
  const runs = accountRuns(operations);
  const revoking = runs.filter((r) => r.operations.some((o) => o.revocation));
  const others = runs.filter((r) => !r.operations.some((o) => o.revocation));
  const wave = (batch: AccountRun[]) => runWave(connector, batch, options, report);

  await wave(revoking.filter((r) => isCut(current(r))));
  for (const group of [revoking, others]) {
    for (let batch = group.filter(pending); batch.length > 0; batch = group.filter(pending)) {
      await wave(batch);
    }
  }
  return report;
}

/** Runs the current operation of each account, then advances it (or stops it after a failure). */
async function runWave(
  connector: Connector,
  runs: AccountRun[],
  options: ExecuteOptions,
  report: ExecutionReport,
): Promise<void> {
  const settleOne = (run: AccountRun, outcome: BatchOutcome, durationMs: number) => {
    const operation = current(run);
    run.next += 1;
    if (outcome.ok) {
      report.succeeded.push(operation);
      options.onResult?.(operation, undefined, durationMs, outcome.result.id);
      return;
    }
    report.failed.push({ operation, error: outcome.error });
    options.onResult?.(operation, outcome.error, durationMs, undefined);
    stop(run, report);
  };
  const batched = connector.applyBatch !== undefined && options.throttle === undefined;
  if (batched) {
    for (const chunk of chunked(runs, BATCH_SIZE)) {
      if (aborted(chunk, options, report)) return;
      const started = performance.now();
      const outcomes = await connector.applyBatch!(
        chunk.map((r) => current(r).change),
        { concurrency: options.concurrency },
      );
      const each = (performance.now() - started) / chunk.length;
      chunk.forEach((run, index) => settleOne(run, outcomes[index] ?? missingOutcome, each));
    }
    return;
  }
  await mapConcurrently(runs, options.concurrency, async (run) => {
    if (aborted([run], options, report)) return;
    await options.throttle?.();
    const started = performance.now();
    const outcome = await applyOne(connector, current(run));
    settleOne(run, outcome, performance.now() - started);
  });
}

const missingOutcome: BatchOutcome = {
  ok: false,
  error: withContext("batch apply", new Error("no outcome returned")),
};

async function applyOne(connector: Connector, operation: PlannedOperation): Promise<BatchOutcome> {
  try {
    return { ok: true, result: await connector.apply(operation.change) };
  } catch (err) {
    const error = isRosterError(err) ? err : withContext(`${operation.change.op} failed`, err);
    return { ok: false, error };
  }
}

/** Skips the account's operations not yet run. */
function stop(run: AccountRun, report: ExecutionReport): void {
  report.skipped.push(...run.operations.slice(run.next));
  run.next = run.operations.length;
  run.stopped = true;
}

/** When the pass is aborted, skips every remaining operation of `runs` and says so. */
function aborted(runs: AccountRun[], options: ExecuteOptions, report: ExecutionReport): boolean {
  if (!options.signal?.aborted) return false;
  for (const run of runs) stop(run, report);
  return true;
}
