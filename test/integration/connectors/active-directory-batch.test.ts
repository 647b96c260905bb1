/**
 * The Active Directory connector's bulk paths against a real Samba 4 AD domain controller, through
 * the shared directory batch suite: observeMany reports what observe does (UPN / sAMAccountName
 * matching, truncated names), applyBatch leaves the directory as apply does with one member write
 * per group (ranged member reads included), and every change's outcome is apply's. One DC serves
 * the whole file.
 */
import { jest } from "@jest/globals";
import { EqualityFilter, type Client } from "ldapts";
import {
  createActiveDirectoryConnector,
  type ActiveDirectoryConnector,
} from "../../../operator/src/connectors/active-directory/connector.js";
import { adConnectorInput } from "../../harness/ad-connector.js";
import { canBind } from "../../harness/slapd.js";
import { startSambaDc, withSambaAdmin, type SambaDc } from "../../harness/samba.js";
import { uniqueUsername } from "./contract-suite.js";
import {
  describeDirectoryBatch,
  useDirectoryBatch,
  type DirectoryBatchBackend,
} from "./directory-batch-suite.js";

jest.setTimeout(180_000);

let dc: SambaDc;
let peopleDN: string;
let groupsDN: string;

beforeAll(async () => {
  dc = await startSambaDc();
  peopleDN = `OU=people,${dc.baseDN}`;
  groupsDN = `OU=groups,${dc.baseDN}`;
  await withSambaAdmin(dc, async (admin) => {
    await admin.add(peopleDN, { objectClass: "organizationalUnit", ou: "people" });
    await admin.add(groupsDN, { objectClass: "organizationalUnit", ou: "groups" });
  });
}, 240_000);
afterAll(async () => dc?.stop());

const upnOf = (username: string) => `${username}@roster.test`;

async function addGroup(base: string, members: string[] = []): Promise<string> {
  const role = uniqueUsername(base);
  await withSambaAdmin(dc, (admin) =>
    admin.add(`CN=${role},${groupsDN}`, {
      objectClass: "group",
      sAMAccountName: role,
      ...(members.length > 0 ? { member: members } : {}),
    }),
  );
  return role;
}

/** The UPN local parts of a group's members, sorted (read as the administrator). */
async function membersOf(role: string): Promise<string[]> {
  return withSambaAdmin(dc, async (admin: Client) => {
    const { searchEntries } = await admin.search(peopleDN, {
      filter: new EqualityFilter({ attribute: "memberOf", value: `CN=${role},${groupsDN}` }),
      attributes: ["userPrincipalName"],
    });
    return searchEntries.map((entry) => String(entry.userPrincipalName).replace(/@.*$/, "")).sort();
  });
}

/** The groups (CN, sorted) the account with this UPN is a member of (read as the administrator). */
async function groupsOf(username: string): Promise<string[]> {
  return withSambaAdmin(dc, async (admin: Client) => {
    const { searchEntries } = await admin.search(peopleDN, {
      filter: new EqualityFilter({ attribute: "userPrincipalName", value: upnOf(username) }),
      attributes: ["memberOf"],
    });
    const raw = searchEntries[0]?.memberOf ?? [];
    return (Array.isArray(raw) ? raw : [raw])
      .map((dn) => String(dn).replace(/^CN=([^,]*),.*$/i, "$1"))
      .sort();
  });
}

async function addUnowned(username: string): Promise<void> {
  await withSambaAdmin(dc, (admin) =>
    admin.add(`CN=${username},${peopleDN}`, {
      objectClass: "user",
      sAMAccountName: username,
      userPrincipalName: upnOf(username),
    }),
  );
}

const samba: DirectoryBatchBackend<ActiveDirectoryConnector> = {
  name: "Active Directory",
  connect: () =>
    createActiveDirectoryConnector(adConnectorInput(dc, { usersBaseDN: peopleDN, groupsBaseDN: groupsDN })),
  ownerMarker: "roster.dev/ad-batch",
  password: "Us3r-Pa55word-AD!",
  attributesFor: (username) => ({ displayName: `Person ${username}`, sn: "Tester", title: "Engineer" }),
  varyingAttributes: ["displayName"],
  addGroup: (base) => addGroup(base),
  addGroupWithOutsider: async (base) => {
    const outsider = uniqueUsername("outsider");
    await addUnowned(outsider);
    return { role: await addGroup(base, [`CN=${outsider},${peopleDN}`]), outsider };
  },
  membersOf,
  memberEntry: (username) => username,
  emptyGroup: [],
  groupsOf,
  addUnowned,
  canBind: (username, password) => canBind(dc.url, upnOf(username), password),
  isGroupDN: (dn) => dn.toLowerCase().endsWith(groupsDN.toLowerCase()),
  createCount: 24,
  observeCases: (account, readers, writers) => {
    const plain = uniqueUsername("ad-obs");
    const long = uniqueUsername("ad-obs-a-username-longer-than-twenty");
    const hostile = uniqueUsername("ad-obs-o'brien*(x)");
    return [
      { account: account(plain, { roles: [readers, writers] }), askedAs: plain.toUpperCase() },
      { account: account(long, { roles: [writers], enabled: false }), askedAs: long },
      { account: account(hostile, { roles: [readers] }), askedAs: hostile },
    ];
  },
};

describeDirectoryBatch(samba, useDirectoryBatch(samba));
