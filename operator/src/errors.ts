/**
 * Roster's error taxonomy. Every error that crosses a layer boundary is one of these, so callers
 * decide by class (retry, stop, report a conflict) and metrics label by the stable `kind`.
 * Messages are sentences with context ("ldap search at ou=people failed: ...") and never carry
 * secret values.
 */
export type ErrorKind = "Transient" | "Terminal" | "Conflict";

export abstract class RosterError extends Error {
  abstract readonly kind: ErrorKind;
  /** A stable CamelCase reason, usable as a condition reason and a metric label. */
  readonly reason: string;

  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
    this.name = new.target.name;
  }
}

/** Worth retrying: the system is down, busy, timed out, or asked us to come back later. */
export class TransientError extends RosterError {
  readonly kind = "Transient" as const;
  /** When the remote side told us how long to wait (Retry-After), in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(reason: string, message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(reason, message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** Retrying will not help until someone changes configuration or data (bad credentials, schema violation). */
export class TerminalError extends RosterError {
  readonly kind = "Terminal" as const;
}

/** The target holds something Roster does not own where Roster wants to write (an unowned account). */
export class ConflictError extends RosterError {
  readonly kind = "Conflict" as const;
}

export function isRosterError(err: unknown): err is RosterError {
  return err instanceof RosterError;
}

/** Wraps an unknown failure with context, keeping a RosterError's class and reason. */
export function withContext(context: string, err: unknown): RosterError {
  const message = `${context}: ${err instanceof Error ? err.message : String(err)}`;
  if (err instanceof TransientError)
    return new TransientError(err.reason, message, { cause: err, retryAfterMs: err.retryAfterMs });
  if (err instanceof TerminalError) return new TerminalError(err.reason, message, { cause: err });
  if (err instanceof ConflictError) return new ConflictError(err.reason, message, { cause: err });
  return new TransientError("Unexpected", message, { cause: err });
}
