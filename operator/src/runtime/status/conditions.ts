/**
 * Conditions with apimachinery's meta.SetStatusCondition semantics, as pure functions over plain
 * data (no clock, no I/O: the caller passes `now`).
 */
export type ConditionStatus = "True" | "False" | "Unknown";

export interface Condition {
  type: string;
  status: ConditionStatus;
  /** CamelCase, stable. */
  reason: string;
  /** A sentence for humans. */
  message: string;
  /** RFC 3339, second precision (metav1.Time). */
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface ConditionUpdate {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
}

/** Formats an instant as metav1.Time does: RFC 3339 in UTC, whole seconds. */
export function toKubeTime(at: Date | number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Returns a new condition list with `update` applied:
 * - a new type is appended with lastTransitionTime = now;
 * - an existing type keeps its lastTransitionTime unless its status flips;
 * - reason, message and observedGeneration are always refreshed.
 * The input list is not modified; the order of other conditions is kept.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  update: ConditionUpdate,
  at: { now: Date | number; observedGeneration?: number },
): Condition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === update.type);
  const existing = index >= 0 ? list[index] : undefined;
  const flipped = !existing || existing.status !== update.status;
  const next: Condition = {
    type: update.type,
    status: update.status,
    reason: update.reason,
    message: update.message,
    lastTransitionTime: flipped ? toKubeTime(at.now) : existing.lastTransitionTime,
  };
  if (at.observedGeneration !== undefined) next.observedGeneration = at.observedGeneration;
  if (index >= 0) list[index] = next;
  else list.push(next);
  return list;
}

/** Returns a new list without the condition of `type`. */
export function removeCondition(conditions: readonly Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isConditionTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === "True";
}
