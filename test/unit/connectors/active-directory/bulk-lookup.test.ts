/** The Active Directory bulk lookup: one escaped OR of UPN and sAMAccountName terms, matched back by both. */
import type { Entry } from "ldapts";
import { ActiveDirectoryConnectorConfig } from "../../../../operator/src/connectors/active-directory/config.js";
import {
  accountsByNameFilter,
  entryKeys,
  usernameKeys,
} from "../../../../operator/src/connectors/active-directory/mapping.js";
import { samAccountName } from "../../../../operator/src/connectors/active-directory/quirks.js";
import { assignEntries } from "../../../../operator/src/connectors/shared/ldap-account-lookup.js";

const config = ActiveDirectoryConnectorConfig.parse({
  url: "ldaps://dc.corp.example:636",
  bindDN: "CN=svc,CN=Users,DC=corp,DC=example",
  bindPassword: "secret",
  usersBaseDN: "OU=People,DC=corp,DC=example",
  groupsBaseDN: "OU=Groups,DC=corp,DC=example",
});

describe("Active Directory accountsByNameFilter", () => {
  it("ORs the escaped UPN and sAMAccountName of every username inside the users filter", () => {
    expect(accountsByNameFilter(config, ["jdoe", "o*x"])).toBe(
      "(&(&(objectCategory=person)(objectClass=user))(|" +
        "(userPrincipalName=jdoe@corp.example)(sAMAccountName=jdoe)" +
        `(userPrincipalName=o\\2ax@corp.example)(sAMAccountName=${samAccountName("o*x")})))`,
    );
  });
});

describe("Active Directory lookup keys", () => {
  const long = "a-username-much-longer-than-twenty";
  const user = (upn: string | undefined, sam: string): Entry => ({
    dn: `CN=${sam},OU=People`,
    sAMAccountName: sam,
    ...(upn ? { userPrincipalName: upn } : {}),
  });

  it("matches by UPN or by the derived sAMAccountName, case-insensitively", () => {
    const byUpn = user("JDoe@Corp.Example", "other");
    const bySam = user(undefined, samAccountName(long).toUpperCase());
    const { candidates, unassigned } = assignEntries(
      ["jdoe", long, "nobody"],
      [byUpn, bySam],
      (username) => usernameKeys(config, username),
      entryKeys,
    );
    expect(candidates.get("jdoe")).toEqual([byUpn]);
    expect(candidates.get(long)).toEqual([bySam]);
    expect(candidates.get("nobody")).toEqual([]);
    expect(unassigned).toBe(false);
  });
});
