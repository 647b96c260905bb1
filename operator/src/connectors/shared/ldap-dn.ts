/**
 * Distinguished names (RFC 4514): building one from an RDN value and a parent, parsing server
 * output back into attribute/value pairs, and a normal form for comparing DNs that servers spell
 * differently (case, escaping style, spaces after commas).
 */
import { escapeDNValue } from "./ldap-escape.js";

export interface AttributeTypeAndValue {
  type: string;
  value: string;
}
export type RDN = AttributeTypeAndValue[];

/** `type=escaped(value),parent`. `type` is trusted configuration, `value` any text. */
export function childDN(type: string, value: string, parentDN: string): string {
  return `${type}=${escapeDNValue(value)},${parentDN}`;
}

const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;
/** A value up to its separator (or the end) without any escape. */
const PLAIN_VALUE = /[^\\,+;]*(?=[,+;]|$)/y;

/** Reads one attribute value starting at `start`; returns the decoded value and where it stopped. */
function readValue(dn: string, start: number): { value: string; end: number } {
  if (dn[start] === "#") {
    let end = start + 1;
    while (end < dn.length && dn[end] !== "," && dn[end] !== "+" && dn[end] !== ";") end += 1;
    return { value: dn.slice(start, end).toLowerCase(), end };
  }
  PLAIN_VALUE.lastIndex = start;
  const plain = PLAIN_VALUE.exec(dn);
  if (plain) {
    // No escapes (the common case): the text itself, unescaped trailing spaces left out.
    const text = plain[0];
    return { value: text.replace(/ +$/, ""), end: start + text.length };
  }
  const bytes: number[] = [];
  const pushText = (text: string) => bytes.push(...Buffer.from(text, "utf8"));
  let index = start;
  let lastSignificant = 0;
  while (index < dn.length) {
    const ch = dn[index] as string;
    if (ch === "," || ch === "+" || ch === ";") break;
    if (ch === "\\") {
      const pair = dn.slice(index + 1, index + 3);
      if (HEX_PAIR.test(pair)) {
        bytes.push(Number.parseInt(pair, 16));
        index += 3;
      } else {
        if (index + 1 >= dn.length) throw new Error(`DN "${dn}" ends with a lone backslash`);
        const escaped = String.fromCodePoint(dn.codePointAt(index + 1) ?? 0);
        pushText(escaped);
        index += 1 + escaped.length;
      }
      lastSignificant = bytes.length;
      continue;
    }
    const cp = String.fromCodePoint(dn.codePointAt(index) ?? 0);
    pushText(cp);
    if (cp !== " ") lastSignificant = bytes.length;
    index += cp.length;
  }
  // Unescaped trailing spaces are not part of the value (RFC 4514 §3).
  return { value: Buffer.from(bytes.slice(0, lastSignificant)).toString("utf8"), end: index };
}

/** Parses a string DN into RDNs, most specific first. Throws on malformed input. */
export function parseDN(dn: string): RDN[] {
  const rdns: RDN[] = [];
  let current: RDN = [];
  let index = 0;
  if (dn.trim() === "") return [];
  while (index < dn.length) {
    while (dn[index] === " ") index += 1;
    const equals = dn.indexOf("=", index);
    if (equals < 0) throw new Error(`DN "${dn}" has a component without "="`);
    const type = dn.slice(index, equals).trim();
    if (!type) throw new Error(`DN "${dn}" has an empty attribute type`);
    let valueStart = equals + 1;
    while (dn[valueStart] === " ") valueStart += 1;
    const { value, end } = readValue(dn, valueStart);
    current.push({ type, value });
    const separator = dn[end];
    index = end + 1;
    if (separator !== "+") {
      rdns.push(current);
      current = [];
    }
  }
  if (current.length > 0) rdns.push(current);
  return rdns;
}

/** The value of the first (most specific) RDN's first attribute. */
export function rdnValue(dn: string): string {
  return parseDN(dn)[0]?.[0]?.value ?? "";
}

function serialize(rdns: RDN[], fold: (text: string) => string): string {
  return rdns
    .map((rdn) =>
      rdn
        .map(({ type, value }) => `${fold(type)}=${escapeDNValue(fold(value))}`)
        .sort()
        .join("+"),
    )
    .join(",");
}

/**
 * One spelling per DN, case kept: servers answer with their own escaping (`\2C` for `\,`), so
 * ids built by us and ids read back are both put through this before they are reported.
 */
export function canonicalDN(dn: string): string {
  return serialize(parseDN(dn), (text) => text);
}

/**
 * A canonical spelling for comparing DNs: attribute types and values lower-cased (naming
 * attributes are case-insensitive in the stock schemas and in AD), multi-valued RDNs sorted,
 * values re-escaped one way.
 */
export function normalizeDN(dn: string): string {
  return serialize(parseDN(dn), (text) => text.toLowerCase());
}

/** Whether `dn` lies at or below `baseDN`. */
export function isUnder(dn: string, baseDN: string): boolean {
  const child = normalizeDN(dn);
  const base = normalizeDN(baseDN);
  return child === base || child.endsWith(`,${base}`);
}
