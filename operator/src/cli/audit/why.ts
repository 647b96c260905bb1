/**
 * Why a User has the access they have, target by target: which AccessGrants select them
 * (named explicitly, or by a selector — with the labels that match), each grant's phase and
 * window, and what changes next by the clock. The decisions are the engine's (grantSelects,
 * grantPhase, userLifecycle); this only explains them. Pure.
 */
import type { AccessGrant, AccountStatus, Target, User } from "../../api/index.js";
import { userView } from "../../controllers/views.js";
import { grantSelects } from "../../engine/desired.js";
import { grantPhase, userLifecycle, type GrantPhase, type Phase } from "../../engine/lifecycle.js";
import type { LabelSelector, UserView } from "../../engine/model.js";
import type { KubeObject } from "../../runtime/index.js";
import type { Snapshot } from "../cluster.js";
import {
  byKey,
  formatInstant,
  grantsFor,
  keyOf,
  parseInstant,
  targetMatches,
  viewOf,
  windowOf,
  type TargetFilter,
} from "./common.js";

export interface GrantMatch {
  grant: string;
  /** "explicit", "selector", or both. */
  matchedBy: string[];
  /** The selector's requirements as they hold for this User, e.g. "roster.dev/department=sales". */
  selector: string[];
  phase: GrantPhase;
  roles: string[];
  from: string | undefined;
  until: string | undefined;
}

export interface TargetExplanation {
  target: string;
  account: Pick<AccountStatus, "state" | "accountId" | "roles" | "lastError"> | undefined;
  grants: GrantMatch[];
}

export interface NextChange {
  at: string;
  what: string;
}

export interface Explanation {
  user: string;
  username: string;
  state: string;
  phase: Phase;
  reason: string;
  labels: Record<string, string>;
  next: NextChange | undefined;
  targets: TargetExplanation[];
}

/** The selector's requirements, each shown with the User's value that satisfies it. */
export function describeSelector(selector: LabelSelector, labels: Record<string, string>): string[] {
  const parts = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const req of selector.matchExpressions ?? []) {
    const values = (req.values ?? []).join(",");
    const has = labels[req.key] !== undefined ? `=${labels[req.key]}` : " unset";
    if (req.operator === "In") parts.push(`${req.key} in (${values}): ${req.key}${has}`);
    if (req.operator === "NotIn") parts.push(`${req.key} notin (${values}): ${req.key}${has}`);
    if (req.operator === "Exists")
      parts.push(`${req.key} exists${has === " unset" ? "" : `: ${req.key}${has}`}`);
    if (req.operator === "DoesNotExist") parts.push(`!${req.key}`);
  }
  return parts.length > 0 ? parts : ["{} (every User)"];
}

function grantMatch(grant: AccessGrant, user: UserView, now: number): GrantMatch | undefined {
  const view = viewOf(grant);
  if (!grantSelects(view, user)) return undefined;
  const { users, selector } = view.spec.subjects;
  const explicit = users?.includes(user.name) ?? false;
  const bySelector =
    selector !== undefined && grantSelects({ ...view, spec: { ...view.spec, subjects: { selector } } }, user);
  const window = windowOf(grant);
  return {
    grant: keyOf(grant),
    matchedBy: [...(explicit ? ["explicit"] : []), ...(bySelector ? ["selector"] : [])],
    selector: bySelector && selector ? describeSelector(selector, user.labels) : [],
    phase: grantPhase(view, now),
    roles: [...view.spec.roles].sort(byKey),
    from: formatInstant(window.from),
    until: formatInstant(window.until),
  };
}

function explainTarget(target: Target, snapshot: Snapshot, user: User, now: number): TargetExplanation {
  const view = userView(user as unknown as KubeObject);
  const key = keyOf(target);
  const grants = grantsFor(target, snapshot.grants)
    .map((grant) => grantMatch(grant, view, now))
    .filter((m): m is GrantMatch => m !== undefined)
    .sort((a, b) => byKey(a.grant, b.grant));
  const entry = user.status?.accounts?.find((a) => a.target === key);
  const account = entry
    ? { state: entry.state, accountId: entry.accountId, roles: entry.roles, lastError: entry.lastError }
    : undefined;
  return { target: key, account, grants };
}

/** The earliest clock-driven change after now: the user's start or end, a grant starting or ending. */
function nextChange(user: User, targets: readonly TargetExplanation[], now: number): NextChange | undefined {
  const events: { at: number; what: string }[] = [];
  const add = (at: number | undefined, what: string) => {
    if (at !== undefined && at > now) events.push({ at, what });
  };
  add(parseInstant(user.spec.startDate), "the User's startDate: accounts are enabled");
  add(parseInstant(user.spec.endDate), "the User's endDate: access ends everywhere");
  for (const t of targets) {
    for (const g of t.grants) {
      add(parseInstant(g.from), `grant ${g.grant} starts (${t.target})`);
      add(parseInstant(g.until), `grant ${g.grant} expires (${t.target})`);
    }
  }
  events.sort((a, b) => a.at - b.at || byKey(a.what, b.what));
  const first = events[0];
  return first ? { at: formatInstant(first.at) as string, what: first.what } : undefined;
}

export function explain(snapshot: Snapshot, user: User, now: number, filter?: TargetFilter): Explanation {
  const life = userLifecycle(userView(user as unknown as KubeObject), now);
  const accountTargets = new Set((user.status?.accounts ?? []).map((a) => a.target));
  const targets = snapshot.targets
    .filter((target) => targetMatches(filter, keyOf(target)))
    .map((target) => explainTarget(target, snapshot, user, now))
    .filter((t) => t.grants.length > 0 || accountTargets.has(t.target))
    .sort((a, b) => byKey(a.target, b.target));
  return {
    user: user.metadata.name,
    username: user.spec.username,
    state: user.spec.state ?? "Active",
    phase: life.phase,
    reason: life.reason,
    labels: user.metadata.labels ?? {},
    next: nextChange(user, targets, now),
    targets,
  };
}
