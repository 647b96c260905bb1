import { toObservedAccount, toRoleRow } from "../../../../operator/src/connectors/postgres/queries.js";

describe("mapping catalog rows to observed accounts", () => {
  it("reports a Roster role with its marker, state, properties, comment attributes and roles", () => {
    const row = toRoleRow({
      name: "Ada Lovelace",
      can_login: false,
      connection_limit: 3,
      valid_until: "2027-01-01T00:00:00Z",
      comment: 'roster:{"owner":"roster.dev/t","attributes":{"displayName":"Ada"}}',
      roles: ["analysts"],
    });
    expect(toObservedAccount(row)).toEqual({
      id: "Ada Lovelace",
      username: "Ada Lovelace",
      owner: "roster.dev/t",
      enabled: false,
      attributes: { displayName: "Ada", connectionLimit: "3", validUntil: "2027-01-01T00:00:00Z" },
      roles: ["analysts"],
    });
  });

  it("reports a role without the marker as unowned, ignoring its free-text comment", () => {
    const row = toRoleRow({
      name: "dba",
      can_login: true,
      connection_limit: -1,
      valid_until: "infinity",
      comment: "the DBA on call",
      roles: [],
    });
    expect(toObservedAccount(row)).toEqual({
      id: "dba",
      username: "dba",
      owner: undefined,
      enabled: true,
      attributes: {},
      roles: [],
    });
  });
});
