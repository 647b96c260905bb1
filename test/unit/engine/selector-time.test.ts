import { matchesSelector } from "../../../operator/src/engine/selector.js";
import { nextAfter, parseDuration } from "../../../operator/src/engine/time.js";

describe("label selector matching", () => {
  const labels = { "roster.dev/department": "sales", tier: "gold" };
  it.each([
    ["an empty selector matches everything", {}, true],
    ["matchLabels equal", { matchLabels: { "roster.dev/department": "sales" } }, true],
    ["matchLabels differ", { matchLabels: { "roster.dev/department": "it" } }, false],
    [
      "In holds",
      { matchExpressions: [{ key: "tier", operator: "In" as const, values: ["gold", "x"] }] },
      true,
    ],
    [
      "In on a missing key fails",
      { matchExpressions: [{ key: "z", operator: "In" as const, values: ["a"] }] },
      false,
    ],
    [
      "NotIn matches a missing key",
      { matchExpressions: [{ key: "z", operator: "NotIn" as const, values: ["a"] }] },
      true,
    ],
    [
      "NotIn excludes",
      { matchExpressions: [{ key: "tier", operator: "NotIn" as const, values: ["gold"] }] },
      false,
    ],
    ["Exists", { matchExpressions: [{ key: "tier", operator: "Exists" as const }] }, true],
    ["DoesNotExist", { matchExpressions: [{ key: "tier", operator: "DoesNotExist" as const }] }, false],
    [
      "all requirements must hold",
      {
        matchLabels: { tier: "gold" },
        matchExpressions: [{ key: "tier", operator: "DoesNotExist" as const }],
      },
      false,
    ],
  ])("%s", (_name, selector, expected) => {
    expect(matchesSelector(selector, labels)).toBe(expected);
  });
});

describe("durations and instants", () => {
  it.each([
    ["2h", 7_200_000],
    ["90m", 5_400_000],
    ["1h30m", 5_400_000],
    ["1.5h", 5_400_000],
    ["7d", 604_800_000],
    ["250ms", 250],
  ])("parses %s", (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(["", "2", "h", "2 hours", "1h-5m"])("rejects %j with a message saying what is allowed", (text) => {
    expect(() => parseDuration(text)).toThrow(/invalid duration .*units ms, s, m, h, d/);
  });
  it("picks the earliest future instant", () => {
    expect(nextAfter(10, 5, undefined, 30, 20)).toBe(20);
    expect(nextAfter(10, 5, 10)).toBeUndefined();
  });
});
