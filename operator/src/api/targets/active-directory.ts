import { z } from "zod";
import { withRules } from "../rules.js";
import { SecretKeyReference } from "../secret-reference.js";
import { AttributeName, DistinguishedName, LdapUrl, pageSize, passwordPolicy, TlsConfig } from "./common.js";

/**
 * An Active Directory domain (or Samba AD). Accounts are user objects (sAMAccountName = username)
 * enabled and disabled through userAccountControl; roles are security groups.
 */
export const ActiveDirectoryTargetSpec = withRules(
  z.strictObject({
    url: LdapUrl.meta({ description: "Domain controller URL, normally ldaps://dc.example.com:636." }),
    startTLS: z
      .boolean()
      .default(false)
      .meta({ description: "Upgrade an ldap:// connection with StartTLS before binding." }),
    tls: TlsConfig.optional(),
    bindDN: DistinguishedName.meta({ description: "DN of the service account Roster binds as." }),
    credentialsSecretRef: SecretKeyReference.meta({
      description: "Secret key holding the service account's password.",
    }),
    usersBaseDN: DistinguishedName.meta({
      description: 'OU where user objects are created, e.g. "OU=Staff,DC=corp,DC=example,DC=com".',
    }),
    groupsBaseDN: DistinguishedName.meta({ description: "OU holding the security groups that roles name." }),
    upnSuffix: z
      .string()
      .min(3)
      .max(253)
      .regex(/^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)+$/, {
        message: "must be a DNS domain such as corp.example.com",
      })
      .optional()
      .meta({
        description:
          "userPrincipalName is username@upnSuffix. Default: the DNS domain of usersBaseDN's DC parts.",
      }),
    ownerAttribute: AttributeName.default("adminDescription").meta({
      description:
        "Attribute holding Roster's ownership marker on the objects it creates. Default: adminDescription.",
    }),
    password: passwordPolicy(true),
    pageSize: pageSize(1000),
  }),
  [
    {
      cel: "self.url.startsWith('ldaps://') != (has(self.startTLS) && self.startTLS)",
      message:
        "Active Directory needs an encrypted connection: use an ldaps:// URL, or an ldap:// URL with startTLS",
      path: ["url"],
      holds: (self) => self.url.startsWith("ldaps://") !== self.startTLS,
    },
  ],
).meta({ description: "Connection to an Active Directory domain." });
export type ActiveDirectoryTargetSpec = z.infer<typeof ActiveDirectoryTargetSpec>;
