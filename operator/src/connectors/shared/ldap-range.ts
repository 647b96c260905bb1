/**
 * Ranged attribute retrieval (Active Directory, Samba): a large multi-valued attribute is read in
 * windows by asking for `member;range=LOW-HIGH`; the server answers with the attribute named
 * `member;range=LOW-HIGH` (or `LOW-*` for the last window).
 */

export interface RangedAttribute {
  attribute: string;
  low: number;
  /** The last index returned, or undefined when this was the final window (`*`). */
  high: number | undefined;
}

/** Parses an attribute description such as `member;range=0-1499`; undefined when it has no range. */
export function parseRangedAttribute(description: string): RangedAttribute | undefined {
  const match = /^([^;]+)(?:;.*)?;range=(\d+)-(\d+|\*)$/i.exec(description);
  if (!match) return undefined;
  const [, attribute = "", low = "0", high = "*"] = match;
  return { attribute, low: Number(low), high: high === "*" ? undefined : Number(high) };
}

/** The attribute description that requests the window starting at `low` of `size` values. */
export function rangeRequest(attribute: string, low: number, size: number): string {
  return `${attribute};range=${low}-${low + size - 1}`;
}
