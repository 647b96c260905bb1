// ClusterRole aggregation, as the clusterrole-aggregation controller does it: a ClusterRole with
// an aggregationRule gets the union of the rules of every other ClusterRole whose labels match
// one of its clusterRoleSelectors. Aggregated roles can feed other aggregated roles (view -> edit
// -> admin), so this iterates to a fixed point.
import type { LabelSelector, LabelSelectorRequirement, PolicyRule, RoleLike } from "./types.js";

function requirementMatches(labels: Record<string, string>, req: LabelSelectorRequirement): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const values = req.values ?? [];
  switch (req.operator) {
    case "In":
      return has && values.includes(labels[req.key] ?? "");
    case "NotIn":
      return !has || !values.includes(labels[req.key] ?? "");
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    default:
      return false;
  }
}

/** metav1.LabelSelector semantics: every matchLabels pair and every expression must hold; {} matches all. */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string> = {}): boolean {
  const pairs = Object.entries(selector.matchLabels ?? {});
  const pairsOk = pairs.every(
    ([key, value]) => Object.prototype.hasOwnProperty.call(labels, key) && labels[key] === value,
  );
  return pairsOk && (selector.matchExpressions ?? []).every((req) => requirementMatches(labels, req));
}

const ruleKey = (rule: PolicyRule): string =>
  JSON.stringify([
    rule.verbs ?? [],
    rule.apiGroups ?? [],
    rule.resources ?? [],
    rule.resourceNames ?? [],
    rule.nonResourceURLs ?? [],
  ]);

function unionRules(lists: PolicyRule[][]): PolicyRule[] {
  const seen = new Set<string>();
  const out: PolicyRule[] = [];
  for (const rule of lists.flat()) {
    const key = ruleKey(rule);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(rule);
    }
  }
  return out;
}

function aggregateOnce(roles: RoleLike[]): { roles: RoleLike[]; changed: boolean } {
  let changed = false;
  const next = roles.map((role) => {
    const selectors = role.aggregationRule?.clusterRoleSelectors;
    if (!selectors) return role;
    const sources = roles.filter(
      (other) =>
        other !== role &&
        selectors.some((selector) => selectorMatches(selector, other.metadata?.labels ?? {})),
    );
    const rules = unionRules(sources.map((source) => source.rules ?? []));
    if (ruleKeys(rules) === ruleKeys(role.rules ?? [])) return role;
    changed = true;
    return { ...role, rules };
  });
  return { roles: next, changed };
}

const ruleKeys = (rules: PolicyRule[]): string => rules.map(ruleKey).join("\n");

/**
 * Returns the ClusterRoles with aggregated rules filled in (new objects for the changed ones; the
 * input is not mutated). Roles without an aggregationRule are returned as they are.
 */
export function aggregateClusterRoles(clusterRoles: RoleLike[]): RoleLike[] {
  let current = clusterRoles;
  for (let pass = 0; pass <= clusterRoles.length; pass++) {
    const { roles, changed } = aggregateOnce(current);
    current = roles;
    if (!changed) break;
  }
  return current;
}
