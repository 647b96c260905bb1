/** Reading attribute values from ldapts search entries, with case-insensitive attribute names. */
import type { Entry } from "ldapts";

function keyOf(entry: Entry, attribute: string): string | undefined {
  const wanted = attribute.toLowerCase();
  return Object.keys(entry).find((name) => name.toLowerCase() === wanted);
}

/** All values of `attribute` as strings (UTF-8); [] when absent. */
export function valuesOf(entry: Entry, attribute: string): string[] {
  const key = keyOf(entry, attribute);
  if (key === undefined) return [];
  const raw = entry[key];
  return (Array.isArray(raw) ? raw : [raw]).map((value) =>
    Buffer.isBuffer(value) ? value.toString("utf8") : String(value),
  );
}

export function firstValue(entry: Entry, attribute: string): string | undefined {
  return valuesOf(entry, attribute)[0];
}

/** The first value of a binary attribute (requested through `binaryAttributes`). */
export function binaryValue(entry: Entry, attribute: string): Buffer | undefined {
  const key = keyOf(entry, attribute);
  if (key === undefined) return undefined;
  const raw = entry[key];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return Buffer.isBuffer(value) ? value : undefined;
}
