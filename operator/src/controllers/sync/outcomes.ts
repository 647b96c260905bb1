import { accountStatusEntry, type AccountOutcome } from "../../engine/account-status.js";
import type { TargetDesiredState } from "../../engine/desired.js";
import type { TargetPlan } from "../../engine/plan.js";
import type { RosterError } from "../../errors.js";
import type { ExecutionReport } from "./execute.js";
import { usernameOf } from "./effects.js";
import type { TargetState } from "./target-state.js";
import { intentFingerprint } from "./scope.js";

/**
 * After a sync pass, records per username what happened: the status entry Users report and the
 * converged fingerprint (only for accounts with nothing left to do). Returns the User names whose
 * entries changed, so their status can be rewritten.
 */
export function recordOutcomes(args: {
  state: TargetState;
  desired: TargetDesiredState;
  usernames: Iterable<string>;
  plan: TargetPlan;
  /** Operations not run: failed, skipped, held, or all of them in Observe / Plan mode. */
  notDone: ExecutionReport["failed"][number]["operation"][];
  failures: ExecutionReport["failed"];
  /** Reading the target failed: every account in scope is pending with this error. */
  readError?: RosterError;
  syncedAt: string;
}): string[] {
  const { state, desired, plan } = args;
  const pending = new Map<string, number>();
  for (const operation of args.notDone) {
    const username = usernameOf(operation.change);
    pending.set(username, (pending.get(username) ?? 0) + 1);
  }
  const errors = new Map(args.failures.map((f) => [usernameOf(f.operation.change), f.error]));
  const conflicts = new Map(plan.conflicts.map((c) => [c.username, c.message]));
  const changedUsers: string[] = [];
  for (const username of args.usernames) {
    const intent = desired.accounts.get(username);
    const observed = state.observed.get(username);
    const error = args.readError ?? errors.get(username);
    const outcome: AccountOutcome = {
      intent,
      observed,
      pending: (pending.get(username) ?? 0) + (args.readError ? 1 : 0),
      // An operation refused because an account Roster does not own is in the way is a conflict
      // too (a create made without reading first finds it that way).
      conflict: conflicts.get(username) ?? (error?.kind === "Conflict" ? error.message : undefined),
      error: error ? { message: error.message, terminal: error.kind !== "Transient" } : undefined,
    };
    if (intent && outcome.pending === 0 && !outcome.conflict && !error) {
      state.converged.set(username, intentFingerprint(intent));
    } else {
      state.converged.delete(username);
    }
    const previous = state.entries.get(username);
    if (!intent || (!intent.wanted && !observed && !previous)) {
      if (previous) {
        state.entries.delete(username);
        changedUsers.push(previous.user);
      }
      continue;
    }
    const entry = accountStatusEntry(state.key, outcome, previous?.entry.lastSyncTime ?? args.syncedAt);
    if (previous && sameEntry(previous.entry, entry)) continue;
    entry.roles = sharedList(entry.roles);
    entry.grants = sharedList(entry.grants);
    entry.lastSyncTime = args.syncedAt;
    state.entries.set(username, { user: intent.user, entry });
    changedUsers.push(intent.user);
  }
  return changedUsers;
}

/**
 * One frozen array per distinct list of names: the roles and grants of status entries repeat
 * across thousands of Users (everyone in a team has the same ones), and an entry is kept per User
 * per Target. Bounded: forgotten wholesale past MAX_SHARED_LISTS distinct lists.
 */
const sharedLists = new Map<string, readonly string[]>();
const MAX_SHARED_LISTS = 4096;

function sharedList(values: string[]): string[] {
  const key = values.join("\u0000");
  let shared = sharedLists.get(key);
  if (!shared) {
    if (sharedLists.size >= MAX_SHARED_LISTS) sharedLists.clear();
    shared = Object.freeze([...values]);
    sharedLists.set(key, shared);
  }
  return shared as string[];
}

function sameEntry(a: object, b: object): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
