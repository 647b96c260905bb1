import type { ScimQuirks } from "../../../../operator/src/connectors/scim/config.js";
import {
  MEMBER_CHANGES_PER_PATCH,
  planMembership,
} from "../../../../operator/src/connectors/scim/membership-plan.js";
import { memberRemovals } from "../../../../operator/src/connectors/scim/quirks.js";

const rfc: ScimQuirks = { memberRemoval: "filterPath", patchOperationsKey: "Operations" };
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe("SCIM membership plan", () => {
  it("is undefined when every addition is present and every removal absent", () => {
    expect(planMembership(["a", "b"], { add: ["a"], remove: ["c"] }, rfc)).toBeUndefined();
    expect(planMembership([], { add: [], remove: [] }, rfc)).toBeUndefined();
  });

  it("adds only the missing members, once each, and removes only the present ones", () => {
    const plan = planMembership(["a", "b"], { add: ["a", "c", "c"], remove: ["b", "z"] }, rfc);
    expect(plan).toEqual({
      patches: [
        [
          { op: "add", path: "members", value: [{ value: "c" }] },
          { op: "remove", path: 'members[value eq "b"]' },
        ],
      ],
      next: ["a", "c"],
    });
  });

  it("cuts the member changes into PATCHes of at most 100", () => {
    expect(MEMBER_CHANGES_PER_PATCH).toBe(100);
    const current = ids("old", 150);
    const plan = planMembership(current, { add: ids("new", 180), remove: ids("old", 70) }, rfc);
    const sizes = plan!.patches.map((ops) =>
      ops.reduce((n, op) => n + (Array.isArray(op.value) ? op.value.length : 1), 0),
    );
    expect(sizes).toEqual([100, 100, 50]);
    // The second request carries the last 80 additions and the first 20 removals.
    expect(plan!.patches[1]![0]).toEqual({
      op: "add",
      path: "members",
      value: ids("new", 180)
        .slice(100)
        .map((value) => ({ value })),
    });
    expect(plan!.patches[1]).toHaveLength(21);
    expect(plan!.next).toEqual([...ids("old", 150).slice(70), ...ids("new", 180)]);
  });

  it("honours a smaller chunk size", () => {
    const plan = planMembership([], { add: ids("u", 5), remove: [] }, rfc, 2);
    expect(plan!.patches.map((ops) => (ops[0]!.value as unknown[]).length)).toEqual([2, 2, 1]);
  });

  it("removes many members as one value array for peers with that quirk", () => {
    const quirks: ScimQuirks = { ...rfc, memberRemoval: "valueArray" };
    const plan = planMembership(["a", "b", "c"], { add: [], remove: ["a", "c"] }, quirks);
    expect(plan!.patches).toEqual([
      [{ op: "remove", path: "members", value: [{ value: "a" }, { value: "c" }] }],
    ]);
    expect(memberRemovals([], quirks)).toEqual([]);
  });

  it("escapes ids in removal value paths", () => {
    expect(memberRemovals(['x"y', "z"], rfc)).toEqual([
      { op: "remove", path: 'members[value eq "x\\"y"]' },
      { op: "remove", path: 'members[value eq "z"]' },
    ]);
  });
});
