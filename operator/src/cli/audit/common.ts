/** Helpers the audit commands share: naming objects, finding grants, printing instants. Pure. */
import type { AccessGrant, Target, User } from "../../api/index.js";
import { grantView } from "../../controllers/views.js";
import { grantWindow, type GrantWindow } from "../../engine/lifecycle.js";
import type { GrantView } from "../../engine/model.js";
import type { KubeObject } from "../../runtime/index.js";

/** "namespace/name" of a namespaced object. */
export function keyOf(obj: { metadata: { namespace?: string; name: string } }): string {
  return `${obj.metadata.namespace ?? ""}/${obj.metadata.name}`;
}

/** Which Targets a command looks at: a namespace (-n), a name (--target), both, or neither. */
export interface TargetFilter {
  namespace?: string;
  name?: string;
}

/**
 * The filter from `--target` ("ns/name", or a name in any namespace) and `-n NAMESPACE`;
 * undefined when the two disagree about the namespace.
 */
export function targetFilter(target?: string, namespace?: string): TargetFilter | undefined {
  const slash = target?.indexOf("/") ?? -1;
  const fromTarget = target !== undefined && slash >= 0 ? target.slice(0, slash) : undefined;
  if (fromTarget !== undefined && namespace !== undefined && fromTarget !== namespace) return undefined;
  const filter: TargetFilter = {};
  const ns = fromTarget ?? namespace;
  if (ns !== undefined) filter.namespace = ns;
  if (target !== undefined) filter.name = target.slice(slash + 1);
  return filter;
}

/** Whether the Target with this "namespace/name" key passes the filter. */
export function targetMatches(filter: TargetFilter | undefined, key: string): boolean {
  const slash = key.indexOf("/");
  if (filter?.namespace !== undefined && key.slice(0, slash) !== filter.namespace) return false;
  return filter?.name === undefined || key.slice(slash + 1) === filter.name;
}

/** Whether a --user filter names this User (its object name or its username). */
export function userMatches(filter: string | undefined, user: User): boolean {
  return filter === undefined || user.metadata.name === filter || user.spec.username === filter;
}

export function findUser(users: readonly User[], name: string): User | undefined {
  return users.find((user) => userMatches(name, user));
}

/** An instant as RFC 3339 in UTC, to the second. */
export function formatInstant(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A parsed timestamp, or undefined when absent or unparseable. */
export function parseInstant(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function viewOf(grant: AccessGrant): GrantView {
  return grantView(grant as unknown as KubeObject);
}

/** A grant's window; a grant whose times cannot be read has none. */
export function windowOf(grant: AccessGrant): GrantWindow {
  try {
    return grantWindow(viewOf(grant));
  } catch {
    return { from: undefined, until: undefined };
  }
}

export function grantsByKey(grants: readonly AccessGrant[]): Map<string, AccessGrant> {
  return new Map(grants.map((grant) => [keyOf(grant), grant]));
}

/** The grants in a Target's namespace that point at it. */
export function grantsFor(target: Target, grants: readonly AccessGrant[]): AccessGrant[] {
  return grants.filter(
    (g) => g.metadata.namespace === target.metadata.namespace && g.spec.target === target.metadata.name,
  );
}

export const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
