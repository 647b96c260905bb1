/**
 * Roster's ownership marker on a PostgreSQL role, kept in the role's comment (COMMENT ON ROLE,
 * stored cluster-wide in pg_shdescription).
 *
 * Format: the prefix `roster:` followed by a JSON object
 *
 *     roster:{"owner":"<engine marker>","attributes":{"displayName":"Ada Lovelace"},"note":"..."}
 *
 * - `owner` (string, required): the engine's opaque ownership marker. A role whose comment lacks
 *   the prefix, is not valid JSON after it, or has no string `owner` is *not* Roster's: it is
 *   reported with `owner: undefined` and never modified except through an explicit adopt.
 * - `attributes` (object of string | string[]): descriptive attributes that PostgreSQL has no
 *   column for (display name, e-mail, employee id...). See attributes.ts for the full mapping.
 * - `note` (string, optional): the role's previous free-text comment, kept when a role is adopted.
 *
 * Pure: no I/O.
 */
import type { AttributeValue } from "../../engine/connector.js";

export const MARKER_PREFIX = "roster:";

export interface RoleComment {
  owner: string | undefined;
  attributes: Record<string, AttributeValue>;
  note?: string;
}

function isAttributeValue(value: unknown): value is AttributeValue {
  return typeof value === "string" || (Array.isArray(value) && value.every((v) => typeof v === "string"));
}

function parseAttributes(raw: unknown): Record<string, AttributeValue> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return {};
  const attributes: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(raw)) if (isAttributeValue(value)) attributes[name] = value;
  return attributes;
}

/** Reads a role comment; anything that is not a well-formed Roster comment yields no owner. */
export function parseRoleComment(comment: string | null | undefined): RoleComment {
  if (!comment?.startsWith(MARKER_PREFIX)) return { owner: undefined, attributes: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(comment.slice(MARKER_PREFIX.length));
  } catch {
    return { owner: undefined, attributes: {} };
  }
  if (typeof parsed !== "object" || parsed === null) return { owner: undefined, attributes: {} };
  const record = parsed as Record<string, unknown>;
  if (typeof record.owner !== "string" || record.owner === "") return { owner: undefined, attributes: {} };
  const result: RoleComment = { owner: record.owner, attributes: parseAttributes(record.attributes) };
  if (typeof record.note === "string") result.note = record.note;
  return result;
}

/** Writes a Roster comment for a role; attribute keys are sorted so equal content gives equal text. */
export function formatRoleComment(comment: RoleComment & { owner: string }): string {
  const attributes = Object.fromEntries(
    Object.entries(comment.attributes).sort(([a], [b]) => a.localeCompare(b)),
  );
  const body: Record<string, unknown> = { owner: comment.owner, attributes };
  if (comment.note !== undefined) body.note = comment.note;
  return MARKER_PREFIX + JSON.stringify(body);
}

/**
 * The comment to stamp when adopting a role: Roster's marker, the descriptive attributes, and the
 * role's former free-text comment kept as `note` (a previous Roster comment's note is carried over).
 */
export function adoptedComment(previous: string | null | undefined, owner: string): string {
  const parsed = parseRoleComment(previous);
  if (parsed.owner !== undefined) return formatRoleComment({ ...parsed, owner });
  const note = previous ? { note: previous } : {};
  return formatRoleComment({ owner, attributes: {}, ...note });
}
