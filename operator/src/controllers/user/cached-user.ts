import { createHash } from "node:crypto";
import { deepEqual, type KubeObject } from "../../runtime/index.js";

/**
 * What the operator keeps of a User in its informer cache. `status.accounts` (an entry per
 * Target, most of a User's size) is written by the user controller from the target syncs' own
 * state and never read back, only compared to see whether a write is needed: the cache keeps a
 * digest of it in its place. Everything else stays as the API server sent it.
 */
export function compactUserForCache(obj: KubeObject): KubeObject {
  const status = obj.status as Record<string, unknown> | undefined;
  if (!status || !Array.isArray(status.accounts)) return obj;
  return { ...obj, status: compactUserStatus(status) };
}

/**
 * `status` with `accounts` replaced by its digest (idempotent). Two statuses are the same when
 * their compact forms are deep-equal.
 */
export function compactUserStatus(status: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(status.accounts)) return status;
  return { ...status, accounts: accountsDigest(status.accounts) };
}

/** Whether writing `status` would change the User's status as cached (compacted or not). */
export function userStatusUnchanged(cached: KubeObject, status: Record<string, unknown>): boolean {
  const current = cached.status as Record<string, unknown> | undefined;
  return current !== undefined && deepEqual(compactUserStatus(current), compactUserStatus(status));
}

function accountsDigest(accounts: unknown[]): string {
  return `sha1:${createHash("sha1").update(canonicalJson(accounts)).digest("base64")}`;
}

/** JSON with object keys sorted, so equal values give equal text whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
