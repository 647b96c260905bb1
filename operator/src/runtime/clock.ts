/**
 * Time as the runtime sees it. Every component that waits or measures takes a Clock, so unit tests
 * drive time by hand (FakeClock) and never sleep.
 *
 * Contract: `now()` is milliseconds on a monotonic-enough scale (wall clock for RealClock);
 * `setTimer(fn, ms)` calls `fn` once, no earlier than `ms` later, unless cancelled first.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): number;
  setTimer(fn: () => void, delayMs: number): TimerHandle;
}

/** setTimeout's limit (2^31 - 1 ms, ~24.8 days): longer delays would fire at once. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * The real clock; its timers do not keep the process alive on their own (unref). Delays longer
 * than setTimeout allows (an endDate next year) are waited out in steps, never fired early.
 */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, delayMs) {
    const dueAt = Date.now() + Math.max(0, delayMs);
    let timer: ReturnType<typeof setTimeout>;
    const arm = (): void => {
      const remaining = dueAt - Date.now();
      timer = setTimeout(
        remaining > MAX_TIMEOUT_MS ? arm : fn,
        Math.min(Math.max(0, remaining), MAX_TIMEOUT_MS),
      );
      timer.unref();
    };
    arm();
    return { cancel: () => clearTimeout(timer) };
  },
};

/** Resolves after `delayMs` on `clock`, or rejects early with the signal's reason when aborted. */
export function sleep(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => {
      handle.cancel();
      reject(signal?.reason as Error);
    };
    const handle = clock.setTimer(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
