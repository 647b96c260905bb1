import type { AccountChange, AttributeValue, ObservedAccount } from "./connector.js";
import type { AccountIntent, TargetDesiredState } from "./desired.js";
import type { TargetView } from "./model.js";
import { isOwned } from "./ownership.js";

/**
 * The plan: a pure diff of desired against observed for one target. It lists the exact operations
 * that would converge the target, revocations first, plus what cannot be done (conflicts) and what
 * nobody wants any more (orphans). Whether operations run is the caller's decision (Target mode,
 * the mass-change guard).
 */
export interface PlannedOperation {
  change: AccountChange;
  /** The User the operation is for; undefined for orphans. */
  user: string | undefined;
  /** Disable, delete or role removal: security-critical, runs first and is never dropped. */
  revocation: boolean;
}

export interface PlanConflict {
  username: string;
  user: string;
  message: string;
}

export interface TargetPlan {
  operations: PlannedOperation[];
  conflicts: PlanConflict[];
  /** Usernames of owned accounts that no User has any more. */
  orphans: string[];
}

export interface PlanInput {
  target: TargetView;
  desired: TargetDesiredState;
  observed: readonly ObservedAccount[];
  /** The marker to stamp on accounts created or adopted for a user (by User name). */
  markerFor: (user: string) => string;
  /** Initial password for a new account, when the Target generates them. */
  passwordFor?: (username: string) => string | undefined;
  now: number;
}

const REVOCATIONS = new Set<AccountChange["op"]>(["disable", "delete", "removeRoles"]);
const DAY_MS = 86_400_000;

function op(change: AccountChange, user: string | undefined): PlannedOperation {
  return { change, user, revocation: REVOCATIONS.has(change.op) };
}

function sameValue(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    const x = [a ?? []].flat().slice().sort();
    const y = [b ?? []].flat().slice().sort();
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  return a === b;
}

/** Operations that make an owned, wanted account match its intent. */
function converge(
  intent: AccountIntent,
  observed: ObservedAccount,
  managedRoles: string[],
): PlannedOperation[] {
  const ops: PlannedOperation[] = [];
  const { username, user } = intent;
  // A suspension cuts access before anything else changes.
  if (observed.enabled && !intent.enabled) ops.push(op({ op: "disable", username }, user));
  const set: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(intent.attributes)) {
    if (!sameValue(value, observed.attributes[name])) set[name] = value;
  }
  if (Object.keys(set).length > 0) ops.push(op({ op: "update", username, set }, user));
  const want = Object.keys(intent.roles);
  const add = want.filter((r) => !observed.roles.includes(r)).sort();
  const remove = observed.roles.filter((r) => managedRoles.includes(r) && !want.includes(r)).sort();
  if (remove.length > 0) ops.push(op({ op: "removeRoles", username, roles: remove }, user));
  if (add.length > 0) ops.push(op({ op: "addRoles", username, roles: add }, user));
  if (!observed.enabled && intent.enabled) ops.push(op({ op: "enable", username }, user));
  return ops;
}

/** Revoke an owned account per the leave policy (or orphan policy for accounts without a User). */
function revoke(
  policy: "Disable" | "Delete" | "DisableThenDelete" | "Retain" | "Report",
  observed: ObservedAccount,
  managedRoles: string[],
  user: string | undefined,
  deleteDue: boolean,
): PlannedOperation[] {
  const username = observed.username;
  if (policy === "Retain" || policy === "Report") return [];
  if (policy === "Delete" || (policy === "DisableThenDelete" && deleteDue)) {
    return [op({ op: "delete", username }, user)];
  }
  const ops: PlannedOperation[] = [];
  const held = observed.roles.filter((r) => managedRoles.includes(r)).sort();
  if (observed.enabled) ops.push(op({ op: "disable", username }, user));
  if (held.length > 0) ops.push(op({ op: "removeRoles", username, roles: held }, user));
  return ops;
}

function adoptMatches(target: TargetView, intent: AccountIntent, observed: ObservedAccount): boolean {
  return target.adopt.some((rule) => {
    const theirs = observed.attributes[rule.attribute];
    const field = rule.userField ?? "username";
    const ours = field === "username" ? intent.username : intent.attributes[rule.attribute];
    return ours !== undefined && sameValue(theirs, ours);
  });
}

function createFor(input: PlanInput, intent: AccountIntent): PlannedOperation {
  const password = input.passwordFor?.(intent.username);
  return op(
    {
      op: "create",
      account: {
        username: intent.username,
        ownerMarker: input.markerFor(intent.user),
        enabled: intent.enabled,
        attributes: intent.attributes,
        roles: Object.keys(intent.roles).sort(),
        ...(password !== undefined ? { password } : {}),
        ...(intent.validUntil !== undefined ? { validUntil: intent.validUntil } : {}),
      },
    },
    intent.user,
  );
}

export function planTarget(input: PlanInput): TargetPlan {
  const { target, desired } = input;
  const { managedRoles } = desired;
  const operations: PlannedOperation[] = [];
  const conflicts: PlanConflict[] = [];
  const orphans: string[] = [];
  const observedByName = new Map(input.observed.map((acc) => [acc.username, acc]));

  for (const intent of desired.accounts.values()) {
    const observed = observedByName.get(intent.username);
    if (!observed) {
      if (intent.wanted) operations.push(createFor(input, intent));
      continue;
    }
    if (!isOwned(observed.owner)) {
      if (!intent.wanted) continue;
      if (!adoptMatches(target, intent, observed)) {
        conflicts.push({
          username: intent.username,
          user: intent.user,
          message: `an account named ${JSON.stringify(intent.username)} exists in the target without Roster's ownership marker and no adopt rule matches it`,
        });
        continue;
      }
      operations.push(
        op(
          { op: "adopt", username: intent.username, ownerMarker: input.markerFor(intent.user) },
          intent.user,
        ),
      );
    }
    if (intent.wanted) {
      operations.push(...converge(intent, observed, managedRoles));
    } else {
      const afterDays = target.leavePolicy.afterDays ?? 0;
      const deleteDue = intent.leftAt !== undefined && input.now >= intent.leftAt + afterDays * DAY_MS;
      operations.push(...revoke(target.leavePolicy.type, observed, managedRoles, intent.user, deleteDue));
    }
  }
  for (const observed of input.observed) {
    if (desired.accounts.has(observed.username) || !isOwned(observed.owner)) continue;
    orphans.push(observed.username);
    operations.push(...revoke(target.orphanPolicy, observed, managedRoles, undefined, true));
  }
  orphans.sort();
  // Revocations first, stable otherwise.
  const ordered = [...operations.filter((o) => o.revocation), ...operations.filter((o) => !o.revocation)];
  return { operations: ordered, conflicts, orphans };
}
