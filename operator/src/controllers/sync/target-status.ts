import { ConditionType, MAX_PLAN_OPERATIONS, Reason, type TargetStatus } from "../../api/index.js";
import type { PlannedOperation } from "../../engine/plan.js";
import { isOwned } from "../../engine/ownership.js";
import type { TargetView } from "../../engine/model.js";
import { isRosterError, withContext, type RosterError } from "../../errors.js";
import { setCondition, toKubeTime, type Condition, type KubeObject } from "../../runtime/index.js";
import { RELEASE_HELD_CHANGES_ANNOTATION } from "../resources.js";
import { usernameOf } from "./effects.js";
import type { TargetState } from "./target-state.js";

/** How the last pass went, in the terms the Target's conditions report. */
export interface SyncVerdict {
  connected: { ok: true } | { ok: false; reason: string; message: string };
  synced: { ok: true; reason: string; message: string } | { ok: false; reason: string; message: string };
}

/** One plan entry for status: names only, never attribute values or passwords. */
export function planEntry(
  operation: PlannedOperation,
): NonNullable<TargetStatus["plan"]>["operations"][number] {
  const change = operation.change;
  const entry: NonNullable<TargetStatus["plan"]>["operations"][number] = {
    operation: change.op,
    username: usernameOf(change),
  };
  if (change.op === "addRoles" || change.op === "removeRoles") entry.roles = [...change.roles];
  if (change.op === "create" && change.account.roles.length > 0) entry.roles = [...change.account.roles];
  if (change.op === "update") entry.attributes = Object.keys(change.set).sort();
  return entry;
}

export function planStatus(operations: readonly PlannedOperation[], now: number): TargetStatus["plan"] {
  return {
    total: operations.length,
    generatedTime: toKubeTime(now),
    operations: operations.slice(0, MAX_PLAN_OPERATIONS).map(planEntry),
  };
}

/** Composes the Target's status from the sync state and the verdict of the last pass. */
export function targetStatus(args: {
  previous: TargetStatus | undefined;
  state: TargetState;
  verdict: SyncVerdict;
  plan: TargetStatus["plan"] | undefined;
  generation: number | undefined;
  now: number;
}): TargetStatus {
  const { state, verdict, generation, now } = args;
  const at = { now, ...(generation !== undefined ? { observedGeneration: generation } : {}) };
  let conditions: Condition[] = (args.previous?.conditions ?? []) as Condition[];
  conditions = setCondition(
    conditions,
    verdict.connected.ok
      ? {
          type: ConditionType.Connected,
          status: "True",
          reason: Reason.ConnectionSucceeded,
          message: "Connected.",
        }
      : { type: ConditionType.Connected, status: "False", ...pick(verdict.connected) },
    at,
  );
  conditions = setCondition(
    conditions,
    { type: ConditionType.Synced, status: verdict.synced.ok ? "True" : "False", ...pick(verdict.synced) },
    at,
  );
  const ready = verdict.connected.ok && verdict.synced.ok;
  const summary = verdict.connected.ok ? verdict.synced : verdict.connected;
  conditions = setCondition(
    conditions,
    { type: ConditionType.Ready, status: ready ? "True" : "False", ...pick(summary) },
    at,
  );
  const status: TargetStatus = { conditions, counts: counts(state) };
  if (generation !== undefined) status.observedGeneration = generation;
  if (state.lastFullSync !== undefined) status.lastFullSyncTime = toKubeTime(state.lastFullSync);
  if (state.orphans.length > 0) status.orphans = state.orphans.slice(0, MAX_PLAN_OPERATIONS);
  if (args.plan) status.plan = args.plan;
  return status;
}

function pick(v: { reason: string; message: string }): { reason: string; message: string } {
  return { reason: v.reason, message: v.message };
}

function counts(state: TargetState): NonNullable<TargetStatus["counts"]> {
  let managed = 0;
  let disabled = 0;
  for (const account of state.observed.values()) {
    if (!isOwned(account.owner)) continue;
    managed += 1;
    if (!account.enabled) disabled += 1;
  }
  let conflicts = 0;
  let failed = 0;
  for (const { entry } of state.entries.values()) {
    if (entry.state === "Conflict") conflicts += 1;
    if (entry.state === "Failed") failed += 1;
  }
  return { managed, disabled, orphaned: state.orphans.length, conflicts, failed, held: state.held };
}

export function connectionVerdict(err: unknown): SyncVerdict["connected"] {
  const error = isRosterError(err) ? err : withContext("connecting failed", err);
  const reason =
    error.reason === "InvalidCredentials" ? Reason.AuthenticationFailed : Reason.ConnectionFailed;
  return {
    ok: false,
    reason: error.reason === "SecretNotFound" ? Reason.SecretNotFound : reason,
    message: error.message,
  };
}

export function syncVerdict(
  target: TargetView,
  state: TargetState,
  failure: RosterError | undefined,
): SyncVerdict {
  const connected = { ok: true as const };
  if (state.held > 0) {
    return {
      connected,
      synced: {
        ok: false,
        reason: Reason.SafetyLimitExceeded,
        message: `${state.held} disables or deletes are held back by the safety limits; annotate the Target with ${RELEASE_HELD_CHANGES_ANNOTATION} to release them.`,
      },
    };
  }
  if (failure)
    return { connected, synced: { ok: false, reason: Reason.SyncFailed, message: failure.message } };
  if (target.mode === "Plan") {
    return {
      connected,
      synced: {
        ok: true,
        reason: Reason.PlanReady,
        message: "Plan mode: the plan is in status.plan; nothing was changed.",
      },
    };
  }
  if (target.mode === "Observe") {
    return {
      connected,
      synced: {
        ok: true,
        reason: Reason.Observing,
        message: "Observe mode: drift and orphans are reported; nothing was changed.",
      },
    };
  }
  return {
    connected,
    synced: { ok: true, reason: Reason.SyncSucceeded, message: "The target matches the desired state." },
  };
}

export function previousPlan(
  obj: KubeObject,
  target: TargetView,
  state: TargetState,
): TargetStatus["plan"] | undefined {
  if (target.mode !== "Plan" && state.held === 0) return undefined;
  return (obj.status as TargetStatus | undefined)?.plan;
}
