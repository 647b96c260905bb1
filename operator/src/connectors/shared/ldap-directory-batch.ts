/**
 * The directory connectors' `applyBatch` (contract in engine/connector.ts): creates and
 * membership changes of many accounts are coalesced so that each group touched gets its member
 * values in one read and one modify (per chunk of values), instead of one modify per member.
 *
 * - addRoles / removeRoles: each account is looked up once (ownership checked as `apply` does),
 *   then every touched group is read once and written once.
 * - create: the entries are created (or converged) concurrently without their roles, then every
 *   group receives its new members in one write.
 * - When a group write fails, the changes touching that group are applied again one by one
 *   through `apply`, so their outcome (error included) is exactly what `apply` would give.
 * - Every other operation goes through `apply` with the batch's concurrency.
 */
import type { AccountChange, BatchOptions, BatchOutcome, DesiredAccount } from "../../engine/connector.js";
import type { RosterError } from "../../errors.js";
import {
  dispatchBatch,
  membershipOutcomes,
  roleDeltas,
  settleEach,
  type Apply,
  type MembershipChange,
  type RoleDelta,
} from "./batch.js";
import { mapConcurrently } from "../../runtime/batching.js";
import type { GroupDirectory } from "./ldap-groups.js";

/** An account as the batch needs it: its value in member attributes and its id. */
export interface ResolvedAccount {
  member: string;
  id: string;
}

export type Resolution = { ok: true; account: ResolvedAccount } | { ok: false; error: RosterError };

/** What the batch needs from its connector. */
export interface DirectoryBatchHost {
  apply: Apply;
  groups: GroupDirectory;
  /** Per username: the account when Roster owns it, else the error `apply` gives for it (`concurrency` reads at once). */
  ownedAccounts(usernames: readonly string[], concurrency: number): Promise<Map<string, Resolution>>;
  /** Creates (or converges) each account's entry without its roles, in input order. */
  createEntries(accounts: readonly DesiredAccount[], concurrency: number): Promise<Resolution[]>;
}

type CreateChange = Extract<AccountChange, { op: "create" }>;

export function applyDirectoryBatch(
  host: DirectoryBatchHost,
  changes: readonly AccountChange[],
  options: BatchOptions,
): Promise<BatchOutcome[]> {
  const membership = (picked: AccountChange[], opts: BatchOptions) =>
    changeMemberships(host, picked as MembershipChange[], opts.concurrency);
  return dispatchBatch(changes, options, host.apply, {
    create: (picked, opts) => createAccounts(host, picked as CreateChange[], opts.concurrency),
    addRoles: membership,
    removeRoles: membership,
  });
}

async function changeMemberships(
  host: DirectoryBatchHost,
  changes: MembershipChange[],
  concurrency: number,
): Promise<BatchOutcome[]> {
  const accounts = await host.ownedAccounts(
    changes.map((change) => change.username),
    concurrency,
  );
  const accountErrors = new Map<string, RosterError>();
  const resolved = new Map<string, ResolvedAccount>();
  for (const [username, resolution] of accounts) {
    if (resolution.ok) resolved.set(username, resolution.account);
    else accountErrors.set(username, resolution.error);
  }
  const writable = changes.filter((change) => resolved.has(change.username));
  const failedRoles = await writeDeltas(host.groups, roleDeltas(writable), resolved, concurrency);
  const outcomes = membershipOutcomes(changes, accountErrors, new Map(), (u) => resolved.get(u)?.id);
  return retryThroughApply(host.apply, changes, outcomes, failedRoles, concurrency);
}

async function createAccounts(
  host: DirectoryBatchHost,
  changes: CreateChange[],
  concurrency: number,
): Promise<BatchOutcome[]> {
  const entries = await host.createEntries(
    changes.map((change) => change.account),
    concurrency,
  );
  const resolved = new Map<string, ResolvedAccount>();
  const grants: MembershipChange[] = [];
  changes.forEach((change, index) => {
    const entry = entries[index];
    if (!entry?.ok) return;
    resolved.set(change.account.username, entry.account);
    grants.push({ op: "addRoles", username: change.account.username, roles: change.account.roles });
  });
  const failedRoles = await writeDeltas(host.groups, roleDeltas(grants), resolved, concurrency);
  const outcomes = entries.map((entry): BatchOutcome =>
    entry.ok ? { ok: true, result: { id: entry.account.id } } : entry,
  );
  return retryThroughApply(host.apply, changes, outcomes, failedRoles, concurrency);
}

/** Writes each role's delta to its group (several groups at once); returns the roles whose write failed. */
async function writeDeltas(
  groups: GroupDirectory,
  deltas: readonly RoleDelta[],
  accounts: ReadonlyMap<string, ResolvedAccount>,
  concurrency: number,
): Promise<Set<string>> {
  const failed = new Set<string>();
  const memberOf = (username: string) => accounts.get(username)?.member ?? [];
  await mapConcurrently(deltas, concurrency, async (delta) => {
    try {
      await groups.changeMembers(delta.role, delta.add.flatMap(memberOf), delta.remove.flatMap(memberOf));
    } catch {
      // The changes touching this role are applied one by one below and report apply's error.
      failed.add(delta.role);
    }
  });
  return failed;
}

/** Replaces the outcome of each successful change that touches a failed role by what `apply` gives. */
async function retryThroughApply(
  apply: Apply,
  changes: readonly AccountChange[],
  outcomes: BatchOutcome[],
  failedRoles: ReadonlySet<string>,
  concurrency: number,
): Promise<BatchOutcome[]> {
  if (failedRoles.size === 0) return outcomes;
  const retry = changes.flatMap((change, index) =>
    outcomes[index]?.ok && rolesOf(change).some((role) => failedRoles.has(role)) ? [index] : [],
  );
  const retried = await settleEach(
    apply,
    retry.map((index) => changes[index] as AccountChange),
    concurrency,
  );
  retry.forEach((changeIndex, i) => {
    outcomes[changeIndex] = retried[i] as BatchOutcome;
  });
  return outcomes;
}

function rolesOf(change: AccountChange): string[] {
  if (change.op === "create") return change.account.roles;
  return change.op === "addRoles" || change.op === "removeRoles" ? change.roles : [];
}
