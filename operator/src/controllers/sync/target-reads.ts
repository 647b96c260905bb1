/**
 * How a target sync pass reads the target: everything in bulk (full sync), or only the accounts
 * whose intent changed (incremental), some of which it may presume absent. Each read updates the
 * sync's picture of the target (TargetState.observed).
 */
import type { Connector, ObservedAccount } from "../../engine/connector.js";
import type { TargetDesiredState } from "../../engine/desired.js";
import type { TargetView } from "../../engine/model.js";
import { mapConcurrently } from "../../runtime/batching.js";
import type { TargetState } from "./target-state.js";

/** Reads that observe one account at a time (connectors without observeMany) run this many at once. */
const OBSERVE_CONCURRENCY = 8;

export async function readAll(
  connector: Connector,
  state: TargetState,
  desired: TargetDesiredState,
): Promise<ObservedAccount[]> {
  const listed = await connector.list({ roles: desired.managedRoles });
  state.observed = new Map(listed.map((account) => [account.username, account]));
  state.mustObserve.clear(); // everything was just read
  return listed;
}

/**
 * Accounts an incremental pass creates without reading them first: wanted, never seen since the
 * last full sync listed the target (nor created since: the sync's picture is complete), and no
 * adopt rule that might claim an existing account. The create itself is the existence check
 * (connectors accept an existing account with our marker and refuse anyone else's); when it
 * fails, the account is read before the next plan (`mustObserve`). This is what makes a wave
 * of joiners cost one write each, like the target's own bulk tools.
 */
export function presumedAbsent(
  state: TargetState,
  target: TargetView,
  desired: TargetDesiredState,
  usernames: string[],
): Set<string> {
  if (state.lastFullSync === undefined || target.adopt.length > 0) return new Set();
  return new Set(
    usernames.filter(
      (u) => desired.accounts.get(u)?.wanted === true && !state.observed.has(u) && !state.mustObserve.has(u),
    ),
  );
}

/** Reads the accounts of `usernames`: in bulk when the connector can, else one by one. */
export async function readSome(
  connector: Connector,
  state: TargetState,
  usernames: string[],
  desired: TargetDesiredState,
): Promise<ObservedAccount[]> {
  const options = { roles: desired.managedRoles };
  const found =
    connector.observeMany && usernames.length > 1
      ? await connector.observeMany(usernames, options)
      : await observeEach(connector, usernames, options);
  for (const username of usernames) {
    const account = found.get(username);
    if (account) state.observed.set(username, account);
    else state.observed.delete(username);
    state.mustObserve.delete(username);
  }
  return [...found.values()];
}

/** `observe` for each username, OBSERVE_CONCURRENCY at once; missing accounts are absent. */
async function observeEach(
  connector: Connector,
  usernames: string[],
  options: { roles: string[] },
): Promise<Map<string, ObservedAccount>> {
  const accounts = await mapConcurrently(usernames, OBSERVE_CONCURRENCY, (username) =>
    connector.observe(username, options),
  );
  const found = new Map<string, ObservedAccount>();
  usernames.forEach((username, i) => {
    const account = accounts[i];
    if (account) found.set(username, account);
  });
  return found;
}
