/**
 * The connector contract suite against a real slapd (Debian's OpenLDAP 2.5) started by the harness.
 * Inspection reads the directory as its administrator, not through the connector.
 */
import { Client, type Entry } from "ldapts";
import { ldapConnectorFor } from "../../harness/ldap-connector.js";
import { startSlapd, withSlapdAdmin, type SlapdServer } from "../../harness/slapd.js";
import { describeConnectorContract, type InspectedAccount } from "./contract-suite.js";

let server: SlapdServer;
const ROLES = ["contract-readers", "contract-writers"] as const;

beforeAll(async () => {
  server = await startSlapd();
  await withSlapdAdmin(server, async (admin) => {
    for (const role of ROLES) {
      await admin.add(`cn=${role},${server.groupsDN}`, { objectClass: "groupOfNames", cn: role, member: "" });
    }
  });
});
afterAll(async () => server?.stop());

const dnOf = (username: string) => `uid=${username},${server.peopleDN}`;

function values(entry: Entry, name: string): string[] {
  const raw = entry[name];
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).map(String);
}

async function inspect(username: string): Promise<InspectedAccount | undefined> {
  return withSlapdAdmin(server, async (admin: Client) => {
    const { searchEntries } = await admin.search(server.peopleDN, {
      filter: `(uid=${username})`,
      attributes: ["*", "pwdAccountLockedTime"],
    });
    const entry = searchEntries[0];
    if (!entry) return undefined;
    const groups = await admin.search(server.groupsDN, {
      filter: `(member=${entry.dn})`,
      attributes: ["cn"],
    });
    const marker = values(entry, "businessCategory").find((v) => v.startsWith("roster-owner:"));
    const attributes: Record<string, string> = {};
    for (const name of ["cn", "sn", "mail", "displayName", "title"]) {
      const [first] = values(entry, name);
      if (first !== undefined) attributes[name] = first;
    }
    return {
      enabled: values(entry, "pwdAccountLockedTime").length === 0,
      roles: groups.searchEntries.flatMap((group) => values(group, "cn")).sort(),
      owner: marker?.slice("roster-owner:".length),
      attributes,
    };
  });
}

describeConnectorContract("OpenLDAP", () => ({
  roles: ROLES,
  connect: async () => ldapConnectorFor(server),
  attributesFor: (username) => ({ cn: `Person ${username}`, sn: "Person", mail: `${username}@example.test` }),
  changedAttributesFor: (username) => ({ mail: `${username}@moved.example.test`, title: "Engineer" }),
  createUnowned: async (username) => {
    await withSlapdAdmin(server, (admin) =>
      admin.add(dnOf(username), { objectClass: "inetOrgPerson", uid: username, cn: username, sn: username }),
    );
  },
  inspect,
}));
