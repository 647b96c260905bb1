import { z } from "zod";

/**
 * Value formats shared by the Roster API. Every pattern here is written so that JavaScript and
 * RE2 (the regular expression engine of the Kubernetes API server) read it the same way: no
 * lookarounds, no backreferences.
 */

/** A DNS-1123 subdomain: the format of most Kubernetes object names. */
export const DNS1123_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
/** A DNS-1123 label: the format of namespace names. */
export const DNS1123_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
/** An account name: lower case, starts with a letter, ends with a letter or digit. */
export const USERNAME = "^[a-z]([-a-z0-9._]*[a-z0-9])?$";
/** A label key: an optional DNS subdomain prefix and a slash, then a name of at most 63 characters. */
export const LABEL_KEY =
  "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";
/** A label value: empty, or at most 63 characters starting and ending with an alphanumeric. */
export const LABEL_VALUE = "^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$";
/** A deliberately simple e-mail address check: something@domain.tld. */
export const EMAIL =
  "^[A-Za-z0-9._%+'-]+@[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)+$";
/** A Go duration restricted to hours, minutes and seconds, e.g. "8h", "90m", "1h30m". */
export const DURATION = "^([0-9]+h)?([0-9]+m)?([0-9]+s)?$";
/** An LDAP distinguished name, checked loosely: starts with an attribute type and "=". */
export const DISTINGUISHED_NAME = "^[A-Za-z][-A-Za-z0-9.]*=.+$";
/** An LDAP attribute type or object class name. */
export const ATTRIBUTE_NAME = "^[A-Za-z][-A-Za-z0-9]*$";
/** A "namespace/name" reference to a namespaced object. */
export const NAMESPACED_NAME =
  "^[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

const regex = (pattern: string): RegExp => new RegExp(pattern);

/** The name of a Kubernetes object (DNS-1123 subdomain, at most 253 characters). */
export const ObjectName = z.string().min(1).max(253).regex(regex(DNS1123_SUBDOMAIN), {
  message:
    "must be a lower case DNS-1123 subdomain (a-z, 0-9, '-' and '.', starting and ending alphanumeric)",
});
export type ObjectName = z.infer<typeof ObjectName>;

/** An RFC 3339 instant with an explicit offset ("2026-01-31T17:00:00Z"). */
export const Timestamp = z.iso.datetime({
  offset: true,
  message: 'must be an RFC 3339 date-time such as "2026-01-31T17:00:00Z"',
});
export type Timestamp = z.infer<typeof Timestamp>;

/** A Go-style duration of hours, minutes and seconds, greater than zero. */
export const Duration = z
  .string()
  .min(2)
  .max(32)
  .regex(regex(DURATION), { message: 'must be a duration such as "8h", "90m" or "1h30m"', abort: true })
  .refine((value) => durationSeconds(value) > 0, { message: "must be longer than zero" });
export type Duration = z.infer<typeof Duration>;

/** A non-negative count. */
export const Count = z.int().min(0);

/** `metadata.generation` observed by the controller when it wrote a status. */
export const ObservedGeneration = z.int().min(0).meta({
  description: "The metadata.generation of the spec this status describes.",
});

/**
 * The length of a duration string in seconds (`"1h30m"` -> 5400). Returns NaN when the string is
 * not a duration of the DURATION format.
 */
export function durationSeconds(value: string): number {
  const match = regex(DURATION).exec(value);
  if (!match || value.length === 0) return Number.NaN;
  const part = (group: string | undefined): number => (group ? Number.parseInt(group, 10) : 0);
  return part(match[1]) * 3600 + part(match[2]) * 60 + part(match[3]);
}
