import type { Entry } from "ldapts";
import { ActiveDirectoryConnectorConfig } from "../../../../operator/src/connectors/active-directory/config.js";
import {
  accountFilter,
  newUserAttributes,
  observedFrom,
  upnSuffix,
  userDN,
  usernameOf,
} from "../../../../operator/src/connectors/active-directory/mapping.js";
import { samAccountName } from "../../../../operator/src/connectors/active-directory/quirks.js";
import type { DesiredAccount } from "../../../../operator/src/engine/connector.js";

const config = (extra: Record<string, unknown> = {}) =>
  ActiveDirectoryConnectorConfig.parse({
    url: "ldaps://dc.corp.example:636",
    bindDN: "CN=svc,CN=Users,DC=corp,DC=example",
    bindPassword: "secret",
    usersBaseDN: "OU=People,DC=corp,DC=example",
    groupsBaseDN: "OU=Groups,DC=corp,DC=example",
    ...extra,
  });

const desired = (overrides: Partial<DesiredAccount> = {}): DesiredAccount => ({
  username: "jdoe",
  ownerMarker: "roster.dev/t",
  enabled: true,
  attributes: { displayName: "John Doe", mail: "j@corp.example", department: "" },
  roles: [],
  ...overrides,
});

describe("Active Directory configuration", () => {
  it("applies AD defaults: pages of 1,000, ranges of 1,500, marker in adminDescription", () => {
    expect(config()).toMatchObject({ pageSize: 1000, rangeSize: 1500, ownerAttribute: "adminDescription" });
  });

  it("requires an encrypted connection, since passwords can only be set over one", () => {
    expect(() => config({ url: "ldap://dc:389" })).toThrow(/encrypted connection/);
    expect(config({ url: "ldap://dc:389", startTLS: true }).startTLS).toBe(true);
  });

  it("refuses pages larger than AD serves", () => {
    expect(() => config({ pageSize: 5000 })).toThrow();
  });
});

describe("Active Directory mapping", () => {
  it("derives the UPN suffix from the users base DN unless configured", () => {
    expect(upnSuffix(config())).toBe("corp.example");
    expect(upnSuffix(config({ upnSuffix: "example.com" }))).toBe("example.com");
  });

  it("builds escaped DNs and filters", () => {
    expect(userDN(config(), "a,b")).toBe("CN=a\\,b,OU=People,DC=corp,DC=example");
    expect(accountFilter(config(), "(x*)")).toBe(
      "(&(&(objectCategory=person)(objectClass=user))" +
        `(|(userPrincipalName=\\28x\\2a\\29@corp.example)(sAMAccountName=\\28x_\\29-${samAccountName("(x*)").slice(-4)})))`,
    );
  });

  it("builds a new enabled user with UPN, sAMAccountName, marker and never-expiring account", () => {
    expect(newUserAttributes(config(), desired())).toEqual({
      displayName: ["John Doe"],
      mail: ["j@corp.example"],
      objectClass: ["user"],
      sAMAccountName: ["jdoe"],
      userPrincipalName: ["jdoe@corp.example"],
      userAccountControl: ["512"],
      accountExpires: ["9223372036854775807"],
      adminDescription: ["roster-owner:roster.dev/t"],
    });
  });

  it("builds a disabled user that expires at validUntil", () => {
    const attributes = newUserAttributes(
      config(),
      desired({ enabled: false, validUntil: "1970-01-01T00:00:00Z" }),
    );
    expect(attributes).toMatchObject({ userAccountControl: ["514"], accountExpires: ["116444736000000000"] });
  });

  it.each(["sAMAccountName", "userAccountControl", "unicodePwd", "adminDescription", "cn"])(
    "refuses to map the connector-managed attribute %s",
    (name) => {
      expect(() => newUserAttributes(config(), desired({ attributes: { [name]: "x" } }))).toThrow(
        /managed by the Active Directory connector/,
      );
    },
  );

  it("reads a user back: GUID as id, username from the UPN, disable bit, marker", () => {
    const entry = {
      dn: "CN=jdoe,OU=People,DC=corp,DC=example",
      objectGUID: Buffer.from("6964a40311417f44b9bc433106b646e1", "hex"),
      userPrincipalName: "jdoe@CORP.example",
      sAMAccountName: "jdoe",
      userAccountControl: "514",
      adminDescription: "roster-owner:roster.dev/t",
      displayName: "John Doe",
    } as unknown as Entry;
    expect(observedFrom(config(), entry, [])).toEqual({
      id: "03a46469-4111-447f-b9bc-433106b646e1",
      username: "jdoe",
      owner: "roster.dev/t",
      enabled: false,
      attributes: { displayName: "John Doe" },
      roles: [],
    });
  });

  it("falls back to sAMAccountName for a user under another UPN suffix", () => {
    const entry = {
      dn: "CN=x",
      userPrincipalName: "x@elsewhere",
      sAMAccountName: "legacy",
    } as unknown as Entry;
    expect(usernameOf(config(), entry)).toBe("legacy");
  });
});
