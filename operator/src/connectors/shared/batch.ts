/**
 * Building blocks for a connector's optional `applyBatch` (see engine/connector.ts): settle
 * changes into outcomes, dispatch a batch by operation to coalescing handlers, and split
 * membership changes into one delta per role. Every connector uses these, so the batch contract
 * (one outcome per change, input order, never rejects) is kept in one place.
 */
import type {
  AccountChange,
  AccountOperation,
  ApplyResult,
  BatchOptions,
  BatchOutcome,
} from "../../engine/connector.js";
import { TransientError, isRosterError, type RosterError } from "../../errors.js";
import { mapConcurrently } from "../../runtime/batching.js";

export type Apply = (change: AccountChange) => Promise<ApplyResult>;

/** A batch handler: one outcome per change, in input order; may reject only on a bug. */
export type BatchHandler = (changes: AccountChange[], options: BatchOptions) => Promise<BatchOutcome[]>;

export type MembershipChange = Extract<AccountChange, { op: "addRoles" | "removeRoles" }>;

/** Per role: the usernames to add to it and to remove from it. */
export interface RoleDelta {
  role: string;
  add: string[];
  remove: string[];
}

/** Any thrown value as a RosterError (unclassified failures are retried). */
export function asRosterError(err: unknown): RosterError {
  return isRosterError(err) ? err : new TransientError("Unexpected", String(err), { cause: err });
}

/** What `apply` gives for one change, as an outcome; never rejects. */
export async function settle(apply: Apply, change: AccountChange): Promise<BatchOutcome> {
  try {
    return { ok: true, result: await apply(change) };
  } catch (err) {
    return { ok: false, error: asRosterError(err) };
  }
}

/** Applies each change through `apply`, at most `concurrency` at once; outcomes in input order. */
export function settleEach(
  apply: Apply,
  changes: readonly AccountChange[],
  concurrency: number,
): Promise<BatchOutcome[]> {
  return mapConcurrently(changes, concurrency, (change) => settle(apply, change));
}

/**
 * Runs a batch: changes whose operation has a handler go to it together (handlers run one after
 * the other, in the order given), the rest through `apply` with the batch's concurrency. A
 * handler that rejects fails its own changes with that error, nothing else. Outcomes come back
 * in input order.
 */
export async function dispatchBatch(
  changes: readonly AccountChange[],
  options: BatchOptions,
  apply: Apply,
  handlers: Partial<Record<AccountOperation, BatchHandler>>,
): Promise<BatchOutcome[]> {
  const outcomes = new Array<BatchOutcome>(changes.length);
  const byOp = new Map<AccountOperation | "apply", number[]>();
  changes.forEach((change, index) => {
    const key = handlers[change.op] ? change.op : "apply";
    byOp.set(key, [...(byOp.get(key) ?? []), index]);
  });
  for (const [key, indexes] of byOp) {
    const picked = indexes.map((i) => changes[i] as AccountChange);
    const handler = key === "apply" ? undefined : handlers[key];
    let results: BatchOutcome[];
    try {
      results = handler
        ? await handler(picked, options)
        : await settleEach(apply, picked, options.concurrency);
    } catch (err) {
      const error = asRosterError(err);
      results = picked.map(() => ({ ok: false, error }));
    }
    indexes.forEach((changeIndex, i) => {
      outcomes[changeIndex] = results[i] ?? {
        ok: false,
        error: new TransientError("Unexpected", "the batch returned no outcome for this change"),
      };
    });
  }
  return outcomes;
}

/** One delta per role touched, roles and usernames in first-seen order. */
export function roleDeltas(changes: readonly MembershipChange[]): RoleDelta[] {
  const deltas = new Map<string, RoleDelta>();
  for (const change of changes) {
    for (const role of change.roles) {
      const delta = deltas.get(role) ?? { role, add: [], remove: [] };
      (change.op === "addRoles" ? delta.add : delta.remove).push(change.username);
      deltas.set(role, delta);
    }
  }
  return [...deltas.values()];
}

/**
 * The outcome of each membership change after its account was checked and its roles written
 * per role: it fails with its account's error if that check failed, else with the error of the
 * first of its roles whose write failed; otherwise it succeeded with the account's id.
 */
export function membershipOutcomes(
  changes: readonly MembershipChange[],
  accountErrors: ReadonlyMap<string, RosterError>,
  roleErrors: ReadonlyMap<string, RosterError>,
  idOf: (username: string) => string | undefined,
): BatchOutcome[] {
  return changes.map((change) => {
    const error =
      accountErrors.get(change.username) ??
      change.roles.map((role) => roleErrors.get(role)).find((e) => e !== undefined);
    return error ? { ok: false, error } : { ok: true, result: { id: idOf(change.username) } };
  });
}
