import type { PlannedOperation } from "./plan.js";

/**
 * The mass-change guard: a sync that would disable or delete more accounts than the Target allows
 * is held back (a bad HR export or a GitOps prune must not wipe a directory) until released
 * explicitly. Only destructive operations (disable, delete) count and are held; the rest proceed.
 */
export interface GuardLimits {
  maxChangesPerSync?: number;
  maxChangesPercent?: number;
}

export interface GuardDecision {
  held: boolean;
  destructive: number;
  /** The effective limit, when one applies. */
  limit: number | undefined;
  message: string | undefined;
}

export function isDestructive(operation: PlannedOperation): boolean {
  return operation.change.op === "disable" || operation.change.op === "delete";
}

/**
 * Whether `operations` may run. `alreadyApplied` counts destructive operations the same sync has
 * already applied (the cut run ahead of the read), so the limit holds for the sync as a whole.
 */
export function massChangeGuard(
  operations: readonly PlannedOperation[],
  managedAccounts: number,
  limits: GuardLimits,
  released: boolean,
  alreadyApplied = 0,
): GuardDecision {
  const destructive = operations.filter(isDestructive).length + alreadyApplied;
  const candidates: number[] = [];
  if (limits.maxChangesPerSync !== undefined) candidates.push(limits.maxChangesPerSync);
  if (limits.maxChangesPercent !== undefined) {
    candidates.push(Math.floor((managedAccounts * limits.maxChangesPercent) / 100));
  }
  const limit = candidates.length > 0 ? Math.min(...candidates) : undefined;
  const held = !released && limit !== undefined && destructive > limit;
  const message = held
    ? `${destructive} accounts would be disabled or deleted, more than the limit of ${limit}; the changes are held until the Target is annotated to release them`
    : undefined;
  return { held, destructive, limit, message };
}
