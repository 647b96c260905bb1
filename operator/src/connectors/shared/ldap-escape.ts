/**
 * Escaping of values placed into LDAP distinguished names (RFC 4514) and search filters
 * (RFC 4515). Every value that comes from a User, a Target or a server response and ends up in a
 * DN or a filter goes through one of these two functions; nothing else builds DN or filter text.
 */

const hex2 = (code: number): string => `\\${code.toString(16).padStart(2, "0")}`;

/** Characters RFC 4514 requires (or we choose) to escape with a backslash anywhere in a value. */
const DN_SPECIALS = new Set([",", "+", '"', "\\", "<", ">", ";", "="]);

/**
 * Escapes one attribute value for use in an RDN, e.g. `cn=${escapeDNValue(name)},ou=people,...`.
 * - `, + " \ < > ; =` are backslash-escaped (RFC 4514 §2.4; `=` is optional there, escaped for
 *   parsers that split on it);
 * - NUL and the other ASCII control characters become `\XX` hex pairs;
 * - a leading space or `#`, and a trailing space, are backslash-escaped;
 * - everything else, including non-ASCII, is kept as UTF-8 text (RFC 4514 allows it).
 */
export function escapeDNValue(value: string): string {
  const chars = Array.from(value);
  return chars
    .map((ch, index) => {
      const code = ch.codePointAt(0) ?? 0;
      if (code < 0x20 || code === 0x7f) return hex2(code);
      if (DN_SPECIALS.has(ch)) return `\\${ch}`;
      if (index === 0 && (ch === " " || ch === "#")) return `\\${ch}`;
      if (index === chars.length - 1 && ch === " ") return "\\ ";
      return ch;
    })
    .join("");
}

/**
 * Escapes one assertion value for a filter, e.g. `(uid=${escapeFilterValue(name)})`: `*`, `(`,
 * `)`, `\` and NUL become `\2a \28 \29 \5c \00` (RFC 4515 §3), so input can never add wildcards or
 * filter components. Non-ASCII stays UTF-8 text, which RFC 4515 permits (and which keeps the value
 * intact through parsers that decode each `\XX` as one character rather than one byte).
 */
export function escapeFilterValue(value: string): string {
  let out = "";
  for (const ch of value) {
    switch (ch) {
      case "*":
      case "(":
      case ")":
      case "\\":
      case "\0":
        out += hex2(ch.charCodeAt(0));
        break;
      default:
        out += ch;
    }
  }
  return out;
}

/** `(attr=value)` with the value escaped; `attr` must be a schema attribute name. */
export function equalityFilter(attribute: string, value: string): string {
  assertAttributeName(attribute);
  return `(${attribute}=${escapeFilterValue(value)})`;
}

/** Attribute descriptions we accept from configuration: a name or OID, optionally with options. */
const ATTRIBUTE_NAME = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)$/;

export function isAttributeName(name: string): boolean {
  return ATTRIBUTE_NAME.test(name);
}

/** Throws when `name` is not a plain attribute name, so configuration cannot inject filter text. */
export function assertAttributeName(name: string): void {
  if (!isAttributeName(name)) throw new Error(`"${name}" is not a valid LDAP attribute name`);
}
