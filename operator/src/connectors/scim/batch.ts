/**
 * The SCIM connector's batch paths (Connector.applyBatch): membership changes coalesced into one
 * read and a few PATCHes per group, creates posted concurrently and then joined to their groups
 * per group. Every other operation goes through `apply`. Outcomes are what `apply` would give:
 * the same ownership checks (accounts.ts) and the same idempotent member writes (groups.ts).
 */
import type { AccountChange, BatchOptions, BatchOutcome } from "../../engine/connector.js";
import type { RosterError } from "../../errors.js";
import {
  asRosterError,
  dispatchBatch,
  membershipOutcomes,
  roleDeltas,
  type Apply,
  type MembershipChange,
} from "../shared/batch.js";
import type { ScimAccounts } from "./accounts.js";
import type { ScimGroups } from "./groups.js";
import { mapConcurrently } from "../../runtime/batching.js";
import type { ScimUsers } from "./users.js";

export interface BatchSession {
  users: ScimUsers;
  groups: ScimGroups;
  accounts: ScimAccounts;
}

type CreateChange = Extract<AccountChange, { op: "create" }>;

/** Runs a batch against one SCIM provider; never rejects. */
export function applyScimBatch(
  session: BatchSession,
  changes: readonly AccountChange[],
  options: BatchOptions,
  apply: Apply,
): Promise<BatchOutcome[]> {
  const memberships = (picked: AccountChange[], { concurrency }: BatchOptions) =>
    membershipBatch(session, picked as MembershipChange[], concurrency);
  return dispatchBatch(changes, options, apply, {
    create: (picked, { concurrency }) => createBatch(session, picked as CreateChange[], concurrency),
    addRoles: memberships,
    removeRoles: memberships,
  });
}

/**
 * Resolves each change's account id (`idOf`: a lookup, or the create itself; at most
 * `concurrency` at once), then writes the memberships of the accounts that resolved, one delta
 * per group. One outcome per change: its account's error, else its groups', else success.
 */
async function resolveThenJoin(
  groups: ScimGroups,
  changes: MembershipChange[],
  concurrency: number,
  idOf: (index: number) => Promise<string>,
): Promise<BatchOutcome[]> {
  const ids = new Map<string, string>();
  const accountErrors = new Map<string, RosterError>();
  await mapConcurrently(changes, concurrency, async (change, index) => {
    try {
      ids.set(change.username, await idOf(index));
    } catch (err) {
      accountErrors.set(change.username, asRosterError(err));
    }
  });
  const roleErrors = await writeMemberships(groups, changes, ids, concurrency);
  return membershipOutcomes(changes, accountErrors, roleErrors, (username) => ids.get(username));
}

/**
 * Checks each account once (it must exist and be Roster's, as `apply` requires), then writes
 * the memberships of the accounts that passed, one delta per group.
 */
function membershipBatch(
  { accounts, groups }: BatchSession,
  changes: MembershipChange[],
  concurrency: number,
): Promise<BatchOutcome[]> {
  return resolveThenJoin(groups, changes, concurrency, (i) => {
    const change = changes[i] as MembershipChange;
    return accounts.memberId(change.username, change.op);
  });
}

/** Posts the users concurrently, then adds the created ones to their groups, one delta per group. */
function createBatch(
  { accounts, groups }: BatchSession,
  changes: CreateChange[],
  concurrency: number,
): Promise<BatchOutcome[]> {
  const joins = changes.map(({ account }): MembershipChange => ({
    op: "addRoles",
    username: account.username,
    roles: account.roles,
  }));
  return resolveThenJoin(groups, joins, concurrency, (i) =>
    accounts.create((changes[i] as CreateChange).account),
  );
}

/** Writes the membership changes of the accounts in `ids`, one delta per role: errors by role. */
async function writeMemberships(
  groups: ScimGroups,
  changes: readonly MembershipChange[],
  ids: ReadonlyMap<string, string>,
  concurrency: number,
): Promise<Map<string, RosterError>> {
  const idsOf = (usernames: string[]) => usernames.map((username) => ids.get(username) as string);
  const deltas = roleDeltas(changes.filter((change) => ids.has(change.username)));
  const errors = new Map<string, RosterError>();
  await mapConcurrently(deltas, concurrency, async (delta) => {
    try {
      await groups.changeMembers(delta.role, { add: idsOf(delta.add), remove: idsOf(delta.remove) });
    } catch (err) {
      errors.set(delta.role, asRosterError(err));
    }
  });
  return errors;
}
