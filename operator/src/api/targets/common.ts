import { z } from "zod";
import { ATTRIBUTE_NAME, DISTINGUISHED_NAME } from "../formats.js";
import { withRules } from "../rules.js";
import { SecretKeyReference } from "../secret-reference.js";

/** Settings shared by the connection sections of several target types. */

/** TLS verification of the target's server certificate. */
export const TlsConfig = withRules(
  z.strictObject({
    caSecretRef: SecretKeyReference.optional().meta({
      description:
        "A Secret key holding the PEM CA bundle that signs the server certificate. Default: the system CAs.",
    }),
    insecureSkipVerify: z.boolean().default(false).meta({
      description: "Accept any server certificate. Only for tests: it gives up the protection TLS offers.",
    }),
    serverName: z.string().min(1).max(253).optional().meta({
      description: "Host name to verify the certificate against, when it differs from the URL's host.",
    }),
  }),
  [
    {
      cel: "!(has(self.caSecretRef) && has(self.insecureSkipVerify) && self.insecureSkipVerify)",
      message: "caSecretRef and insecureSkipVerify are mutually exclusive",
      path: ["insecureSkipVerify"],
      reason: "FieldValueForbidden",
      holds: (self) => !(self.caSecretRef !== undefined && self.insecureSkipVerify),
    },
  ],
).meta({ description: "How the server certificate is verified." });
export type TlsConfig = z.infer<typeof TlsConfig>;

/** Initial passwords for new accounts. */
export function passwordPolicy(generateByDefault: boolean) {
  const otherwise = generateByDefault ? "" : " Default: false.";
  return z
    .strictObject({
      generate: z
        .boolean()
        .default(generateByDefault)
        .meta({
          description: `Generate a random initial password for each new account and write it, once, to a Secret in the Target's namespace for the user's first login.${otherwise}`,
        }),
      length: z.int().min(16).max(128).default(24).meta({ description: "Length of generated passwords." }),
    })
    .prefault({})
    .meta({ description: "Initial passwords of new accounts. Roster never logs or reports them." });
}
export type PasswordPolicy = z.infer<ReturnType<typeof passwordPolicy>>;

/** A distinguished name, e.g. "ou=people,dc=example,dc=com". */
export const DistinguishedName = z.string().min(3).max(1024).regex(new RegExp(DISTINGUISHED_NAME), {
  message: 'must be a distinguished name such as "ou=people,dc=example,dc=com"',
});

/** An LDAP attribute type or object class name. */
export const AttributeName = z
  .string()
  .min(1)
  .max(128)
  .regex(new RegExp(ATTRIBUTE_NAME), { message: "must be an LDAP attribute or object class name" });

/** An LDAP URL without a DN part: ldap://host[:port] or ldaps://host[:port]. */
export const LdapUrl = z
  .string()
  .max(2048)
  .regex(/^ldaps?:\/\/[^\s/?#]+\/?$/, {
    message: 'must be an ldap:// or ldaps:// URL such as "ldaps://ldap.example.com:636"',
  });

/** An http(s) URL. */
export const HttpUrl = z
  .string()
  .max(2048)
  .regex(/^https?:\/\/[^\s/?#]+(\/[^\s]*)?$/, { message: "must be an http:// or https:// URL" });

/** Page size for bulk reads. */
export function pageSize(defaultSize: number) {
  return z
    .int()
    .min(1)
    .max(10000)
    .default(defaultSize)
    .meta({
      description: `Entries read per page when listing accounts. Default: ${defaultSize}.`,
    });
}
