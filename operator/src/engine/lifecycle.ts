import type { GrantView, UserView } from "./model.js";
import { instant, nextAfter, parseDuration } from "./time.js";

/**
 * Where a person stands at `now`, independent of any target:
 * - Active: accounts enabled;
 * - Disabled: accounts exist but are disabled (Suspended, or before startDate);
 * - Left: access must be revoked (Terminated, endDate passed, User being deleted).
 */
export type Phase = "Active" | "Disabled" | "Left";
export type PhaseReason = "Active" | "Suspended" | "NotStarted" | "Terminated" | "Ended" | "UserDeleted";

export interface UserLifecycle {
  phase: Phase;
  reason: PhaseReason;
  /** The instant this user's phase changes by the clock alone (startDate / endDate), if any. */
  nextTransition: number | undefined;
  /** When access ended, for Left users whose end is known (endDate). */
  leftAt: number | undefined;
}

export function userLifecycle(user: UserView, now: number): UserLifecycle {
  const start = instant(user.spec.startDate);
  const end = instant(user.spec.endDate);
  const next = nextAfter(now, start, end);
  const at = (phase: Phase, reason: PhaseReason, leftAt?: number): UserLifecycle => ({
    phase,
    reason,
    nextTransition: phase === "Left" ? undefined : next,
    leftAt,
  });
  if (user.deleting) return at("Left", "UserDeleted");
  if (user.spec.state === "Terminated")
    return at("Left", "Terminated", end !== undefined && end <= now ? end : undefined);
  if (end !== undefined && end <= now) return at("Left", "Ended", end);
  if (user.spec.state === "Suspended") return at("Disabled", "Suspended");
  if (start !== undefined && start > now) return at("Disabled", "NotStarted");
  return at("Active", "Active");
}

export interface GrantWindow {
  from: number | undefined;
  until: number | undefined;
}

/** The interval in which a grant is in force: [validFrom or creation, expiresAt or from + duration). */
export function grantWindow(grant: GrantView): GrantWindow {
  const from = instant(grant.spec.validFrom) ?? instant(grant.createdAt);
  let until = instant(grant.spec.expiresAt);
  if (until === undefined && grant.spec.duration !== undefined) {
    if (from === undefined) throw new Error("a duration needs validFrom or a creation time to start from");
    until = from + parseDuration(grant.spec.duration);
  }
  return { from, until };
}

export type GrantPhase = "Pending" | "Active" | "Expired";

export function grantPhase(grant: GrantView, now: number): GrantPhase {
  if (grant.deleting) return "Expired";
  const { from, until } = grantWindow(grant);
  if (from !== undefined && now < from) return "Pending";
  if (until !== undefined && now >= until) return "Expired";
  return "Active";
}

/** The next instant the grant changes phase by the clock alone. */
export function grantNextTransition(grant: GrantView, now: number): number | undefined {
  const { from, until } = grantWindow(grant);
  return nextAfter(now, from, until);
}
