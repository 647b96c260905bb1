/** Attribute handling shared by the directory connectors: values to write, values to report. */
import type { Entry } from "ldapts";
import type { AttributeValue } from "../../engine/connector.js";
import { TerminalError } from "../../errors.js";
import { valuesOf } from "./ldap-entry.js";
import { withoutMarkers } from "./ldap-marker.js";

/** Values to write: strings and arrays as lists, empty strings dropped (LDAP has no empty values). */
export function toValues(value: AttributeValue | null): string[] {
  if (value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((item) => item !== "");
}

/** The non-empty attributes of an account, as values to add. */
export function entryValues(attributes: Record<string, AttributeValue>): Record<string, string[]> {
  const entry: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const values = toValues(value);
    if (values.length > 0) entry[name] = values;
  }
  return entry;
}

/** Throws a TerminalError when a mapping writes an attribute the connector manages itself. */
export function assertNotReserved(
  connector: string,
  reserved: readonly string[],
  attributes: Iterable<string>,
): void {
  const names = new Set(reserved.map((name) => name.toLowerCase()));
  for (const name of attributes) {
    if (names.has(name.toLowerCase())) {
      throw new TerminalError(
        "ReservedAttribute",
        `attribute "${name}" is managed by the ${connector} connector itself and cannot be mapped`,
      );
    }
  }
}

/** The reported attributes of an entry: one string per single value, marker values hidden. */
export function reportedAttributes(
  entry: Entry,
  names: readonly string[],
  ownerAttribute: string,
): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const name of names) {
    const all = valuesOf(entry, name);
    const values = name.toLowerCase() === ownerAttribute.toLowerCase() ? withoutMarkers(all) : all;
    if (values.length > 0) attributes[name] = values.length === 1 ? (values[0] as string) : values;
  }
  return attributes;
}
