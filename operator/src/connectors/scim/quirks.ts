/**
 * Peer quirks: every deviation from RFC 7643 / 7644 this connector tolerates lives here, named,
 * so the rest of the connector can read and write plain RFC SCIM. Pure.
 *
 * Known quirks handled:
 * - Booleans sent as strings ("True" / "False", seen from Entra-era providers): `scimBoolean`.
 * - PATCH operations under `operations` instead of `Operations`: `patchRequest` (config quirk).
 * - Member removal: RFC value-path `members[value eq "id"]` or Entra-style value array
 *   (config quirk `memberRemoval`): `memberRemoval`.
 * - `add` of an existing member duplicates it on some peers (scimmy 1.3): callers add only the
 *   members missing, see `missingMembers`.
 * - PATCH answered 204 with no body (allowed by RFC 7644 §3.5.2, scimmy does it): the transport
 *   treats an empty 2xx body as "no representation".
 * - List responses with `resources` instead of `Resources`, numbers as strings: `listPage`.
 * - Filters with escape sequences are mis-read by some peers: scimmy 1.3 answers 400
 *   invalidFilter to `userName eq "a\"b"` (`isUnparsedEscapeFilter`) and compares
 *   `userName eq "a\\b"` against the still-escaped text, finding nothing (`filterMissNeedsScan`).
 *   For such values the caller confirms a miss with a paged scan and an exact comparison.
 * - enterprise `manager` as a plain string, an object, or a one-element array: `managerId`.
 */
import type { ScimQuirks } from "./config.js";
import { needsEscaping, valuePath } from "./filter.js";

export const PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export interface PatchOperation {
  op: "add" | "remove" | "replace";
  path?: string;
  value?: unknown;
}

/** A SCIM boolean, accepting the string forms some providers send; undefined when absent or unreadable. */
export function scimBoolean(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const lowered = value.trim().toLowerCase();
    if (lowered === "true") return true;
    if (lowered === "false") return false;
  }
  return undefined;
}

/** The PATCH request body for `operations`, with the operations key the peer expects. */
export function patchRequest(operations: PatchOperation[], quirks: ScimQuirks): Record<string, unknown> {
  return { schemas: [PATCH_OP_SCHEMA], [quirks.patchOperationsKey]: operations };
}

export function memberAddition(userIds: string[]): PatchOperation {
  return { op: "add", path: "members", value: userIds.map((value) => ({ value })) };
}

/** Removal of one member, in the path style the peer understands. */
export function memberRemoval(userId: string, quirks: ScimQuirks): PatchOperation {
  if (quirks.memberRemoval === "valueArray")
    return { op: "remove", path: "members", value: [{ value: userId }] };
  return { op: "remove", path: valuePath("members", "value", userId) };
}

/** Removal of several members: one operation per member, or one value array (config quirk). */
export function memberRemovals(userIds: readonly string[], quirks: ScimQuirks): PatchOperation[] {
  if (userIds.length === 0) return [];
  if (quirks.memberRemoval === "valueArray")
    return [{ op: "remove", path: "members", value: userIds.map((value) => ({ value })) }];
  return userIds.map((id) => memberRemoval(id, quirks));
}

/** Members of `wanted` not already in `current` (adding an existing member is not idempotent everywhere). */
export function missingMembers(current: readonly string[], wanted: readonly string[]): string[] {
  const present = new Set(current);
  return [...new Set(wanted)].filter((id) => !present.has(id));
}

export interface ListPage {
  resources: Record<string, unknown>[];
  totalResults: number | undefined;
  itemsPerPage: number | undefined;
}

function integer(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** Reads a ListResponse leniently; undefined when the body is not one at all. */
export function listPage(body: unknown): ListPage | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const resources =
    record.Resources ?? record.resources ?? (integer(record.totalResults) === 0 ? [] : undefined);
  if (!Array.isArray(resources)) return undefined;
  if (!resources.every((r) => typeof r === "object" && r !== null && !Array.isArray(r))) return undefined;
  return {
    resources: resources as Record<string, unknown>[],
    totalResults: integer(record.totalResults),
    itemsPerPage: integer(record.itemsPerPage),
  };
}

/** True when a 400 invalidFilter answer is explained by escape sequences the peer cannot parse. */
export function isUnparsedEscapeFilter(status: number, scimType: string | undefined, value: string): boolean {
  return status === 400 && scimType === "invalidFilter" && needsEscaping(value);
}

/**
 * Whether "no match" from an equality filter on `value` must be confirmed by a scan: only when the
 * literal carried escape sequences a peer may have compared verbatim. (Matches are always checked
 * exactly by the caller, so a mis-read filter can never select someone else.)
 */
export function filterMissNeedsScan(value: string): boolean {
  return needsEscaping(value);
}

/** The manager's SCIM id from any of the shapes providers use; undefined when absent. */
export function managerId(value: unknown): string | undefined {
  const candidate = Array.isArray(value) ? value[0] : value;
  if (typeof candidate === "string") return candidate || undefined;
  if (typeof candidate === "object" && candidate !== null) {
    const id = (candidate as Record<string, unknown>).value;
    return typeof id === "string" && id ? id : undefined;
  }
  return undefined;
}
