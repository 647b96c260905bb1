/**
 * Classifies failures from the pg driver and the server into Roster's error taxonomy, by SQLSTATE
 * (https://www.postgresql.org/docs/15/errcodes-appendix.html) or the socket / TLS error code.
 * Server messages name roles and privileges, never passwords, so they are kept in the message.
 * Pure: no I/O.
 */
import {
  ConflictError,
  RosterError,
  TerminalError,
  TransientError,
  isRosterError,
  withContext,
} from "../../errors.js";

type Classified = { kind: "transient" | "terminal" | "conflict"; reason: string };

const BY_SQLSTATE: Record<string, Classified> = {
  "28P01": { kind: "terminal", reason: "AuthenticationFailed" },
  "28000": { kind: "terminal", reason: "AuthenticationFailed" },
  "42501": { kind: "terminal", reason: "PermissionDenied" },
  "57P01": { kind: "transient", reason: "ServerShuttingDown" },
  "57P02": { kind: "transient", reason: "ServerShuttingDown" },
  "57P03": { kind: "transient", reason: "ServerUnavailable" },
  "53300": { kind: "transient", reason: "TooManyConnections" },
  "57014": { kind: "transient", reason: "StatementTimeout" },
  "55P03": { kind: "transient", reason: "LockNotAvailable" },
  "40001": { kind: "transient", reason: "SerializationFailure" },
  "40P01": { kind: "transient", reason: "Deadlock" },
  "42710": { kind: "conflict", reason: "RoleExists" },
  "42704": { kind: "terminal", reason: "RoleNotFound" },
  "3D000": { kind: "terminal", reason: "DatabaseNotFound" },
  "2BP01": { kind: "terminal", reason: "OwnsObjects" },
  "42939": { kind: "terminal", reason: "InvalidRoleName" },
};

/** SQLSTATE classes (first two characters) when the exact code is not listed above. */
const BY_CLASS: Record<string, Classified> = {
  "08": { kind: "transient", reason: "ConnectionFailed" },
  "53": { kind: "transient", reason: "InsufficientResources" },
  "57": { kind: "transient", reason: "OperatorIntervention" },
  "58": { kind: "transient", reason: "SystemError" },
  "22": { kind: "terminal", reason: "InvalidValue" },
  "23": { kind: "terminal", reason: "ConstraintViolation" },
  "0A": { kind: "terminal", reason: "NotSupported" },
  "2B": { kind: "terminal", reason: "DependentObjects" },
  "42": { kind: "terminal", reason: "InvalidStatement" },
};

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

/** Driver messages (no code) for connections lost or never made. */
const LOST_CONNECTION =
  /connection terminated|timeout exceeded when trying to connect|not queryable|connection error/i;

function classify(err: unknown): Classified {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code === "string") {
    const known = BY_SQLSTATE[code] ?? (/^[0-9A-Z]{5}$/.test(code) ? BY_CLASS[code.slice(0, 2)] : undefined);
    if (known) return known;
    if (NETWORK_CODES.has(code)) return { kind: "transient", reason: "ConnectionFailed" };
    if (TLS_CODES.test(code)) return { kind: "terminal", reason: "TlsFailed" };
  }
  if (LOST_CONNECTION.test(message)) return { kind: "transient", reason: "ConnectionFailed" };
  if (/does not support SSL/i.test(message)) return { kind: "terminal", reason: "TlsFailed" };
  if (/password must be a string|SASL/i.test(message))
    return { kind: "terminal", reason: "AuthenticationFailed" };
  return { kind: "transient", reason: "Unexpected" };
}

export interface ClassifyOptions {
  /** The privilege the failed step needs, named in a permission-denied message (e.g. "CREATEROLE"). */
  privilege?: string;
}

/**
 * Wraps a failure with context ("postgres create of role "ada" failed") as a RosterError.
 * RosterErrors thrown by the connector itself keep their class and reason.
 */
export function classifyPostgresError(
  context: string,
  err: unknown,
  options: ClassifyOptions = {},
): RosterError {
  if (isRosterError(err)) return withContext(context, err);
  const { kind, reason } = classify(err);
  let message = `${context}: ${err instanceof Error ? err.message : String(err)}`;
  if (reason === "PermissionDenied" && options.privilege)
    message += ` (the admin role needs ${options.privilege})`;
  if (reason === "AuthenticationFailed") message += " (check the admin credentials in the Target's Secret)";
  if (kind === "transient") return new TransientError(reason, message, { cause: err });
  if (kind === "conflict") return new ConflictError(reason, message, { cause: err });
  return new TerminalError(reason, message, { cause: err });
}

/** The SQLSTATE of a server error, if any. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
