import type { Connector } from "../../engine/connector.js";
import type { PlannedOperation } from "../../engine/plan.js";
import { isRosterError, withContext, type RosterError } from "../../errors.js";

/**
 * Runs planned operations against one target. Operations for the same account run in plan order
 * (create before addRoles); different accounts run concurrently up to `concurrency`, accounts with
 * revocations first. When an operation fails, the account's remaining operations are skipped and
 * reported as not done, so they are planned again on the retry.
 */
export interface OperationFailure {
  operation: PlannedOperation;
  error: RosterError;
}

export interface ExecutionReport {
  succeeded: PlannedOperation[];
  failed: OperationFailure[];
  /** Operations not attempted because an earlier one for the same account failed. */
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

function groupByAccount(operations: readonly PlannedOperation[]): PlannedOperation[][] {
  const groups = new Map<string, PlannedOperation[]>();
  for (const operation of operations) {
    const key =
      operation.change.op === "create" ? operation.change.account.username : operation.change.username;
    const group = groups.get(key) ?? [];
    group.push(operation);
    groups.set(key, group);
  }
  const all = [...groups.values()];
  return [
    ...all.filter((g) => g.some((o) => o.revocation)),
    ...all.filter((g) => !g.some((o) => o.revocation)),
  ];
}

/** Creates sent to a connector's applyBatch at once. */
const BATCH_SIZE = 500;

/** An account whose only operation is a create: can go through the connector's batch path. */
function isLoneCreate(group: PlannedOperation[]): boolean {
  return group.length === 1 && group[0]?.change.op === "create";
}

export async function executePlan(
  connector: Connector,
  operations: readonly PlannedOperation[],
  options: ExecuteOptions,
): Promise<ExecutionReport> {
  const report: ExecutionReport = { succeeded: [], failed: [], skipped: [] };
  const groups = groupByAccount(operations);
  if (!connector.applyBatch) {
    await runGroups(connector, groups, options, report);
    return report;
  }
  // Revocations first, then bulk creates in batches, then everything else.
  const revoking = groups.filter((g) => g.some((o) => o.revocation));
  const creates = groups.filter((g) => !g.some((o) => o.revocation) && isLoneCreate(g)).flat();
  const rest = groups.filter((g) => !g.some((o) => o.revocation) && !isLoneCreate(g));
  await runGroups(connector, revoking, options, report);
  for (let i = 0; i < creates.length && !options.signal?.aborted; i += BATCH_SIZE) {
    await runBatch(connector, creates.slice(i, i + BATCH_SIZE), options, report);
  }
  await runGroups(connector, rest, options, report);
  return report;
}

async function runBatch(
  connector: Connector,
  batch: PlannedOperation[],
  options: ExecuteOptions,
  report: ExecutionReport,
): Promise<void> {
  const started = performance.now();
  const outcomes = await (connector.applyBatch as NonNullable<Connector["applyBatch"]>)(
    batch.map((o) => o.change),
    { concurrency: options.concurrency },
  );
  const each = (performance.now() - started) / Math.max(1, batch.length);
  batch.forEach((operation, i) => {
    const outcome = outcomes[i];
    if (outcome?.ok) {
      report.succeeded.push(operation);
      options.onResult?.(operation, undefined, each, outcome.result.id);
      return;
    }
    const error = outcome ? outcome.error : withContext("batch apply", new Error("no outcome returned"));
    report.failed.push({ operation, error });
    options.onResult?.(operation, error, each, undefined);
  });
}

async function runGroups(
  connector: Connector,
  groups: PlannedOperation[][],
  options: ExecuteOptions,
  report: ExecutionReport,
): Promise<void> {
  let next = 0;

  const runGroup = async (group: PlannedOperation[]): Promise<void> => {
    for (const [index, operation] of group.entries()) {
      if (options.signal?.aborted) {
        report.skipped.push(...group.slice(index));
        return;
      }
      await options.throttle?.();
      const started = performance.now();
      try {
        const result = await connector.apply(operation.change);
        report.succeeded.push(operation);
        options.onResult?.(operation, undefined, performance.now() - started, result.id);
      } catch (err) {
        const error = isRosterError(err) ? err : withContext(`${operation.change.op} failed`, err);
        report.failed.push({ operation, error });
        options.onResult?.(operation, error, performance.now() - started, undefined);
        report.skipped.push(...group.slice(index + 1));
        return;
      }
    }
  };

  const worker = async (): Promise<void> => {
    while (next < groups.length) {
      const group = groups[next++] as PlannedOperation[];
      await runGroup(group);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, groups.length));
  await Promise.all(Array.from({ length: workers }, () => worker()));
}
