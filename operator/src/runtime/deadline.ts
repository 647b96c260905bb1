/**
 * Request deadlines without leftover timers: AbortSignal.timeout() keeps its timer alive for the
 * whole timeout even after the request finished, so under load thousands of them pile up (memory,
 * timer-list work). Here the timer and the parent listener are released as soon as the work settles.
 */

/**
 * Runs `run` with a signal that aborts after `timeoutMs` (reason: a TimeoutError DOMException) or
 * when `parent` aborts (its reason); the timer and the listener are gone once `run` settles.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  parent: AbortSignal | undefined,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, "TimeoutError")),
    timeoutMs,
  );
  const onAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) onAbort();
  else parent?.addEventListener("abort", onAbort, { once: true });
  try {
    return await run(controller.signal);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener("abort", onAbort);
  }
}

/** Whether `signal` (one given by withDeadline) aborted because its deadline passed. */
export function deadlinePassed(signal: AbortSignal | undefined): boolean {
  const reason: unknown = signal?.reason;
  return signal?.aborted === true && reason instanceof DOMException && reason.name === "TimeoutError";
}
