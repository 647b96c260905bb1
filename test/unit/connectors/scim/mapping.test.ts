import {
  attributeOperations,
  decodeOwner,
  encodeExternalId,
  ENTERPRISE_SCHEMA,
  observedUser,
  replacedResource,
  singleValue,
  userResource,
  USER_SCHEMA,
} from "../../../../operator/src/connectors/scim/mapping.js";
import { TerminalError } from "../../../../operator/src/errors.js";

describe("SCIM user mapping", () => {
  it("builds a POST body with core and enterprise attributes", () => {
    const body = userResource({
      userName: "ada",
      externalId: "uid-1",
      active: false,
      attributes: {
        givenName: "Ada",
        familyName: "Lovelace",
        email: "ada@example.com",
        department: "R&D",
        manager: "id-9",
      },
    });
    expect(body).toEqual({
      schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
      userName: "ada",
      externalId: "uid-1",
      active: false,
      name: { givenName: "Ada", familyName: "Lovelace" },
      emails: [{ value: "ada@example.com", type: "work", primary: true }],
      [ENTERPRISE_SCHEMA]: { department: "R&D", manager: { value: "id-9" } },
    });
  });

  it("declares only the core schema when no enterprise attribute is set", () => {
    expect(
      userResource({ userName: "a", externalId: "m", active: true, attributes: { title: "x" } }).schemas,
    ).toEqual([USER_SCHEMA]);
  });

  it("builds PATCH operations: replace to set, remove to clear", () => {
    expect(attributeOperations({ title: "CTO", department: null, email: "n@example.com" })).toEqual([
      { op: "replace", path: "title", value: "CTO" },
      { op: "remove", path: `${ENTERPRISE_SCHEMA}:department` },
      { op: "replace", path: "emails", value: [{ value: "n@example.com", type: "work", primary: true }] },
    ]);
  });

  it("refuses attributes it does not map, and multi-valued values", () => {
    expect(() => attributeOperations({ shoeSize: "44" })).toThrow(TerminalError);
    expect(() => singleValue("title", ["a", "b"])).toThrow(/takes one value/);
    expect(singleValue("title", ["a"])).toBe("a");
  });

  it("applies changes to a full resource for PUT, without meta", () => {
    const current = {
      schemas: [USER_SCHEMA],
      id: "1",
      userName: "ada",
      title: "Dev",
      meta: { version: 'W/"3"' },
      name: { givenName: "Ada" },
    };
    const next = replacedResource(current, { title: null, department: "Ops" }, { active: false });
    expect(next).toEqual({
      schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
      id: "1",
      userName: "ada",
      name: { givenName: "Ada" },
      active: false,
      [ENTERPRISE_SCHEMA]: { department: "Ops" },
    });
    expect(current.title).toBe("Dev"); // the input is not modified
  });

  it("observes a user, reading string booleans and the primary e-mail", () => {
    const observed = observedUser({
      id: "7",
      userName: "ada",
      externalId: "uid-1",
      active: "False",
      emails: [
        { value: "home@example.com", type: "home" },
        { value: "work@example.com", primary: "True" },
      ],
      [ENTERPRISE_SCHEMA]: { employeeNumber: "42", manager: { value: "9" } },
    });
    expect(observed).toEqual({
      id: "7",
      username: "ada",
      owner: "uid-1",
      enabled: false,
      attributes: { email: "work@example.com", employeeNumber: "42", manager: "9" },
    });
  });

  it("treats a missing `active` as enabled and a missing externalId as unowned", () => {
    expect(observedUser({ id: "1", userName: "x" })).toMatchObject({ enabled: true, owner: undefined });
  });

  it("refuses a user without id or userName as malformed", () => {
    expect(() => observedUser({ userName: "x" })).toThrow(/without id or userName/);
  });

  it.each([
    ["marker", "uid-1", "uid-1"],
    ["markerWithUserName", "roster/t#ada", "roster/t"],
  ] as const)("round-trips the owner marker with the %s encoding", (encoding, externalId, marker) => {
    const markerIn = encoding === "marker" ? "uid-1" : "roster/t";
    expect(encodeExternalId(markerIn, "ada", encoding)).toBe(externalId);
    expect(decodeOwner(externalId, "ada")).toBe(marker);
  });

  it("does not strip a suffix that belongs to another user name", () => {
    expect(decodeOwner("roster#bob", "ada")).toBe("roster#bob");
    expect(decodeOwner("", "ada")).toBeUndefined();
  });
});
