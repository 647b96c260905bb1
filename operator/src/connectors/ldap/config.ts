/**
 * Resolved configuration of the OpenLDAP connector (the Target's `ldap` block with the bind
 * password read from its Secret). Parsed once with zod; defaults suit a stock OpenLDAP with the
 * core, cosine, inetorgperson and nis schemas and the ppolicy overlay.
 */
import { z } from "zod";
import {
  AttributeName,
  DistinguishedName,
  LdapConnection,
  startTLSOnPlainOnly,
} from "../shared/ldap-config.js";

export const PosixSettings = z.object({
  /** Entry holding the next free uidNumber (a posixGroup whose gidNumber is the counter). */
  counterDN: DistinguishedName.optional(),
  firstUidNumber: z.number().int().positive().default(10_000),
  /** Primary group of every account. */
  gidNumber: z.number().int().nonnegative().default(100),
  /** `{username}` is replaced by the account name. */
  homeDirectory: z.string().default("/home/{username}"),
  loginShell: z.string().default("/bin/bash"),
});
export type PosixSettings = z.infer<typeof PosixSettings>;

/**
 * How accounts are disabled. PasswordPolicyLock (default): ppolicy's `pwdAccountLockedTime`, which
 * slapd itself enforces on bind. Attribute: `attribute.name` holds `attribute.value` while the
 * account is disabled and is removed on enable; it stops only the systems that honour it (e.g.
 * `shadowExpire: 1` for PAM / SSSD), not LDAP binds.
 */
export const LdapDisable = z.discriminatedUnion("method", [
  z.object({ method: z.literal("PasswordPolicyLock") }),
  z.object({
    method: z.literal("Attribute"),
    attribute: z.object({ name: AttributeName, value: z.string().min(1) }),
  }),
]);
export type LdapDisable = z.infer<typeof LdapDisable>;

/** Attributes read back and reported by default (inetOrgPerson names). */
export const DEFAULT_LDAP_ATTRIBUTES = [
  "cn",
  "sn",
  "givenName",
  "displayName",
  "mail",
  "employeeNumber",
  "employeeType",
  "departmentNumber",
  "title",
  "description",
] as const;

export const LdapConnectorConfig = LdapConnection.extend({
  rdnAttribute: AttributeName.default("uid"),
  /** Object classes of new accounts; the first one also scopes searches. */
  objectClasses: z.array(AttributeName).min(1).default(["inetOrgPerson"]),
  groupObjectClass: z.enum(["groupOfNames", "groupOfUniqueNames", "posixGroup"]).default("groupOfNames"),
  /**
   * Member value left in a groupOfNames / groupOfUniqueNames when Roster removes its last member
   * (those classes require one). The empty DN by default: it names no entry.
   */
  emptyGroupPlaceholder: z.string().default(""),
  /** Attributes read back into ObservedAccount.attributes. */
  attributes: z.array(AttributeName).default([...DEFAULT_LDAP_ATTRIBUTES]),
  /**
   * Where the ownership marker lives: one value `roster-owner:<marker>` of this multi-valued
   * attribute. `businessCategory` (inetOrgPerson, rarely used for people) by default.
   */
  ownerAttribute: AttributeName.default("businessCategory"),
  disable: LdapDisable.default({ method: "PasswordPolicyLock" }),
  /** Adds posixAccount with a never-reused uidNumber when set. */
  posix: PosixSettings.optional(),
  pageSize: z.number().int().positive().max(10_000).default(500),
}).refine(startTLSOnPlainOnly, {
  message: "startTLS cannot be combined with an ldaps:// url",
  path: ["startTLS"],
});

export type LdapConnectorConfig = z.infer<typeof LdapConnectorConfig>;
/** The configuration as written, before defaults. */
export type LdapConnectorInput = z.input<typeof LdapConnectorConfig>;
