/**
 * Accounts that need a person's attention: orphans (accounts Roster created that no User wants
 * any more) from the Targets' status, and conflicts (an account Roster does not own holds a
 * User's name) from the Users' status. Pure.
 */
import type { Snapshot } from "../cluster.js";
import type { Column, Row } from "../output.js";
import { byKey, keyOf, targetMatches, type TargetFilter } from "./common.js";

export interface OrphanRow extends Row {
  target: string;
  kind: "orphan" | "conflict";
  account: string | undefined;
  user: string | undefined;
  detail: string;
}

export const ORPHAN_COLUMNS: Column[] = [
  { header: "TARGET", key: "target" },
  { header: "KIND", key: "kind" },
  { header: "ACCOUNT", key: "account" },
  { header: "USER", key: "user" },
  { header: "DETAIL", key: "detail" },
];

/**
 * Orphans of each Target: named from status.orphans (the first 100) and from a published plan
 * acting on an account no User has; any remainder of counts.orphaned is reported as a count.
 */
function targetOrphans(snapshot: Snapshot, usernames: Set<string>): OrphanRow[] {
  const rows: OrphanRow[] = [];
  for (const target of snapshot.targets) {
    const key = keyOf(target);
    const named = new Map<string, string[]>();
    for (const account of target.status?.orphans ?? []) if (!usernames.has(account)) named.set(account, []);
    for (const op of target.status?.plan?.operations ?? []) {
      if (usernames.has(op.username)) continue;
      named.set(op.username, [...(named.get(op.username) ?? []), op.operation]);
    }
    const policy = target.spec.orphanPolicy ?? "Report";
    for (const [account, ops] of named)
      rows.push({
        target: key,
        kind: "orphan",
        account,
        user: undefined,
        detail: ops.length > 0 ? `planned: ${ops.join(", ")}` : `no User wants it (orphanPolicy ${policy})`,
      });
    const unnamed = (target.status?.counts?.orphaned ?? 0) - named.size;
    if (unnamed > 0) {
      rows.push({
        target: key,
        kind: "orphan",
        account: undefined,
        user: undefined,
        detail:
          named.size > 0
            ? `${unnamed} more orphaned account(s) counted by the last full sync (orphanPolicy ${policy})`
            : `${unnamed} orphaned account(s) counted by the last full sync (orphanPolicy ${policy}); status does not name them`,
      });
    }
  }
  return rows;
}

function conflicts(snapshot: Snapshot): OrphanRow[] {
  const rows: OrphanRow[] = [];
  for (const user of snapshot.users) {
    for (const account of user.status?.accounts ?? []) {
      if (account.state !== "Conflict") continue;
      rows.push({
        target: account.target,
        kind: "conflict",
        account: account.accountId ?? user.spec.username,
        user: user.metadata.name,
        detail: account.lastError ?? "an account Roster does not own has this name",
      });
    }
  }
  return rows;
}

export function orphanRows(snapshot: Snapshot, target?: TargetFilter): OrphanRow[] {
  const usernames = new Set(snapshot.users.map((u) => u.spec.username));
  return [...targetOrphans(snapshot, usernames), ...conflicts(snapshot)]
    .filter((row) => targetMatches(target, row.target))
    .sort(
      (a, b) =>
        byKey(a.target, b.target) || byKey(a.kind, b.kind) || byKey(a.account ?? "~", b.account ?? "~"),
    );
}
