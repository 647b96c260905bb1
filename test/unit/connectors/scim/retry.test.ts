import {
  backoffMs,
  isRetryableStatus,
  retryAfterMs,
} from "../../../../operator/src/connectors/scim/retry.js";

describe("SCIM retry timing", () => {
  const now = Date.parse("2026-11-25T12:00:00Z");

  it.each([
    ["delay-seconds", "3", 3000],
    ["zero seconds", "0", 0],
    ["an HTTP-date in the future", "Wed, 25 Nov 2026 12:00:05 GMT", 5000],
    ["an HTTP-date in the past", "Wed, 25 Nov 2026 11:00:00 GMT", 0],
    ["garbage", "soon", undefined],
    ["a negative number", "-5", undefined],
    ["no header", null, undefined],
  ])("reads Retry-After given as %s", (_why, header, expected) => {
    expect(retryAfterMs(header, now)).toBe(expected);
  });

  it("backs off exponentially between half and all of the ceiling, capped", () => {
    expect(backoffMs(1, 200, () => 0)).toBe(100);
    expect(backoffMs(1, 200, () => 1)).toBe(200);
    expect(backoffMs(3, 200, () => 1)).toBe(800);
    expect(backoffMs(20, 200, () => 1, 5000)).toBe(5000);
  });

  it.each([
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [501, false],
    [400, false],
    [409, false],
  ])("status %i retryable: %s", (status, expected) => {
    expect(isRetryableStatus(status)).toBe(expected);
  });
});
