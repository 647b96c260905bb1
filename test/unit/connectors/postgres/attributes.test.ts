import {
  changedProperties,
  descriptiveAttributes,
  mergeDescriptive,
  observedAttributes,
  roleProperties,
  type RoleRow,
} from "../../../../operator/src/connectors/postgres/attributes.js";
import { TerminalError } from "../../../../operator/src/errors.js";

const row = (overrides: Partial<RoleRow> = {}): RoleRow => ({
  name: "ada",
  canLogin: true,
  connectionLimit: -1,
  validUntil: null,
  comment: null,
  roles: [],
  ...overrides,
});

describe("PostgreSQL role attributes", () => {
  it("takes connectionLimit and validUntil as role properties, null clearing them", () => {
    expect(
      roleProperties({ connectionLimit: "3", validUntil: "2027-01-01T00:00:00Z", displayName: "Ada" }),
    ).toEqual({
      connectionLimit: 3,
      validUntil: "2027-01-01T00:00:00Z",
    });
    expect(roleProperties({ connectionLimit: null, validUntil: null })).toEqual({
      connectionLimit: -1,
      validUntil: "infinity",
    });
  });

  it("refuses a list value for a role property", () => {
    expect(() => roleProperties({ connectionLimit: ["1", "2"] })).toThrow(TerminalError);
  });

  it("keeps every other attribute as descriptive", () => {
    expect(descriptiveAttributes({ connectionLimit: "3", validUntil: "x", mail: "a@b" })).toEqual({
      mail: "a@b",
    });
  });

  it("merges an update into the descriptive attributes: replace, add, remove with null", () => {
    expect(mergeDescriptive({ a: "1", b: "2" }, { a: "9", b: null, c: ["x"], connectionLimit: "4" })).toEqual(
      {
        a: "9",
        c: ["x"],
      },
    );
  });

  it.each([
    ["no limit and no expiry: only the descriptive ones", row(), {}],
    ["a limit", row({ connectionLimit: 4 }), { connectionLimit: "4" }],
    ["a finite expiry", row({ validUntil: "2027-01-01T00:00:00Z" }), { validUntil: "2027-01-01T00:00:00Z" }],
    ["an infinite expiry, as none", row({ validUntil: "infinity" }), {}],
  ])("reports %s", (_reason, r, expected) => {
    expect(observedAttributes(r, { displayName: "Ada" })).toEqual({ displayName: "Ada", ...expected });
  });

  it("reports only properties that differ, so an unchanged update writes nothing", () => {
    const current = row({ canLogin: false, connectionLimit: 5, validUntil: "2027-01-01T00:00:00Z" });
    expect(
      changedProperties(current, {
        login: false,
        connectionLimit: 5,
        validUntil: "2027-01-01T00:00:00.000Z",
      }),
    ).toEqual({});
    expect(changedProperties(current, { login: true, connectionLimit: 6, validUntil: "infinity" })).toEqual({
      login: true,
      connectionLimit: 6,
      validUntil: "infinity",
    });
    expect(changedProperties(row(), { validUntil: "infinity" })).toEqual({});
  });
});
