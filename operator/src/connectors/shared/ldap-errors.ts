/**
 * Classification of LDAP failures into Roster's error taxonomy. ldapts reports a server result as
 * a ResultCodeError carrying the LDAP result code; anything else (refused, reset, timed out, TLS
 * failure) is a transport failure and therefore transient.
 */
import { ResultCodeError } from "ldapts";
import { ConflictError, TerminalError, TransientError, type RosterError } from "../../errors.js";

/** LDAP result codes (RFC 4511 §4.1.9) that Roster branches on. */
export const LdapResult = {
  timeLimitExceeded: 3,
  adminLimitExceeded: 11,
  confidentialityRequired: 13,
  noSuchAttribute: 16,
  undefinedAttributeType: 17,
  constraintViolation: 19,
  attributeOrValueExists: 20,
  invalidAttributeSyntax: 21,
  noSuchObject: 32,
  invalidDNSyntax: 34,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  busy: 51,
  unavailable: 52,
  unwillingToPerform: 53,
  namingViolation: 64,
  objectClassViolation: 65,
  notAllowedOnNonLeaf: 66,
  entryAlreadyExists: 68,
  other: 80,
} as const;

const TRANSIENT_CODES = new Set<number>([
  LdapResult.timeLimitExceeded,
  LdapResult.adminLimitExceeded,
  LdapResult.busy,
  LdapResult.unavailable,
  LdapResult.other,
]);

const TERMINAL_REASONS: Record<number, string> = {
  [LdapResult.invalidCredentials]: "InvalidCredentials",
  [LdapResult.insufficientAccessRights]: "InsufficientAccess",
  [LdapResult.confidentialityRequired]: "ConfidentialityRequired",
  [LdapResult.undefinedAttributeType]: "UndefinedAttribute",
  [LdapResult.objectClassViolation]: "SchemaViolation",
  [LdapResult.invalidAttributeSyntax]: "InvalidAttributeSyntax",
  [LdapResult.constraintViolation]: "ConstraintViolation",
  [LdapResult.namingViolation]: "NamingViolation",
  [LdapResult.invalidDNSyntax]: "InvalidDN",
  [LdapResult.noSuchObject]: "NoSuchObject",
  [LdapResult.unwillingToPerform]: "UnwillingToPerform",
  [LdapResult.noSuchAttribute]: "NoSuchAttribute",
};

/** The LDAP result code behind an error (also through a RosterError's cause), if any. */
export function ldapResultCode(err: unknown): number | undefined {
  if (err instanceof ResultCodeError) return err.code;
  if (err instanceof Error && err.cause !== undefined) return ldapResultCode(err.cause);
  return undefined;
}

/** Whether an error is a transport failure (no LDAP result): the connection must be rebuilt. */
export function isConnectionFailure(err: unknown): boolean {
  return !(err instanceof ResultCodeError);
}

function describe(err: unknown): string {
  if (err instanceof ResultCodeError) return `${err.message.trim()} (result ${err.code})`;
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * Wraps an ldapts failure with context ("ldap add of uid=x,ou=people failed") into a
 * RosterError. Server diagnostics are kept: OpenLDAP and AD name the offending attribute there
 * ("fooBar: attribute type undefined"). Messages never include request values such as passwords.
 */
export function classifyLdapError(context: string, err: unknown): RosterError {
  const message = `${context}: ${describe(err)}`;
  const code = ldapResultCode(err);
  if (code === undefined) return new TransientError("Unavailable", message, { cause: err });
  if (TRANSIENT_CODES.has(code)) return new TransientError("Busy", message, { cause: err });
  if (code === LdapResult.entryAlreadyExists)
    return new ConflictError("AlreadyExists", message, { cause: err });
  return new TerminalError(TERMINAL_REASONS[code] ?? "LdapError", message, { cause: err });
}

/** Runs `op`, treating the given LDAP result codes as success (idempotent "already done"). */
export async function ignoringResults(codes: readonly number[], op: () => Promise<void>): Promise<void> {
  try {
    await op();
  } catch (err) {
    const code = ldapResultCode(err);
    if (code === undefined || !codes.includes(code)) throw err;
  }
}
