/**
 * Finding accounts by username, one at a time or many per search. A search for one username may
 * match several entries (the naming attributes compare case-insensitively); the pick rules below
 * decide which one is the account, the same for `observe`, `apply` and the bulk paths.
 */
import type { Entry } from "ldapts";
import { TerminalError, type RosterError } from "../../errors.js";

/** Usernames per bulk search: keeps OR filters well under server limits. */
export const LOOKUP_CHUNK = 200;

/** What a lookup of one username found: its entry (undefined when none), or why it failed. */
export type AccountLookup = { entry: Entry | undefined } | { error: RosterError };

/**
 * The account among the entries a search for `username` returned: the one whose username is
 * exactly `username` when there is exactly one such, otherwise the only entry found; undefined
 * when none. More than one candidate is ambiguous (terminal: an administrator must resolve it).
 */
export function pickAccount(
  found: readonly Entry[],
  username: string,
  usernameOf: (entry: Entry) => string,
  baseDN: string,
): Entry | undefined {
  const exact = found.filter((entry) => usernameOf(entry) === username);
  const pick = exact.length === 1 ? exact : found;
  if (pick.length > 1) {
    throw new TerminalError(
      "AmbiguousAccount",
      `${pick.length} entries under ${baseDN} match account "${username}"`,
    );
  }
  return pick[0];
}

export interface Assignment {
  /** Per username, the entries whose lookup keys share one with it (in search order). */
  candidates: Map<string, Entry[]>;
  /** Whether some entry matched no username's keys (the server matched it by rules we do not model). */
  unassigned: boolean;
}

/**
 * Distributes the entries a bulk search returned over the usernames searched for, by lookup keys
 * (normalized forms of the values the filter compared, e.g. lower-cased uid). An entry can be a
 * candidate of several usernames, exactly as it would be returned by each one's own search.
 */
export function assignEntries(
  usernames: readonly string[],
  entries: readonly Entry[],
  usernameKeys: (username: string) => string[],
  entryKeys: (entry: Entry) => string[],
): Assignment {
  const byKey = new Map<string, Entry[]>();
  for (const entry of entries) {
    for (const key of new Set(entryKeys(entry))) byKey.set(key, [...(byKey.get(key) ?? []), entry]);
  }
  const candidates = new Map<string, Entry[]>();
  const assigned = new Set<Entry>();
  for (const username of usernames) {
    const matched = new Set(usernameKeys(username).flatMap((key) => byKey.get(key) ?? []));
    const ordered = entries.filter((entry) => matched.has(entry));
    ordered.forEach((entry) => assigned.add(entry));
    candidates.set(username, ordered);
  }
  return { candidates, unassigned: entries.some((entry) => !assigned.has(entry)) };
}
