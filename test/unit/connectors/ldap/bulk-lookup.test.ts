/**
 * Pure parts of the directory connectors' bulk paths: the OR filter of many usernames (escaped),
 * matching a bulk search's entries back to usernames, the pick rules shared with `find`, and the
 * chunking / bounded-concurrency helpers.
 */
import type { Entry } from "ldapts";
import { LdapConnectorConfig } from "../../../../operator/src/connectors/ldap/config.js";
import {
  accountsByNameFilter,
  entryKeys,
  usernameKeys,
} from "../../../../operator/src/connectors/ldap/mapping.js";
import {
  assignEntries,
  pickAccount,
} from "../../../../operator/src/connectors/shared/ldap-account-lookup.js";
import { TerminalError } from "../../../../operator/src/errors.js";

const config = LdapConnectorConfig.parse({
  url: "ldap://127.0.0.1:389",
  bindDN: "cn=admin,dc=example,dc=org",
  bindPassword: "secret",
  usersBaseDN: "ou=people,dc=example,dc=org",
  groupsBaseDN: "ou=groups,dc=example,dc=org",
});

const entry = (uid: string | string[]): Entry => ({ dn: `uid=${String(uid)},ou=people`, uid });

describe("accountsByNameFilter", () => {
  it("ORs one escaped equality per username inside the accounts filter", () => {
    expect(accountsByNameFilter(config, ["alice", "o*(x)\\", "a)(uid=*"])).toBe(
      "(&(objectClass=inetOrgPerson)(|(uid=alice)(uid=o\\2a\\28x\\29\\5c)(uid=a\\29\\28uid=\\2a)))",
    );
  });

  it("uses the configured naming attribute", () => {
    const byCn = LdapConnectorConfig.parse({ ...config, rdnAttribute: "cn" });
    expect(accountsByNameFilter(byCn, ["Bob"])).toBe("(&(objectClass=inetOrgPerson)(|(cn=Bob)))");
  });
});

describe("assignEntries", () => {
  const assign = (usernames: string[], entries: Entry[]) =>
    assignEntries(usernames, entries, usernameKeys, (e) => entryKeys(config, e));

  it("gives each username the entries whose naming value matches it case-insensitively", () => {
    const [alice, bob, bobUpper] = [entry("alice"), entry("bob"), entry("BOB")];
    const { candidates, unassigned } = assign(["Alice", "bob", "carol"], [alice, bob, bobUpper]);
    expect(candidates.get("Alice")).toEqual([alice]);
    expect(candidates.get("bob")).toEqual([bob, bobUpper]);
    expect(candidates.get("carol")).toEqual([]);
    expect(unassigned).toBe(false);
  });

  it("matches any value of a multi-valued naming attribute", () => {
    const both = entry(["alice", "alias"]);
    expect(assign(["alias"], [both]).candidates.get("alias")).toEqual([both]);
  });

  it("reports an entry it cannot place so the caller looks names up one by one", () => {
    expect(assign(["alice"], [entry("al  ice")]).unassigned).toBe(true);
  });
});

describe("pickAccount", () => {
  const nameOf = (e: Entry) => String(e.uid);

  it("prefers the one exact match among case variants", () => {
    const exact = entry("bob");
    expect(pickAccount([entry("BOB"), exact], "bob", nameOf, "ou=people")).toBe(exact);
  });

  it("takes a single case-variant match, and nothing when nothing matched", () => {
    const only = entry("BOB");
    expect(pickAccount([only], "bob", nameOf, "ou=people")).toBe(only);
    expect(pickAccount([], "bob", nameOf, "ou=people")).toBeUndefined();
  });

  it("refuses to choose between several candidates", () => {
    expect(() => pickAccount([entry("BOB"), entry("Bob")], "bob", nameOf, "ou=people")).toThrow(
      TerminalError,
    );
  });
});
