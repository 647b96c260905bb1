import {
  filterMissNeedsScan,
  isUnparsedEscapeFilter,
  listPage,
  managerId,
  memberRemoval,
  missingMembers,
  patchRequest,
  scimBoolean,
} from "../../../../operator/src/connectors/scim/quirks.js";
import type { ScimQuirks } from "../../../../operator/src/connectors/scim/config.js";

const rfc: ScimQuirks = { memberRemoval: "filterPath", patchOperationsKey: "Operations" };

describe("SCIM peer quirks", () => {
  it.each([
    [true, true],
    [false, false],
    ["True", true],
    ["False", false],
    [" true ", true],
    ["FALSE", false],
    ["yes", undefined],
    [1, undefined],
    [undefined, undefined],
  ])("reads %j as boolean %j", (value, expected) => {
    expect(scimBoolean(value)).toBe(expected);
  });

  it("puts PATCH operations under the key the peer expects", () => {
    const ops = [{ op: "replace" as const, path: "active", value: false }];
    expect(patchRequest(ops, rfc)).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: ops,
    });
    expect(patchRequest(ops, { ...rfc, patchOperationsKey: "operations" })).toHaveProperty("operations", ops);
  });

  it("removes a member with an RFC value path, escaping the id", () => {
    expect(memberRemoval('u"1', rfc)).toEqual({ op: "remove", path: 'members[value eq "u\\"1"]' });
  });

  it("removes a member with a value array for Entra-style peers", () => {
    expect(memberRemoval("u1", { ...rfc, memberRemoval: "valueArray" })).toEqual({
      op: "remove",
      path: "members",
      value: [{ value: "u1" }],
    });
  });

  it("adds only the members that are missing, once each", () => {
    expect(missingMembers(["a", "b"], ["b", "c", "c"])).toEqual(["c"]);
    expect(missingMembers(["a"], ["a"])).toEqual([]);
  });

  it.each([
    ["RFC casing", { Resources: [{ id: "1" }], totalResults: 1, itemsPerPage: 1 }, 1, 1],
    ["lower-case resources and string numbers", { resources: [{ id: "1" }], totalResults: "3" }, 1, 3],
    ["an empty list without Resources", { totalResults: 0 }, 0, 0],
  ])("reads a list response with %s", (_why, body, length, total) => {
    const page = listPage(body);
    expect(page?.resources).toHaveLength(length);
    expect(page?.totalResults).toBe(total);
  });

  it.each([
    [null],
    ["<html>"],
    [{ Resources: "x" }],
    [{ Resources: [1, 2] }],
    [[{ id: 1 }]],
    [{ totalResults: 2 }],
  ])("refuses %j as a list response", (body) => {
    expect(listPage(body)).toBeUndefined();
  });

  it("blames a rejected filter on escaping only when the value needed escapes", () => {
    expect(isUnparsedEscapeFilter(400, "invalidFilter", 'a"b')).toBe(true);
    expect(isUnparsedEscapeFilter(400, "invalidFilter", "ab")).toBe(false);
    expect(isUnparsedEscapeFilter(400, "invalidValue", 'a"b')).toBe(false);
  });

  it.each([
    ["a string", "m1", "m1"],
    ["an object", { value: "m1", displayName: "Boss" }, "m1"],
    ["a one-element array", [{ value: "m1" }], "m1"],
    ["an object with only $ref", { $ref: "https://x/Users/m1" }, undefined],
    ["nothing", undefined, undefined],
  ])("reads the manager id from %s", (_shape, value, expected) => {
    expect(managerId(value)).toBe(expected);
  });
});

describe("SCIM filter miss confirmation", () => {
  it("confirms a miss by scanning only for values with escape sequences", () => {
    expect(filterMissNeedsScan("back\\slash")).toBe(true);
    expect(filterMissNeedsScan('q"uote')).toBe(true);
    expect(filterMissNeedsScan("alice-1")).toBe(false);
  });
});
