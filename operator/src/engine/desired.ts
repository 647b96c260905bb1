import type { AttributeValue } from "./connector.js";
import { grantNextTransition, grantPhase, userLifecycle, type PhaseReason } from "./lifecycle.js";
import type { GrantView, TargetView, UserView } from "./model.js";
import { matchesSelector } from "./selector.js";
import { nextAfter } from "./time.js";
import { mapAttributes } from "./attributes.js";

/**
 * What one person should have in one target. `wanted` says whether an account should exist and
 * be managed for them; when false, the Target's leavePolicy decides what happens to an existing one.
 */
export interface AccountIntent {
  /** The User object's name. */
  user: string;
  username: string;
  wanted: boolean;
  enabled: boolean;
  reason: PhaseReason | "NoGrant";
  attributes: Record<string, AttributeValue>;
  /** role -> the AccessGrants (names, sorted) that give it. */
  roles: Record<string, string[]>;
  /** When the target itself should stop the account (endDate or the last grant's end). */
  validUntil: string | undefined;
  /** When access ended, if known (for DisableThenDelete). */
  leftAt: number | undefined;
}

export interface TargetDesiredState {
  /** Keyed by username; holds every known User, wanted or not, so the plan can tell leavers from orphans. */
  accounts: Map<string, AccountIntent>;
  /** Every role any grant on this target gives: the roles whose membership Roster manages. */
  managedRoles: string[];
  /** The earliest instant at which this desired state changes by the clock alone. */
  nextTransition: number | undefined;
}

/** Whether a grant's subjects (explicit names or the label selector) include the user. */
export function grantSelects(grant: GrantView, user: UserView): boolean {
  const { users, selector } = grant.spec.subjects;
  if (users?.includes(user.name)) return true;
  return selector !== undefined && matchesSelector(selector, user.labels);
}

/**
 * Desired state of one target: a pure function of the Users, the AccessGrants in the target's
 * namespace and the Target, at `now`.
 */
export function desiredState(
  target: TargetView,
  users: readonly UserView[],
  grants: readonly GrantView[],
  now: number,
): TargetDesiredState {
  const ownGrants = grants.filter((g) => g.namespace === target.namespace && g.spec.target === target.name);
  const managedRoles = [...new Set(ownGrants.flatMap((g) => g.spec.roles))].sort();
  let next: number | undefined;
  const accounts = new Map<string, AccountIntent>();
  for (const user of users) {
    const life = userLifecycle(user, now);
    next = nextAfter(now, next, life.nextTransition);
    const roles: Record<string, string[]> = {};
    let granted = false;
    for (const grant of ownGrants) {
      if (!grantSelects(grant, user)) continue;
      next = nextAfter(now, next, grantNextTransition(grant, now));
      if (grantPhase(grant, now) !== "Active") continue;
      granted = true;
      for (const role of grant.spec.roles) (roles[role] ??= []).push(grant.name);
    }
    for (const list of Object.values(roles)) list.sort();
    const wanted = granted && life.phase !== "Left";
    accounts.set(user.spec.username, {
      user: user.name,
      username: user.spec.username,
      wanted,
      enabled: wanted && life.phase === "Active",
      reason: granted || life.phase === "Left" ? life.reason : "NoGrant",
      attributes: mapAttributes(target, user),
      roles: wanted ? roles : {},
      validUntil: user.spec.endDate ? new Date(Date.parse(user.spec.endDate)).toISOString() : undefined,
      leftAt: life.leftAt,
    });
  }
  return { accounts, managedRoles, nextTransition: next };
}

/** The next instant a user's access changes by the clock alone: their start/end date or a selecting grant's window. */
export function userNextTransition(
  user: UserView,
  grants: readonly GrantView[],
  now: number,
): number | undefined {
  let next = userLifecycle(user, now).nextTransition;
  for (const grant of grants) {
    if (grantSelects(grant, user)) next = nextAfter(now, next, grantNextTransition(grant, now));
  }
  return next;
}
