import type { ObservedAccount } from "./connector.js";
import type { AccountIntent } from "./desired.js";

/**
 * Per-target account state as reported in User `status.accounts[]`, and the User's summary
 * conditions. Pure: the sync records what it saw and did; these functions turn it into status.
 */
export type AccountState = "Provisioned" | "Disabled" | "Deleted" | "Pending" | "Failed" | "Conflict";

export interface AccountOutcome {
  intent: AccountIntent | undefined;
  /** The account as the target holds it after this sync (undefined when absent). */
  observed: ObservedAccount | undefined;
  /** Operations still outstanding for this account (failed transiently, held, or not run in Plan/Observe). */
  pending: number;
  conflict: string | undefined;
  /** The last error, already free of secrets. */
  error: { message: string; terminal: boolean } | undefined;
}

export interface AccountStatusEntry {
  /** "<namespace>/<target>" */
  target: string;
  accountId?: string;
  state: AccountState;
  roles: string[];
  /** The AccessGrants that gave the roles, as "<namespace>/<name>". */
  grants: string[];
  lastSyncTime?: string;
  lastError?: string;
}

export function accountState(outcome: AccountOutcome): AccountState {
  if (outcome.conflict) return "Conflict";
  if (outcome.error?.terminal) return "Failed";
  if (outcome.pending > 0 || outcome.error) return "Pending";
  if (!outcome.observed) return "Deleted";
  return outcome.observed.enabled ? "Provisioned" : "Disabled";
}

/** `target` is "<namespace>/<name>"; grants are reported in the same namespace/name form. */
export function accountStatusEntry(
  target: string,
  outcome: AccountOutcome,
  syncedAt: string,
): AccountStatusEntry {
  const namespace = target.split("/")[0] ?? "";
  const grantNames = new Set(Object.values(outcome.intent?.roles ?? {}).flat());
  const grants = [...grantNames].map((name) => `${namespace}/${name}`).sort();
  const entry: AccountStatusEntry = {
    target,
    state: accountState(outcome),
    roles: [...(outcome.observed?.roles ?? [])].sort(),
    grants,
    lastSyncTime: syncedAt,
  };
  if (outcome.observed?.id) entry.accountId = outcome.observed.id;
  const lastError = outcome.conflict ?? outcome.error?.message;
  if (lastError) entry.lastError = lastError;
  return entry;
}

export interface ConditionSpec {
  type: "Ready" | "Reconciling" | "Stalled";
  status: "True" | "False";
  reason: string;
  message: string;
}

/**
 * kstatus-style summary for a User: Stalled when an account failed terminally or conflicts,
 * Reconciling while anything is pending, Ready when every account is settled.
 */
export function userConditions(accounts: readonly AccountStatusEntry[]): ConditionSpec[] {
  const by = (state: AccountState) => accounts.filter((a) => a.state === state).map((a) => a.target);
  const stalled = [...by("Failed"), ...by("Conflict")];
  const pending = by("Pending");
  if (stalled.length > 0) {
    const message = `Accounts need attention in ${stalled.join(", ")}.`;
    return [
      { type: "Ready", status: "False", reason: "AccountsFailed", message },
      { type: "Reconciling", status: "False", reason: "AccountsFailed", message },
      { type: "Stalled", status: "True", reason: "AccountsFailed", message },
    ];
  }
  if (pending.length > 0) {
    const message = `Waiting for ${pending.join(", ")}.`;
    return [
      { type: "Ready", status: "False", reason: "Provisioning", message },
      { type: "Reconciling", status: "True", reason: "Provisioning", message },
      { type: "Stalled", status: "False", reason: "Provisioning", message },
    ];
  }
  const message =
    accounts.length === 0
      ? "No target grants this user an account."
      : `All ${accounts.length} accounts are in sync.`;
  return [
    { type: "Ready", status: "True", reason: "AccountsInSync", message },
    { type: "Reconciling", status: "False", reason: "AccountsInSync", message },
    { type: "Stalled", status: "False", reason: "AccountsInSync", message },
  ];
}
