// The RBAC authorizer: allows a request when some binding that applies to the subject grants a
// rule that covers it. Semantics follow Kubernetes' rbac authorizer:
//   - ClusterRoleBindings apply everywhere; RoleBindings only to requests in their namespace
//     (a RoleBinding to a ClusterRole grants that ClusterRole's rules in the binding's namespace);
//   - non-resource URLs are only granted through ClusterRoleBindings;
//   - "pods" does not cover "pods/status"; "*/status" covers every status subresource;
//   - resourceNames restrict a rule to requests that carry one of those names;
//   - the group "system:masters" is always allowed (kube-apiserver's privileged group).
import { aggregateClusterRoles } from "./aggregation.js";
import {
  isResourceRequest,
  type Attributes,
  type BindingLike,
  type Decision,
  type PolicyRule,
  type RbacState,
  type RbacSubject,
  type ResourceAttributes,
  type RoleLike,
  type Subject,
} from "./types.js";

export const SUPERUSER_GROUP = "system:masters";
const RBAC_GROUP = "rbac.authorization.k8s.io";

const has = (list: string[] | undefined, value: string): boolean => (list ?? []).includes(value);

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return has(rule.verbs, "*") || has(rule.verbs, verb);
}

function resourceMatches(rule: PolicyRule, attrs: ResourceAttributes): boolean {
  const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  return (rule.resources ?? []).some(
    (r) =>
      r === "*" ||
      r === combined ||
      (attrs.subresource !== undefined && attrs.subresource !== "" && r === `*/${attrs.subresource}`),
  );
}

function nonResourceURLMatches(rule: PolicyRule, url: string): boolean {
  return (rule.nonResourceURLs ?? []).some(
    (r) => r === "*" || r === url || (r.endsWith("*") && url.startsWith(r.slice(0, -1))),
  );
}

/** True when `rule` covers the request described by `attributes`. */
export function ruleAllows(rule: PolicyRule, attributes: Attributes): boolean {
  if (!verbMatches(rule, attributes.verb)) return false;
  if (!isResourceRequest(attributes)) return nonResourceURLMatches(rule, attributes.nonResourceURL);
  const names = rule.resourceNames ?? [];
  return (
    (has(rule.apiGroups, "*") || has(rule.apiGroups, attributes.apiGroup)) &&
    resourceMatches(rule, attributes) &&
    (names.length === 0 || (attributes.name !== undefined && names.includes(attributes.name)))
  );
}

/** The username a ServiceAccount authenticates as. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** The groups a ServiceAccount belongs to (Kubernetes adds these to every SA token). */
export function serviceAccountGroups(namespace: string): string[] {
  return ["system:serviceaccounts", `system:serviceaccounts:${namespace}`, "system:authenticated"];
}

function subjectApplies(subject: Subject, rbacSubject: RbacSubject, bindingNamespace: string): boolean {
  switch (rbacSubject.kind) {
    case "User":
      return subject.user === rbacSubject.name;
    case "Group":
      return subject.groups.includes(rbacSubject.name);
    case "ServiceAccount": {
      const ns = rbacSubject.namespace || bindingNamespace;
      return subject.user === serviceAccountUsername(ns, rbacSubject.name);
    }
    default:
      return false;
  }
}

interface Grant {
  binding: BindingLike;
  bindingKind: "RoleBinding" | "ClusterRoleBinding";
  subject: RbacSubject;
  rules: PolicyRule[];
}

interface Lookup {
  roles: RoleLike[];
  clusterRoles: RoleLike[];
  errors: string[];
}

function rulesFor(binding: BindingLike, namespace: string, lookup: Lookup): PolicyRule[] {
  const { kind, name } = binding.roleRef;
  if (kind === "ClusterRole") {
    const role = lookup.clusterRoles.find((r) => r.metadata?.name === name);
    if (!role) lookup.errors.push(`clusterrole.${RBAC_GROUP} ${JSON.stringify(name)} not found`);
    return role?.rules ?? [];
  }
  if (kind === "Role") {
    const role = lookup.roles.find(
      (r) => r.metadata?.name === name && (r.metadata?.namespace ?? "") === namespace,
    );
    if (!role) lookup.errors.push(`role.${RBAC_GROUP} ${JSON.stringify(name)} not found`);
    return role?.rules ?? [];
  }
  return [];
}

function* grants(subject: Subject, namespace: string, state: RbacState, lookup: Lookup): Generator<Grant> {
  const scopes: Array<["ClusterRoleBinding" | "RoleBinding", BindingLike[]]> = [
    ["ClusterRoleBinding", state.clusterRoleBindings],
  ];
  if (namespace)
    scopes.push([
      "RoleBinding",
      state.roleBindings.filter((b) => (b.metadata?.namespace ?? "") === namespace),
    ]);
  for (const [bindingKind, bindings] of scopes) {
    const bindingNamespace = bindingKind === "RoleBinding" ? namespace : "";
    for (const binding of bindings) {
      const subjectMatch = (binding.subjects ?? []).find((s) => subjectApplies(subject, s, bindingNamespace));
      if (!subjectMatch) continue;
      yield {
        binding,
        bindingKind,
        subject: subjectMatch,
        rules: rulesFor(binding, bindingNamespace, lookup),
      };
    }
  }
}

function describeGrant(grant: Grant, namespace: string): string {
  const name = grant.binding.metadata?.name ?? "";
  const bindingName = grant.bindingKind === "RoleBinding" ? `${namespace}/${name}` : name;
  const s = grant.subject;
  const subjectName = s.kind === "ServiceAccount" ? `${s.name}/${s.namespace || namespace}` : s.name;
  return `${grant.bindingKind} ${JSON.stringify(bindingName)} of ${grant.binding.roleRef.kind} ${JSON.stringify(grant.binding.roleRef.name)} to ${s.kind} ${JSON.stringify(subjectName)}`;
}

// Aggregation is recomputed only when the server hands over a different clusterRoles array.
const aggregated = new WeakMap<RoleLike[], RoleLike[]>();
function effectiveClusterRoles(clusterRoles: RoleLike[]): RoleLike[] {
  let result = aggregated.get(clusterRoles);
  if (!result) {
    result = aggregateClusterRoles(clusterRoles);
    aggregated.set(clusterRoles, result);
  }
  return result;
}

/**
 * Decides one request. `reason` explains an allow ("RBAC: allowed by ...") and, on a deny, is
 * empty unless a binding referenced a missing role ("RBAC: clusterrole... not found"), which is
 * what Kubernetes appends to the Forbidden message. Pass a new clusterRoles array after a
 * ClusterRole changes (aggregation results are cached per array instance).
 */
export function authorize(subject: Subject, attributes: Attributes, rbac: RbacState): Decision {
  if (subject.groups.includes(SUPERUSER_GROUP)) return { allowed: true, reason: "" };
  const namespace = isResourceRequest(attributes) ? (attributes.namespace ?? "") : "";
  const lookup: Lookup = {
    roles: rbac.roles,
    clusterRoles: effectiveClusterRoles(rbac.clusterRoles),
    errors: [],
  };
  for (const grant of grants(subject, namespace, rbac, lookup)) {
    if (grant.rules.some((rule) => ruleAllows(rule, attributes))) {
      return { allowed: true, reason: `RBAC: allowed by ${describeGrant(grant, namespace)}` };
    }
  }
  const errors = lookup.errors;
  if (errors.length === 0) return { allowed: false, reason: "" };
  return { allowed: false, reason: `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`}` };
}
