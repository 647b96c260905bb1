import { builtinResourceTypes } from "../../../localkube/src/kinds/builtins.js";
import { matchesLabels, parseFieldSelector, parseLabelSelector } from "../../../localkube/src/selectors.js";

const secrets = builtinResourceTypes().find((r) => r.plural === "secrets");

describe("label selectors", () => {
  const cases: Array<[selector: string, labels: Record<string, string>, expected: boolean]> = [
    ["a=1", { a: "1" }, true],
    ["a==1", { a: "2" }, false],
    ["a!=1", {}, true],
    ["a!=1", { a: "1" }, false],
    ["a in (1, 2)", { a: "2" }, true],
    ["a notin (1,2)", {}, true],
    ["a notin (1,2)", { a: "1" }, false],
    ["a", { a: "" }, true],
    ["!a", { b: "1" }, true],
    ["a=1,b in (x),!c", { a: "1", b: "x" }, true],
    ["example.com/team=blue", { "example.com/team": "blue" }, true],
    ["", {}, true],
  ];
  it.each(cases)("%s on %j is %s", (selector, labels, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it.each(["a in (", "a=b c", "=x", "a=" + "x".repeat(64)])("rejects %s with 400", (selector) => {
    expect(() => parseLabelSelector(selector)).toThrow(expect.objectContaining({ code: 400 }));
  });
});

describe("field selectors", () => {
  it("accepts supported fields and rejects others with Kubernetes' message", () => {
    if (!secrets) throw new Error("secrets missing");
    expect(parseFieldSelector("metadata.name=a,type!=Opaque", secrets)).toEqual([
      { field: "metadata.name", op: "=", value: "a" },
      { field: "type", op: "!=", value: "Opaque" },
    ]);
    expect(() => parseFieldSelector("spec.x=1", secrets)).toThrow("field label not supported: spec.x");
  });
});
