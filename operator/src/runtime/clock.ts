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

/** The real clock; its timers do not keep the process alive on their own (unref). */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, delayMs) {
    const timer = setTimeout(fn, Math.max(0, delayMs));
    timer.unref();
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
