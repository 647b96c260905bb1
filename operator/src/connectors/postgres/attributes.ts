/**
 * What "attributes" means for a PostgreSQL role. Pure: no I/O.
 *
 * - Role properties, stored by PostgreSQL itself and enforced by it:
 *   - `connectionLimit`: `CONNECTION LIMIT` as a decimal string ("-1" = none; omitted when none);
 *   - `validUntil`: `VALID UNTIL` as `YYYY-MM-DDTHH:MM:SSZ` (omitted when the role never expires).
 *     It is also set from the contract's `validUntil` (create / update), which takes precedence.
 * - Every other attribute (displayName, email, employeeId, ...) is descriptive: PostgreSQL has no
 *   column for it, so it lives in the `attributes` object of Roster's role comment (marker.ts).
 *
 * Setting an attribute to `null` clears it: no connection limit, no expiry, or the key removed
 * from the comment.
 */
import type { AttributeValue } from "../../engine/connector.js";
import { TerminalError } from "../../errors.js";
import { normaliseInstant, parseConnectionLimit, type RoleOptions } from "./sql.js";

export const CONNECTION_LIMIT = "connectionLimit";
export const VALID_UNTIL = "validUntil";

/** A role as read from pg_roles, with its comment. */
export interface RoleRow {
  name: string;
  canLogin: boolean;
  connectionLimit: number;
  /** `YYYY-MM-DDTHH:MM:SSZ`, `infinity`, or null when never set. */
  validUntil: string | null;
  comment: string | null;
  /** Roles this role is a member of through Roster's own grants. */
  roles: string[];
}

function single(name: string, value: AttributeValue): string {
  if (typeof value === "string") return value;
  throw new TerminalError(
    "InvalidAttribute",
    `attribute ${name} of a PostgreSQL role takes one value, not a list`,
  );
}

/** The role properties among the attributes of a create / update (`null` clears). */
export function roleProperties(attributes: Record<string, AttributeValue | null>): RoleOptions {
  const options: RoleOptions = {};
  const limit = attributes[CONNECTION_LIMIT];
  if (limit !== undefined)
    options.connectionLimit = limit === null ? -1 : parseConnectionLimit(single(CONNECTION_LIMIT, limit));
  const until = attributes[VALID_UNTIL];
  if (until !== undefined) options.validUntil = until === null ? "infinity" : single(VALID_UNTIL, until);
  return options;
}

/** The descriptive attributes (those kept in the role comment). */
export function descriptiveAttributes<T>(attributes: Record<string, T>): Record<string, T> {
  const rest = { ...attributes };
  delete rest[CONNECTION_LIMIT];
  delete rest[VALID_UNTIL];
  return rest;
}

/** Applies an update's `set` to the comment's attributes: values replace, `null` removes. */
export function mergeDescriptive(
  current: Record<string, AttributeValue>,
  set: Record<string, AttributeValue | null>,
): Record<string, AttributeValue> {
  const merged = { ...current };
  for (const [name, value] of Object.entries(descriptiveAttributes(set))) {
    if (value === null) delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

/** The attributes reported for a role: its role properties plus the comment's attributes. */
export function observedAttributes(
  row: Pick<RoleRow, "connectionLimit" | "validUntil">,
  descriptive: Record<string, AttributeValue>,
): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = { ...descriptiveAttributes(descriptive) };
  if (row.connectionLimit !== -1) attributes[CONNECTION_LIMIT] = String(row.connectionLimit);
  if (row.validUntil !== null && row.validUntil !== "infinity") attributes[VALID_UNTIL] = row.validUntil;
  return attributes;
}

/** Only the role properties that differ from the row (so an unchanged update writes nothing). */
export function changedProperties(row: RoleRow, wanted: RoleOptions): RoleOptions {
  const changed: RoleOptions = {};
  if (wanted.login !== undefined && wanted.login !== row.canLogin) changed.login = wanted.login;
  if (wanted.connectionLimit !== undefined && wanted.connectionLimit !== row.connectionLimit)
    changed.connectionLimit = wanted.connectionLimit;
  if (wanted.validUntil !== undefined) {
    const target = normaliseInstant(wanted.validUntil);
    if (target !== (row.validUntil ?? "infinity")) changed.validUntil = target;
  }
  return changed;
}
