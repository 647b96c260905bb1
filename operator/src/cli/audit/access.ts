/**
 * Who has what: one row per account in Users' status — target, account id, state, roles, the
 * AccessGrants that give it, since when and until when. Pure over a snapshot of the cluster.
 */
import type { AccessGrant, AccountStatus, User } from "../../api/index.js";
import type { Snapshot } from "../cluster.js";
import type { Column, Row } from "../output.js";
import {
  byKey,
  formatInstant,
  grantsByKey,
  parseInstant,
  targetMatches,
  userMatches,
  windowOf,
  type TargetFilter,
} from "./common.js";

export interface AccessFilter {
  user?: string;
  target?: TargetFilter;
}

export interface AccessRow extends Row {
  user: string;
  username: string;
  target: string;
  account: string | undefined;
  state: AccountStatus["state"];
  enabled: boolean;
  roles: string[];
  grants: string[];
  since: string | undefined;
  until: string | undefined;
}

export const ACCESS_COLUMNS: Column[] = [
  { header: "USER", key: "user" },
  { header: "TARGET", key: "target" },
  { header: "ACCOUNT", key: "account" },
  { header: "STATE", key: "state" },
  { header: "ENABLED", key: "enabled" },
  { header: "ROLES", key: "roles" },
  { header: "GRANTS", key: "grants" },
  { header: "SINCE", key: "since" },
  { header: "UNTIL", key: "until" },
];

/**
 * Since: the latest of the User's startDate and the earliest start of the granting grants
 * (validFrom, or creation); the last sync when no grant is known.
 * Until: the earliest of the User's endDate and the latest end of the granting grants (a grant
 * without an end keeps access open).
 */
export function accessWindow(
  user: User,
  account: AccountStatus,
  grants: readonly AccessGrant[],
): { since: number | undefined; until: number | undefined } {
  const windows = grants.map(windowOf);
  const starts = windows.map((w) => w.from).filter((t): t is number => t !== undefined);
  const grantStart = starts.length > 0 ? Math.min(...starts) : parseInstant(account.lastSyncTime);
  const userStart = parseInstant(user.spec.startDate);
  const since = grantStart === undefined ? userStart : Math.max(grantStart, userStart ?? -Infinity);
  const open = windows.length === 0 || windows.some((w) => w.until === undefined);
  const grantEnd = open ? undefined : Math.max(...windows.map((w) => w.until as number));
  const userEnd = parseInstant(user.spec.endDate);
  const ends = [grantEnd, userEnd].filter((t): t is number => t !== undefined);
  return { since, until: ends.length > 0 ? Math.min(...ends) : undefined };
}

export function accessRows(snapshot: Snapshot, filter: AccessFilter): AccessRow[] {
  const grants = grantsByKey(snapshot.grants);
  const rows: AccessRow[] = [];
  for (const user of snapshot.users) {
    if (!userMatches(filter.user, user)) continue;
    for (const account of user.status?.accounts ?? []) {
      if (!targetMatches(filter.target, account.target)) continue;
      const granting = (account.grants ?? []).map((key) => grants.get(key)).filter((g) => g !== undefined);
      const window = accessWindow(user, account, granting);
      rows.push({
        user: user.metadata.name,
        username: user.spec.username,
        target: account.target,
        account: account.accountId,
        state: account.state,
        enabled: account.state === "Provisioned",
        roles: [...(account.roles ?? [])].sort(byKey),
        grants: [...(account.grants ?? [])].sort(byKey),
        since: formatInstant(window.since),
        until: formatInstant(window.until),
      });
    }
  }
  return rows.sort((a, b) => byKey(a.user, b.user) || byKey(a.target, b.target));
}
