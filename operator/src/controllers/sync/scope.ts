import { createHash } from "node:crypto";
import type { AccountIntent, TargetDesiredState } from "../../engine/desired.js";
import type { TargetState } from "./target-state.js";

/** A stable fingerprint of an intent: equal fingerprints need no work in the target. */
export function intentFingerprint(intent: AccountIntent): string {
  const roles = Object.keys(intent.roles).sort();
  const attributes = Object.keys(intent.attributes)
    .sort()
    .map((k) => [k, intent.attributes[k]]);
  const json = JSON.stringify([
    intent.wanted,
    intent.enabled,
    intent.reason,
    roles,
    attributes,
    intent.validUntil,
  ]);
  // A digest, not the JSON itself: one is kept per account per Target.
  return createHash("sha1").update(json).digest("base64");
}

/**
 * The usernames an incremental sync must look at: those whose intent changed since it was last
 * made true, and those whose last attempt did not finish (no converged fingerprint).
 * Users that are not wanted and never had an account here are skipped.
 */
export function changedUsernames(desired: TargetDesiredState, state: TargetState): string[] {
  const out: string[] = [];
  for (const [username, intent] of desired.accounts) {
    const converged = state.converged.get(username);
    if (converged === intentFingerprint(intent)) continue;
    if (!intent.wanted && converged === undefined && !state.observed.has(username)) {
      state.converged.set(username, intentFingerprint(intent));
      continue;
    }
    out.push(username);
  }
  return out;
}

/** Restricts a desired state to some usernames (for an incremental plan). */
export function restrictTo(desired: TargetDesiredState, usernames: readonly string[]): TargetDesiredState {
  const accounts = new Map<string, AccountIntent>();
  for (const username of usernames) {
    const intent = desired.accounts.get(username);
    if (intent) accounts.set(username, intent);
  }
  return { ...desired, accounts };
}
