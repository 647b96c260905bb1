/**
 * Roster's ownership marker as stored in a directory attribute: one value `roster-owner:<marker>`.
 * The prefix lets the marker share a multi-valued attribute with other values, and tells a value
 * someone else wrote apart from ours.
 */
export const MARKER_PREFIX = "roster-owner:";

export function markerValue(marker: string): string {
  return `${MARKER_PREFIX}${marker}`;
}

/** The marker among an attribute's values, or undefined when none carries the prefix. */
export function readMarker(values: readonly string[]): string | undefined {
  const ours = values.filter((value) => value.startsWith(MARKER_PREFIX)).sort();
  return ours[0]?.slice(MARKER_PREFIX.length);
}

/** The values that are not markers (what the attribute holds for other purposes). */
export function withoutMarkers(values: readonly string[]): string[] {
  return values.filter((value) => !value.startsWith(MARKER_PREFIX));
}
