/**
 * Impersonation (`kubectl --as=... --as-group=...`): the Impersonate-User / -Group headers
 * replace the caller's identity when the caller may impersonate (admin, or RBAC verb
 * "impersonate" on users / serviceaccounts / groups).
 */
import type { IncomingHttpHeaders } from "node:http";
import { forbidden } from "../errors.js";
import type { UserInfo } from "./authn.js";
import type { Authorizer } from "./authz.js";

const SA_PREFIX = "system:serviceaccount:";

function headerValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : value.split(",")).map((v) => v.trim()).filter((v) => v !== "");
}

function checkAllowed(caller: UserInfo, authorizer: Authorizer, target: string, groups: string[]): void {
  if (caller.admin) return;
  const sa = target.startsWith(SA_PREFIX) ? target.slice(SA_PREFIX.length).split(":") : undefined;
  const checks = [
    sa
      ? { resource: "serviceaccounts", namespace: sa[0] ?? "", name: sa[1] ?? "" }
      : { resource: "users", name: target },
    ...groups.map((g) => ({ resource: "groups", name: g })),
  ];
  for (const check of checks) {
    const decision = authorizer({ user: caller, verb: "impersonate", apiGroup: "", ...check });
    if (!decision.allowed)
      throw forbidden(
        `${check.resource} "${check.name}" is forbidden: User "${caller.name}" cannot impersonate resource "${check.resource}" in API group ""${"namespace" in check ? ` in the namespace "${check.namespace}"` : " at the cluster scope"}`,
      );
  }
}

/** The effective user of a request (the caller itself when no impersonation is asked). */
export function impersonate(
  caller: UserInfo,
  headers: IncomingHttpHeaders,
  authorizer: Authorizer,
): UserInfo {
  const target = headerValues(headers["impersonate-user"])[0];
  if (!target) return caller;
  const groups = headerValues(headers["impersonate-group"]);
  checkAllowed(caller, authorizer, target, groups);
  const implied = target.startsWith(SA_PREFIX)
    ? [
        "system:serviceaccounts",
        `system:serviceaccounts:${target.slice(SA_PREFIX.length).split(":")[0] ?? ""}`,
      ]
    : [];
  const all = [...new Set([...groups, ...implied, "system:authenticated"])];
  return { name: target, groups: all, admin: all.includes("system:masters") };
}
