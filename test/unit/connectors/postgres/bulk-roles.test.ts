import { membersToWrite } from "../../../../operator/src/connectors/postgres/bulk-roles.js";
import { grantRolesSql, revokeRolesSql } from "../../../../operator/src/connectors/postgres/sql.js";

describe("members written by a batch membership change", () => {
  const held = new Map([
    ["ada", [{ role: "staff", ours: true }]],
    ["bob", [{ role: "staff", ours: false }]],
    ["cy", [{ role: "ops", ours: true }]],
  ]);
  const delta = {
    role: "staff",
    add: ["ada", "bob", "cy", "cy", "dee"],
    remove: ["ada", "bob", "cy", "ada"],
  };

  it("grants only to members that hold the role from no grantor, each once", () => {
    expect(membersToWrite("addRoles", delta, held)).toEqual({ write: ["cy", "dee"], theirs: [] });
  });

  it("revokes only memberships Roster granted, naming those someone else granted", () => {
    expect(membersToWrite("removeRoles", delta, held)).toEqual({ write: ["ada"], theirs: ["bob"] });
  });
});

describe("GRANT / REVOKE of one role to many members", () => {
  it("quotes every member and writes nothing without members", () => {
    expect(grantRolesSql(["staff"], ["ada", 'o"brien', "x; DROP ROLE y"])).toBe(
      'GRANT "staff" TO "ada", "o""brien", "x; DROP ROLE y"',
    );
    expect(revokeRolesSql(["staff"], ["ada", "Bob"])).toBe('REVOKE "staff" FROM "ada", "Bob"');
    expect(grantRolesSql(["staff"], [])).toBeUndefined();
    expect(revokeRolesSql([], ["ada"])).toBeUndefined();
  });

  it("refuses a member name PostgreSQL would truncate", () => {
    expect(() => grantRolesSql(["staff"], ["ada", "x".repeat(64)])).toThrow(/InvalidRoleName|64 bytes/);
  });
});
