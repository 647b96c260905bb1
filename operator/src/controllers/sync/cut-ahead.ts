/**
 * The cut ahead of the read. An incremental pass first disables (or deletes, per the leave
 * policy) the accounts of people who lost access, planned from the sync's picture of the target
 * (what it last read or wrote), before it reads anything: a revocation never waits for the reads
 * of a large pass. Safe because each cut is idempotent and the connector checks the account's
 * ownership itself; whatever failed or was missed is settled by the ordinary plan, which reads the
 * accounts right after. Runs only when the mass-change guard lets the cut through unreleased.
 */
import type { Connector } from "../../engine/connector.js";
import type { TargetDesiredState } from "../../engine/desired.js";
import { isDestructive, massChangeGuard } from "../../engine/guard.js";
import type { TargetView } from "../../engine/model.js";
import { planTarget, type PlannedOperation } from "../../engine/plan.js";
import { usernameOf } from "./effects.js";
import { executePlan, type ExecuteOptions } from "./execute.js";
import { restrictTo } from "./scope.js";
import type { TargetState } from "./target-state.js";

export interface CutAheadInput {
  target: TargetView;
  state: TargetState;
  desired: TargetDesiredState;
  /** The accounts whose intent changed in this pass. */
  usernames: string[];
  connector: Connector;
  markerFor: (user: string) => string;
  now: number;
  /** Only successes are reported: a failed cut is planned again after the read. */
  execute: Omit<ExecuteOptions, "onResult"> & { onSuccess: NonNullable<ExecuteOptions["onResult"]> };
}

/** Runs the cut for the leavers among `usernames`; returns how many disables/deletes succeeded. */
export async function cutAhead(input: CutAheadInput): Promise<number> {
  const { state, usernames } = input;
  // A cut of the same account already running (the lane beside a pass) is waited for, not repeated.
  await settledCuts(state, usernames);
  const known = usernames.flatMap((u) => state.observed.get(u) ?? []);
  if (known.length === 0) return 0;
  const plan = planTarget({
    target: input.target,
    desired: restrictTo(input.desired, usernames),
    observed: known,
    markerFor: input.markerFor,
    now: input.now,
  });
  // A disable may address the account by the id the sync last saw it owned with (no lookup).
  const cut = plan.operations.filter(isDestructive).map((operation) => withKnownId(operation, state));
  if (cut.length === 0) return 0;
  if (massChangeGuard(cut, state.observed.size, input.target, false).held) return 0;
  const { onSuccess, ...options } = input.execute;
  const running = executePlan(input.connector, cut, {
    ...options,
    onResult: (operation, error, ms, id) => {
      if (!error) onSuccess(operation, error, ms, id);
    },
  });
  const cutUsernames = cut.map((operation) => usernameOf(operation.change));
  for (const username of cutUsernames) state.cutsInFlight.set(username, running);
  try {
    return (await running).succeeded.length;
  } finally {
    for (const username of cutUsernames)
      if (state.cutsInFlight.get(username) === running) state.cutsInFlight.delete(username);
  }
}

/** Waits until no cut of these accounts is running (whatever its outcome). */
export async function settledCuts(state: TargetState, usernames: readonly string[]): Promise<void> {
  const running = usernames.flatMap((u) => state.cutsInFlight.get(u) ?? []);
  if (running.length > 0) await Promise.allSettled(running);
}

/** How long a pass's read waits at most for running cuts (cutsQuiet). */
export const READ_WAITS_FOR_CUTS_MAX_MS = 30_000;
/** After the cuts it waited for ended, how long the Target must stay without a cut to count as quiet. */
const QUIET_MS = 20;

/**
 * Waits, for at most `maxWaitMs`, until no cut runs on the Target (a pass's or the lane's) and the
 * cut lane is idle. A pass's read yields to a burst of leavers' cuts, which share the target's
 * capacity: with 1,000 leavers at once, the clean-up reads of each pass used to slow down the
 * disables of the next leavers. Reads are never dropped, only delayed while cuts run.
 */
export async function cutsQuiet(
  state: TargetState,
  maxWaitMs: number = READ_WAITS_FOR_CUTS_MAX_MS,
): Promise<void> {
  const deadline = performance.now() + maxWaitMs;
  for (;;) {
    const running: Promise<unknown>[] = [...new Set(state.cutsInFlight.values())];
    if (state.cutLaneRun) running.push(state.cutLaneRun);
    const left = deadline - performance.now();
    if (running.length === 0 || left <= 0) return;
    await within(Promise.allSettled(running), left);
    // A lane run queued behind the one that ended starts within a moment.
    await within(new Promise<void>(() => undefined), Math.min(QUIET_MS, deadline - performance.now()));
  }
}

/** Resolves when `promise` settles or after `ms`, whichever comes first (no timer is left behind). */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms))));
  try {
    await Promise.race([promise, elapsed]);
  } finally {
    clearTimeout(timer);
  }
}

function withKnownId(operation: PlannedOperation, state: TargetState): PlannedOperation {
  const change = operation.change;
  if (change.op !== "disable") return operation;
  const knownId = state.observed.get(change.username)?.id;
  return knownId === undefined ? operation : { ...operation, change: { ...change, knownId } };
}
