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

/** Settles `task` for every item, at most `concurrency` at once: the failures, by key. */
async function settleAll<T>(
  items: readonly T[],
  concurrency: number,
  keyOf: (item: T) => string,
  task: (item: T) => Promise<void>,
): Promise<Map<string, RosterError>> {
  const errors = new Map<string, RosterError>();
  await mapConcurrently(items, concurrency, async (item) => {
    try {
      await task(item);
    } catch (err) {
      errors.set(keyOf(item), asRosterError(err));
    }
  });
  return errors;
}

/**
 * Checks each account once (it must exist and be Roster's, as `apply` requires), then writes
 * the memberships of the accounts that passed, one delta per group.
 */
async function membershipBatch(
  { accounts, groups }: BatchSession,
  changes: MembershipChange[],
  concurrency: number,
): Promise<BatchOutcome[]> {
  const ids = new Map<string, string>();
  const accountErrors = await settleAll(
    changes,
    concurrency,
    (change) => change.username,
    async (change) => {
      ids.set(change.username, await accounts.memberId(change.username, change.op));
    },
  );
  const roleErrors = await writeMemberships(groups, changes, ids, concurrency);
  return membershipOutcomes(changes, accountErrors, roleErrors, (username) => ids.get(username));
}

/** Posts the users concurrently, then adds the created ones to their groups, one delta per group. */
async function createBatch(
  { accounts, groups }: BatchSession,
  changes: CreateChange[],
  concurrency: number,
): Promise<BatchOutcome[]> {
  const ids = new Map<string, string>();
  const accountErrors = await settleAll(
    changes,
    concurrency,
    (change) => change.account.username,
    async ({ account }) => {
      ids.set(account.username, await accounts.create(account));
    },
  );
  const joins = changes.map(({ account }): MembershipChange => ({
    op: "addRoles",
    username: account.username,
    roles: account.roles,
  }));
  const roleErrors = await writeMemberships(groups, joins, ids, concurrency);
  return membershipOutcomes(joins, accountErrors, roleErrors, (username) => ids.get(username));
}

/** Writes the membership changes of the accounts in `ids`, one delta per role: errors by role. */
function writeMemberships(
  groups: ScimGroups,
  changes: readonly MembershipChange[],
  ids: ReadonlyMap<string, string>,
  concurrency: number,
): Promise<Map<string, RosterError>> {
  const idsOf = (usernames: string[]) => usernames.map((username) => ids.get(username) as string);
  const deltas = roleDeltas(changes.filter((change) => ids.has(change.username)));
  return settleAll(
    deltas,
    concurrency,
    (delta) => delta.role,
    (delta) => groups.changeMembers(delta.role, { add: idsOf(delta.add), remove: idsOf(delta.remove) }),
  );
}
