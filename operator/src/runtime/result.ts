import { ConflictError, TerminalError, TransientError } from "../errors.js";
import { ApiError } from "./kube/client.js";

/**
 * The one result every reconcile returns:
 * - `done`: the key is in its desired state; its failure history is cleared.
 * - `requeueAfter`: come back at exactly now + delayMs (expiry, a start date, a drift poll).
 * - `transientError`: retry with per-key exponential backoff, never sooner than `retryAfterMs`.
 * - `terminalError`: do not retry (the reconcile reports it in a condition); a later change to
 *   the object or a resync brings the key back.
 */
export type ReconcileResult =
  | { readonly kind: "done" }
  | { readonly kind: "requeueAfter"; readonly delayMs: number }
  | { readonly kind: "transientError"; readonly error: Error; readonly retryAfterMs?: number }
  | { readonly kind: "terminalError"; readonly error: Error };

export const done: ReconcileResult = Object.freeze({ kind: "done" });

export function requeueAfter(delayMs: number): ReconcileResult {
  return { kind: "requeueAfter", delayMs: Math.max(0, delayMs) };
}

export function transientError(error: Error, retryAfterMs?: number): ReconcileResult {
  return retryAfterMs === undefined
    ? { kind: "transientError", error }
    : { kind: "transientError", error, retryAfterMs };
}

export function terminalError(error: Error): ReconcileResult {
  return { kind: "terminalError", error };
}

/**
 * Maps something a reconcile threw to a result, by the shared error taxonomy: TerminalError and
 * ConflictError do not retry; TransientError retries (honouring its retryAfterMs); an ApiError
 * retries, honouring the server's Retry-After (429, 503); anything else is unexpected and treated
 * as transient.
 */
export function resultFromError(thrown: unknown): ReconcileResult {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  if (error instanceof TerminalError || error instanceof ConflictError) return terminalError(error);
  if (error instanceof TransientError) return transientError(error, error.retryAfterMs);
  if (error instanceof ApiError && error.retryAfterSeconds !== undefined) {
    return transientError(error, error.retryAfterSeconds * 1000);
  }
  return transientError(error);
}
