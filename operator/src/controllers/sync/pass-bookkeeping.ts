/**
 * What a target sync pass notes in the Target's state besides its operations: when the clock
 * next changes a decision, which Users must be decided on again, and when each revocation became
 * due. Pure functions over TargetState.
 */
import type { TargetDesiredState } from "../../engine/desired.js";
import type { TargetState } from "./target-state.js";

/** The next clock transition: exact after deciding on everyone, else the earliest known. */
export function noteNextClock(state: TargetState, desired: TargetDesiredState, everyone: boolean): void {
  const next = desired.nextTransition;
  if (everyone || state.nextClock === undefined) state.nextClock = next;
  else if (next !== undefined) state.nextClock = Math.min(state.nextClock, next);
}

/** Users whose accounts did not converge (failed, held, not run) are decided on again next pass. */
export function keepUnfinishedDirty(
  state: TargetState,
  desired: TargetDesiredState,
  usernames: string[],
): void {
  for (const username of usernames) {
    const intent = desired.accounts.get(username);
    if (intent && !state.converged.has(username)) state.dirtyUsers.add(intent.user);
  }
}

/**
 * Remembers when each revocation among `usernames` became due, for
 * roster_revocation_latency_seconds: the intent's own instant (an end date), else when the User
 * last changed (`lastUserChange`), else now.
 */
export function noteRevocationsDue(
  state: TargetState,
  desired: TargetDesiredState,
  usernames: string[],
  now: number,
  lastUserChange: (user: string) => number | undefined,
): void {
  for (const username of usernames) {
    const intent = desired.accounts.get(username);
    if (!intent || intent.enabled || state.revocationDueAt.has(username)) continue;
    if (!state.observed.get(username)?.enabled) continue;
    const due = intent.leftAt ?? lastUserChange(intent.user) ?? now;
    state.revocationDueAt.set(username, Math.min(due, now));
  }
}
