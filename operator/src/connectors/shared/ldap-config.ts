/**
 * Connection settings common to the OpenLDAP and Active Directory connectors, as zod schemas over
 * the resolved configuration (the bind password already read from the Target's Secret).
 */
import { z } from "zod";
import { TerminalError } from "../../errors.js";
import { isAttributeName } from "./ldap-escape.js";
import { parseDN } from "./ldap-dn.js";

export const AttributeName = z
  .string()
  .refine(isAttributeName, { message: "must be an LDAP attribute name" });

export const DistinguishedName = z.string().refine(
  (dn) => {
    try {
      return parseDN(dn).length > 0;
    } catch {
      return false;
    }
  },
  { message: "must be a distinguished name" },
);

export const LdapTls = z.object({
  /** PEM CA bundle to trust for LDAPS / StartTLS; the system store when omitted. */
  ca: z.string().optional(),
  /** Skip certificate verification: tests only. */
  insecureSkipVerify: z.boolean().default(false),
});

export const LdapConnection = z.object({
  url: z
    .string()
    .regex(/^ldaps?:\/\/[^/]+\/?$/, { message: "must be ldap://host[:port] or ldaps://host[:port]" }),
  startTLS: z.boolean().default(false),
  tls: LdapTls.default({ insecureSkipVerify: false }),
  bindDN: DistinguishedName,
  bindPassword: z.string().min(1),
  usersBaseDN: DistinguishedName,
  groupsBaseDN: DistinguishedName,
  timeoutMs: z.number().int().positive().default(15_000),
  connectTimeoutMs: z.number().int().positive().default(5_000),
});
export type LdapConnection = z.infer<typeof LdapConnection>;

/** Rejects StartTLS on an ldaps:// URL (already encrypted), listing the problem for the caller. */
export function startTLSOnPlainOnly(config: { url: string; startTLS: boolean }): boolean {
  return !(config.startTLS && config.url.startsWith("ldaps:"));
}

/** Parses a connector configuration; every problem is listed in one TerminalError message. */
export function parseConfig<T extends z.ZodType>(what: string, schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new TerminalError(
    "InvalidConfiguration",
    `invalid ${what} connector configuration:\n${z.prettifyError(parsed.error)}`,
  );
}
