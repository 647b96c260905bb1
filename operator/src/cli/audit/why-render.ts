/** How `roster why` reads as text: a header about the User, then one row per target and grant. Pure. */
import { renderTable, type Column, type Row } from "../output.js";
import type { Explanation, GrantMatch, TargetExplanation } from "./why.js";

export const WHY_COLUMNS: Column[] = [
  { header: "TARGET", key: "target" },
  { header: "ACCOUNT", key: "account" },
  { header: "GRANT", key: "grant" },
  { header: "MATCHED-BY", key: "matchedBy" },
  { header: "PHASE", key: "phase" },
  { header: "ROLES", key: "roles" },
  { header: "FROM", key: "from" },
  { header: "UNTIL", key: "until" },
];

function matchedBy(match: GrantMatch): string {
  return match.matchedBy
    .map((how) => (how === "selector" ? `selector ${match.selector.join(", ")}` : how))
    .join(" + ");
}

function targetRows(t: TargetExplanation): Row[] {
  const account = t.account?.state;
  if (t.grants.length === 0)
    return [{ target: t.target, account, grant: undefined, matchedBy: "no grant selects the User" }];
  return t.grants.map((g) => ({
    target: t.target,
    account,
    grant: g.grant,
    matchedBy: matchedBy(g),
    phase: g.phase,
    roles: g.roles,
    from: g.from,
    until: g.until,
  }));
}

export function whyRows(explanation: Explanation): Row[] {
  return explanation.targets.flatMap(targetRows);
}

export function renderWhy(explanation: Explanation): string {
  const e = explanation;
  const labels = Object.entries(e.labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`);
  const lines = [
    `User ${e.user} (username ${e.username}): state ${e.state}; access ${e.phase} (${e.reason})`,
    `Labels: ${labels.length > 0 ? labels.join(", ") : "<none>"}`,
    `Next change: ${e.next ? `${e.next.at}: ${e.next.what}` : "none scheduled"}`,
    "",
  ];
  const problems = e.targets
    .filter((t) => t.account?.lastError)
    .map((t) => `${t.target}: last error: ${t.account?.lastError}`);
  const table = e.targets.length > 0 ? renderTable(WHY_COLUMNS, whyRows(e)) : "No grant selects this User.\n";
  return lines.join("\n") + "\n" + table + (problems.length > 0 ? `\n${problems.join("\n")}\n` : "");
}
