/**
 * Active Directory's vendor quirks, as pure functions: the 20-character sAMAccountName, the quoted
 * UTF-16LE `unicodePwd`, userAccountControl bits, Windows FILETIME for `accountExpires`, and the
 * mixed-endian text form of `objectGUID`.
 */
import { createHash } from "node:crypto";

/** sAMAccountName holds at most 20 characters and refuses `" / \ [ ] : ; | = , + * ? < >` (and a trailing dot). */
export const SAM_ACCOUNT_NAME_MAX = 20;
const SAM_INVALID = /["/\\[\]:;|=,+*?<>@\s]/g;
const HASH_LENGTH = 4;

/**
 * The sAMAccountName for a username, deterministically: the username itself when it fits and is
 * valid; otherwise its sanitized first 15 characters, `-`, and 4 hex characters of its SHA-256, so
 * distinct long names stay distinct (collisions need a 1-in-65,536 chance on the same prefix).
 */
export function samAccountName(username: string): string {
  const sanitized = username.replace(SAM_INVALID, "_");
  if (sanitized === username && username.length <= SAM_ACCOUNT_NAME_MAX && !username.endsWith("."))
    return username;
  const hash = createHash("sha256").update(username, "utf8").digest("hex").slice(0, HASH_LENGTH);
  const prefix = Array.from(sanitized)
    .slice(0, SAM_ACCOUNT_NAME_MAX - HASH_LENGTH - 1)
    .join("");
  return `${prefix}-${hash}`;
}

/** The `unicodePwd` value AD expects: the password in double quotes, UTF-16LE encoded. */
export function unicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, "utf16le");
}

export const UAC_ACCOUNTDISABLE = 0x2;
export const UAC_NORMAL_ACCOUNT = 0x200;

/** userAccountControl with the disable bit set or cleared, every other bit preserved. */
export function withAccountDisabled(userAccountControl: number, disabled: boolean): number {
  return disabled ? userAccountControl | UAC_ACCOUNTDISABLE : userAccountControl & ~UAC_ACCOUNTDISABLE;
}

export function isDisabled(userAccountControl: number): boolean {
  return (userAccountControl & UAC_ACCOUNTDISABLE) !== 0;
}

/** `accountExpires` for "never". */
export const NEVER_EXPIRES = "9223372036854775807";
/** Milliseconds between 1601-01-01 (the FILETIME epoch) and 1970-01-01. */
const FILETIME_EPOCH_OFFSET_MS = 11_644_473_600_000n;

/** An RFC 3339 instant as a FILETIME (100 ns intervals since 1601-01-01 UTC), as AD stores it. */
export function toFileTime(instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new Error(`"${instant}" is not an RFC 3339 instant`);
  return ((BigInt(ms) + FILETIME_EPOCH_OFFSET_MS) * 10_000n).toString();
}

/** The inverse of toFileTime; undefined for "never" (0 or the maximum value). */
export function fromFileTime(fileTime: string): string | undefined {
  const value = BigInt(fileTime);
  if (value === 0n || fileTime === NEVER_EXPIRES) return undefined;
  return new Date(Number(value / 10_000n - FILETIME_EPOCH_OFFSET_MS)).toISOString();
}

/** objectGUID bytes in the text form AD tools show (first three groups little-endian). */
export function formatGuid(bytes: Buffer): string {
  if (bytes.length !== 16) throw new Error(`objectGUID must be 16 bytes, got ${bytes.length}`);
  const hex = (from: number, to: number, reverse: boolean) => {
    const slice = [...bytes.subarray(from, to)];
    return (reverse ? slice.reverse() : slice).map((b) => b.toString(16).padStart(2, "0")).join("");
  };
  return [hex(0, 4, true), hex(4, 6, true), hex(6, 8, true), hex(8, 10, false), hex(10, 16, false)].join("-");
}

/** The DNS domain named by a DN's DC components (`DC=corp,DC=example` -> `corp.example`). */
export function dnsDomainOf(dcValues: readonly string[]): string {
  return dcValues.join(".").toLowerCase();
}
