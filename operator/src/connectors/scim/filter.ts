/**
 * SCIM filter building (RFC 7644 §3.4.2.2). Pure.
 *
 * A filter's comparison value is a JSON string literal: the only safe way to put user data in a
 * filter is to encode it as one (quotes, backslashes and control characters escaped), never to
 * concatenate it. Attribute paths are not user data; they are checked against the ABNF anyway so
 * a caller mistake cannot turn into an injection.
 */

/** attrPath = [URI ":"] ATTRNAME *1subAttr (RFC 7644 §3.10), as used by this connector. */
const ATTRIBUTE_PATH = /^(?:urn:[A-Za-z0-9:._-]+:)?[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z][A-Za-z0-9_-]*)?$/;

/** The SCIM (JSON) string literal for `value`: quotes, backslashes and control characters escaped. */
export function scimStringLiteral(value: string): string {
  // JSON.stringify is exactly RFC 8259 string encoding, which is what RFC 7644 §3.4.2.2 references.
  return JSON.stringify(value);
}

export function assertAttributePath(path: string): string {
  if (!ATTRIBUTE_PATH.test(path)) throw new Error(`not a SCIM attribute path: ${JSON.stringify(path)}`);
  return path;
}

/** `<path> eq "<value>"` with the value encoded as a string literal. */
export function equalityFilter(path: string, value: string): string {
  return `${assertAttributePath(path)} eq ${scimStringLiteral(value)}`;
}

/** Characters that force an escape sequence in the literal (some peers cannot parse those). */
export function needsEscaping(value: string): boolean {
  return scimStringLiteral(value) !== `"${value}"`;
}

/**
 * A value-path filter selecting one member of a multi-valued attribute, e.g.
 * `members[value eq "2819c223"]` for a PATCH path (RFC 7644 §3.5.2).
 */
export function valuePath(attribute: string, subAttribute: string, value: string): string {
  return `${assertAttributePath(attribute)}[${equalityFilter(subAttribute, value)}]`;
}
