import { FakeClock } from "../../../operator/src/runtime/fake-clock.js";
import {
  ExponentialBackoffLimiter,
  TokenBucketLimiter,
  defaultRateLimiter,
} from "../../../operator/src/runtime/queue/rate-limiter.js";

describe("ExponentialBackoffLimiter", () => {
  it("doubles per failure from the base and caps at the maximum", () => {
    const limiter = new ExponentialBackoffLimiter(5, 1_000_000);
    const delays = Array.from({ length: 30 }, () => limiter.when("k"));
    expect(delays.slice(0, 5)).toEqual([5, 10, 20, 40, 80]);
    expect(delays[17]).toBe(655_360);
    expect(delays[18]).toBe(1_000_000);
    expect(delays[29]).toBe(1_000_000);
  });

  it("keeps histories per key", () => {
    const limiter = new ExponentialBackoffLimiter(5, 1000);
    limiter.when("a");
    limiter.when("a");
    expect(limiter.when("b")).toBe(5);
    expect(limiter.numRequeues("a")).toBe(2);
  });

  it("stays at the cap for absurd failure counts", () => {
    const limiter = new ExponentialBackoffLimiter(5, 1000);
    for (let i = 0; i < 2000; i++) limiter.when("k");
    expect(limiter.when("k")).toBe(1000);
  });
});

describe("TokenBucketLimiter", () => {
  it("lets a burst through, then spaces requests at the refill rate", async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucketLimiter(clock, 10, 100);
    const burst = Array.from({ length: 100 }, (_, i) => bucket.when(`k${i}`));
    expect(burst.every((d) => d === 0)).toBe(true);
    expect(bucket.when("x")).toBe(100);
    expect(bucket.when("y")).toBe(200);
    await clock.advance(1000);
    // 10 tokens refilled, 2 were owed: the next 8 pass, the 9th waits.
    expect(Array.from({ length: 8 }, () => bucket.when("z"))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(bucket.when("z")).toBe(100);
  });
});

describe("defaultRateLimiter", () => {
  it("takes the slower of per-key backoff and the overall bucket", () => {
    const clock = new FakeClock();
    const limiter = defaultRateLimiter(clock, { qps: 1, burst: 2 });
    expect(limiter.when("a")).toBe(5);
    expect(limiter.when("b")).toBe(5);
    expect(limiter.when("c")).toBe(1000);
    limiter.forget("a");
    expect(limiter.numRequeues("a")).toBe(0);
  });
});
