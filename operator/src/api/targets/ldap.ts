import { z } from "zod";
import { withRules } from "../rules.js";
import { SecretKeyReference } from "../secret-reference.js";
import { AttributeName, DistinguishedName, LdapUrl, pageSize, passwordPolicy, TlsConfig } from "./common.js";
import { setList } from "../lists.js";

export const LdapGroupObjectClass = z.enum(["groupOfNames", "groupOfUniqueNames", "posixGroup"]);
export type LdapGroupObjectClass = z.infer<typeof LdapGroupObjectClass>;

export const LdapDisableMethod = z.enum(["PasswordPolicyLock", "Attribute"]);
export type LdapDisableMethod = z.infer<typeof LdapDisableMethod>;

/** POSIX attributes (posixAccount) for accounts used to log in to Unix hosts. */
export const LdapPosix = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .meta({ description: "Add posixAccount with uidNumber, gidNumber, homeDirectory and loginShell." }),
    uidNumberStart: z.int().min(1).max(2147483647).default(10000).meta({
      description: "First uidNumber handed out; Roster takes the next number above the highest one in use.",
    }),
    gidNumber: z
      .int()
      .min(0)
      .max(2147483647)
      .default(100)
      .meta({ description: "Primary gidNumber of every account. Default: 100 (users)." }),
    homeDirectory: z
      .string()
      .min(2)
      .max(256)
      .regex(/^\//, { message: "must be an absolute path" })
      .default("/home/{username}")
      .meta({
        description:
          "homeDirectory of new accounts; {username} is replaced by the username. Default: /home/{username}.",
      }),
    loginShell: z
      .string()
      .min(1)
      .max(256)
      .regex(/^\//)
      .default("/bin/bash")
      .meta({ description: "loginShell of new accounts." }),
  })
  .prefault({})
  .meta({ description: "POSIX account attributes." });
export type LdapPosix = z.infer<typeof LdapPosix>;

/** How an account is disabled in a directory that has no standard "disabled" flag. */
export const LdapDisable = withRules(
  z.strictObject({
    method: LdapDisableMethod.default("PasswordPolicyLock").meta({
      description:
        "PasswordPolicyLock sets pwdAccountLockedTime (needs the ppolicy overlay). Attribute sets attribute.name to attribute.value while disabled and removes it on enable.",
    }),
    attribute: z
      .strictObject({
        name: AttributeName.meta({
          description: "Attribute set while the account is disabled, e.g. shadowExpire.",
        }),
        value: z
          .string()
          .min(1)
          .max(256)
          .meta({ description: 'Value the attribute holds while disabled, e.g. "1".' }),
      })
      .optional()
      .meta({ description: "The attribute that marks a disabled account; required with method Attribute." }),
  }),
  [
    {
      cel: "(has(self.method) && self.method == 'Attribute') == has(self.attribute)",
      message: "attribute is required with method Attribute and not allowed otherwise",
      path: ["attribute"],
      holds: (self) => (self.method === "Attribute") === (self.attribute !== undefined),
    },
  ],
)
  .prefault({})
  .meta({ description: "How accounts are disabled and enabled." });
export type LdapDisable = z.infer<typeof LdapDisable>;

/** An OpenLDAP (or other RFC 4510) directory. Users are entries under usersBaseDN; roles are groups under groupsBaseDN. */
export const LdapTargetSpec = withRules(
  z.strictObject({
    url: LdapUrl.meta({ description: "Server URL: ldap://host[:port] or ldaps://host[:port]." }),
    startTLS: z
      .boolean()
      .default(false)
      .meta({ description: "Upgrade an ldap:// connection with StartTLS before binding." }),
    tls: TlsConfig.optional(),
    bindDN: DistinguishedName.meta({
      description: 'DN Roster binds as, e.g. "cn=roster,ou=services,dc=example,dc=com".',
    }),
    credentialsSecretRef: SecretKeyReference.meta({ description: "Secret key holding the bind password." }),
    usersBaseDN: DistinguishedName.meta({
      description: 'Container of user entries, e.g. "ou=people,dc=example,dc=com".',
    }),
    groupsBaseDN: DistinguishedName.meta({
      description: 'Container of the groups that roles name, e.g. "ou=groups,dc=example,dc=com".',
    }),
    rdnAttribute: AttributeName.default("uid").meta({
      description: "Attribute that names user entries (holds the username). Default: uid.",
    }),
    objectClasses: setList(AttributeName).min(1).default(["inetOrgPerson"]).meta({
      description:
        "Object classes of new user entries (posixAccount is added when posix.enabled). Default: [inetOrgPerson].",
    }),
    groupObjectClass: LdapGroupObjectClass.default("groupOfNames").meta({
      description:
        "Object class of role groups, which decides the membership attribute: member, uniqueMember or memberUid.",
    }),
    ownerAttribute: AttributeName.default("businessCategory").meta({
      description:
        "Multi-valued attribute holding Roster's ownership marker on the entries it creates. Default: businessCategory.",
    }),
    posix: LdapPosix,
    disable: LdapDisable,
    password: passwordPolicy(false),
    pageSize: pageSize(500),
  }),
  [
    {
      cel: "!(has(self.startTLS) && self.startTLS && self.url.startsWith('ldaps://'))",
      message: "startTLS applies to ldap:// URLs only",
      path: ["startTLS"],
      holds: (self) => !(self.startTLS && self.url.startsWith("ldaps://")),
    },
  ],
).meta({ description: "Connection to an LDAP directory such as OpenLDAP." });
export type LdapTargetSpec = z.infer<typeof LdapTargetSpec>;
