import {
  assertAttributePath,
  equalityFilter,
  needsEscaping,
  scimStringLiteral,
  valuePath,
} from "../../../../operator/src/connectors/scim/filter.js";

describe("SCIM filter string literals (RFC 7644 §3.4.2.2)", () => {
  it.each([
    ["a plain name stays as it is", "alice", '"alice"'],
    ["a double quote is escaped", 'al"ice', '"al\\"ice"'],
    ["a backslash is escaped", "al\\ice", '"al\\\\ice"'],
    ["a backslash before a quote escapes both", '\\"', '"\\\\\\""'],
    ["control characters are escaped", "a\nb\tc\u0001", '"a\\nb\\tc\\u0001"'],
    ["non-ASCII passes through", "Zoë Ünal", '"Zoë Ünal"'],
    [
      "an injection attempt stays inside the literal",
      'x" or userName pr or userName eq "y',
      '"x\\" or userName pr or userName eq \\"y"',
    ],
  ])("%s", (_reason, value, literal) => {
    expect(scimStringLiteral(value)).toBe(literal);
    // Reading the literal back as JSON yields exactly the value: nothing leaks out of it.
    expect(JSON.parse(literal)).toBe(value);
  });

  it("builds an equality filter with the value as one literal", () => {
    expect(equalityFilter("userName", 'a" or "1" eq "1')).toBe('userName eq "a\\" or \\"1\\" eq \\"1"');
    expect(
      equalityFilter("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "7"),
    ).toBe('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7"');
  });

  it.each([["userName or 1"], ['userName eq "x"'], ["members[value"], [""], ["1abc"]])(
    "refuses %j as an attribute path",
    (path) => {
      expect(() => assertAttributePath(path)).toThrow(/not a SCIM attribute path/);
    },
  );

  it("builds value paths for PATCH", () => {
    expect(valuePath("members", "value", 'id"1')).toBe('members[value eq "id\\"1"]');
  });

  it("tells which values need escape sequences", () => {
    expect(needsEscaping("plain-name.1")).toBe(false);
    expect(needsEscaping('a"b')).toBe(true);
    expect(needsEscaping("a\\b")).toBe(true);
  });
});
