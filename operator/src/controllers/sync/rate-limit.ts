import { sleep, TokenBucketLimiter, type Clock, type KubeObject } from "../../runtime/index.js";
import type { TargetState } from "./target-state.js";

/**
 * The Target's spec.rateLimit as a wait before each operation: one token bucket per Target, kept
 * in its state and rebuilt when the spec changes. Undefined when the Target sets no limit.
 */
export function rateLimitFor(
  state: TargetState,
  obj: KubeObject,
  clock: Clock,
): (() => Promise<void>) | undefined {
  const limit = (obj.spec as { rateLimit?: { operationsPerSecond: number; burst?: number } }).rateLimit;
  if (!limit) return undefined;
  const burst = limit.burst ?? limit.operationsPerSecond;
  const spec = `${limit.operationsPerSecond}/${burst}`;
  if (state.rateLimiter?.spec !== spec) {
    state.rateLimiter = { spec, limiter: new TokenBucketLimiter(clock, limit.operationsPerSecond, burst) };
  }
  const limiter = state.rateLimiter.limiter;
  return async () => {
    const delay = limiter.when("operations");
    if (delay > 0) await sleep(clock, delay);
  };
}
