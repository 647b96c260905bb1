import type { Entry } from "ldapts";
import { LdapConnectorConfig } from "../../../../operator/src/connectors/ldap/config.js";
import {
  accountFilter,
  newEntry,
  observedFrom,
  updateModifications,
  userDN,
} from "../../../../operator/src/connectors/ldap/mapping.js";
import { parseConfig } from "../../../../operator/src/connectors/shared/ldap-config.js";
import type { DesiredAccount } from "../../../../operator/src/engine/connector.js";
import { TerminalError } from "../../../../operator/src/errors.js";

const config = (extra: Record<string, unknown> = {}) =>
  LdapConnectorConfig.parse({
    url: "ldap://127.0.0.1:389",
    bindDN: "cn=admin,dc=example,dc=org",
    bindPassword: "secret",
    usersBaseDN: "ou=people,dc=example,dc=org",
    groupsBaseDN: "ou=groups,dc=example,dc=org",
    ...extra,
  });

const desired = (overrides: Partial<DesiredAccount> = {}): DesiredAccount => ({
  username: "jdoe",
  ownerMarker: "roster.dev/t",
  enabled: true,
  attributes: { cn: "John Doe", sn: "Doe", mail: "j@example.org", title: "" },
  roles: [],
  ...overrides,
});

describe("OpenLDAP configuration", () => {
  it("applies the documented defaults", () => {
    expect(config()).toMatchObject({
      rdnAttribute: "uid",
      objectClasses: ["inetOrgPerson"],
      groupObjectClass: "groupOfNames",
      ownerAttribute: "businessCategory",
      emptyGroupPlaceholder: "",
      pageSize: 500,
      startTLS: false,
      tls: { insecureSkipVerify: false },
      disable: { method: "PasswordPolicyLock" },
    });
  });

  it("requires the attribute for disable method Attribute", () => {
    expect(() => config({ disable: { method: "Attribute" } })).toThrow();
  });

  it("lists every problem in one terminal error without echoing the password", () => {
    let error: unknown;
    try {
      parseConfig("ldap", LdapConnectorConfig, {
        url: "http://x",
        bindDN: "not a dn",
        bindPassword: "hunter2",
        usersBaseDN: "ou=p",
        groupsBaseDN: "ou=g",
        rdnAttribute: "uid)(x",
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TerminalError);
    const message = (error as Error).message;
    expect(message).toMatch(/url/);
    expect(message).toMatch(/bindDN/);
    expect(message).toMatch(/rdnAttribute/);
    expect(message).not.toMatch(/hunter2/);
  });

  it("refuses StartTLS on an ldaps:// url", () => {
    expect(() => config({ url: "ldaps://h:636", startTLS: true })).toThrow(/startTLS/);
  });
});

describe("OpenLDAP mapping", () => {
  it("builds escaped DNs and filters", () => {
    expect(userDN(config(), "a,b")).toBe("uid=a\\,b,ou=people,dc=example,dc=org");
    expect(accountFilter(config(), "*)(uid=*")).toBe(
      "(&(objectClass=inetOrgPerson)(uid=\\2a\\29\\28uid=\\2a))",
    );
  });

  it("builds a new entry with the marker, required names, no empty values, and the lock when disabled", () => {
    expect(newEntry(config(), desired({ enabled: false }))).toEqual({
      objectClass: ["inetOrgPerson"],
      uid: ["jdoe"],
      cn: ["John Doe"],
      sn: ["Doe"],
      mail: ["j@example.org"],
      businessCategory: ["roster-owner:roster.dev/t"],
      pwdAccountLockedTime: ["000001010000Z"],
    });
  });

  it("fills cn and sn from the username when unmapped, and keeps other owner-attribute values", () => {
    const entry = newEntry(config(), desired({ attributes: {} }));
    expect(entry).toMatchObject({ cn: ["jdoe"], sn: ["jdoe"] });
    expect(entry.pwdAccountLockedTime).toBeUndefined();
  });

  it("adds posixAccount attributes with the allocated uidNumber", () => {
    const entry = newEntry(config({ posix: { gidNumber: 500 } }), desired(), { uidNumber: 10042 });
    expect(entry).toMatchObject({
      objectClass: ["inetOrgPerson", "posixAccount"],
      uidNumber: ["10042"],
      gidNumber: ["500"],
      homeDirectory: ["/home/jdoe"],
      loginShell: ["/bin/bash"],
    });
  });

  it.each(["uid", "businessCategory", "objectClass", "userPassword", "pwdAccountLockedTime", "UID"])(
    "refuses to map the connector-managed attribute %s",
    (name) => {
      expect(() => newEntry(config(), desired({ attributes: { [name]: "x" } }))).toThrow(TerminalError);
      expect(() => updateModifications(config(), { [name]: "x" })).toThrow(/managed by the LDAP connector/);
    },
  );

  it("marks a disabled account with the configured attribute under disable method Attribute", () => {
    const shadow = config({
      disable: { method: "Attribute", attribute: { name: "shadowExpire", value: "1" } },
    });
    const entry = newEntry(shadow, desired({ enabled: false }));
    expect(entry).toMatchObject({ shadowExpire: ["1"] });
    expect(entry.pwdAccountLockedTime).toBeUndefined();
    expect(() => updateModifications(shadow, { shadowExpire: "2" })).toThrow(/managed by the LDAP connector/);
    const read = (extra: Record<string, unknown>) =>
      observedFrom(
        shadow,
        { dn: "uid=x,ou=people,dc=example,dc=org", uid: "x", ...extra } as unknown as Entry,
        [],
      ).enabled;
    expect(read({ shadowExpire: "1" })).toBe(false);
    expect(read({ shadowExpire: "19000" })).toBe(true);
    expect(read({ pwdAccountLockedTime: "000001010000Z" })).toBe(true);
  });

  it("turns updates into replace lists, null and empty meaning remove", () => {
    expect(
      updateModifications(config(), { mail: "a@b", title: null, ou: ["x", "y"], description: "" }),
    ).toEqual([
      { attribute: "mail", values: ["a@b"] },
      { attribute: "title", values: [] },
      { attribute: "ou", values: ["x", "y"] },
      { attribute: "description", values: [] },
    ]);
  });

  it("reads an entry back: marker, lock state, attributes without the marker value", () => {
    const entry = {
      dn: "uid=jdoe,ou=people,dc=example,dc=org",
      uid: "jdoe",
      cn: "John Doe",
      mail: ["a@b", "c@d"],
      businessCategory: ["Sales", "roster-owner:roster.dev/t"],
      pwdAccountLockedTime: "000001010000Z",
    } as unknown as Entry;
    const withOwner = config({ attributes: ["cn", "mail", "businessCategory", "title"] });
    expect(observedFrom(withOwner, entry, ["r"])).toEqual({
      id: "uid=jdoe,ou=people,dc=example,dc=org",
      username: "jdoe",
      owner: "roster.dev/t",
      enabled: false,
      attributes: { cn: "John Doe", mail: ["a@b", "c@d"], businessCategory: "Sales" },
      roles: ["r"],
    });
  });
});
