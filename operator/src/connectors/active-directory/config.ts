/**
 * Resolved configuration of the Active Directory connector (the Target's `activeDirectory` block
 * with the bind password read from its Secret). AD only accepts passwords over an encrypted
 * connection, so the URL must be ldaps:// or StartTLS must be on.
 */
import { z } from "zod";
import { AttributeName, LdapConnection, startTLSOnPlainOnly } from "../shared/ldap-config.js";

/** Attributes read back and reported by default. */
export const DEFAULT_AD_ATTRIBUTES = [
  "displayName",
  "givenName",
  "sn",
  "mail",
  "department",
  "title",
  "employeeID",
  "company",
  "description",
] as const;

export const ActiveDirectoryConnectorConfig = LdapConnection.extend({
  /** Suffix of userPrincipalName (`<username>@<upnSuffix>`); the users base DN's DNS domain by default. */
  upnSuffix: z.string().min(1).optional(),
  attributes: z.array(AttributeName).default([...DEFAULT_AD_ATTRIBUTES]),
  /**
   * Where the ownership marker lives: the value `roster-owner:<marker>` of this attribute.
   * `adminDescription` by default: single-valued, meant for administrators, not shown to users.
   */
  ownerAttribute: AttributeName.default("adminDescription"),
  /** AD's MaxPageSize is 1,000: larger pages are cut to it. */
  pageSize: z.number().int().positive().max(1000).default(1000),
  /** AD's MaxValRange is 1,500 values per ranged read. */
  rangeSize: z.number().int().positive().max(5000).default(1500),
})
  .refine(startTLSOnPlainOnly, {
    message: "startTLS cannot be combined with an ldaps:// url",
    path: ["startTLS"],
  })
  .refine((config) => config.url.startsWith("ldaps:") || config.startTLS, {
    message: "Active Directory needs an encrypted connection to set passwords: use ldaps:// or startTLS",
    path: ["url"],
  });

export type ActiveDirectoryConnectorConfig = z.infer<typeof ActiveDirectoryConnectorConfig>;
export type ActiveDirectoryConnectorInput = z.input<typeof ActiveDirectoryConnectorConfig>;
