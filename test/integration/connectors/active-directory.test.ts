/**
 * The Active Directory connector against a real Samba 4 AD domain controller: the contract suite,
 * then AD-specific behaviour (binds over LDAPS before and after leave, sAMAccountName truncation,
 * accountExpires, ranged member reads, paging, other members left alone, escaping). One DC serves
 * the whole file (provisioning takes ~15 s).
 */
import { Attribute, Change, type Client, type Entry } from "ldapts";
import { createActiveDirectoryConnector } from "../../../operator/src/connectors/active-directory/connector.js";
import type { ActiveDirectoryConnectorInput } from "../../../operator/src/connectors/active-directory/config.js";
import { adConnectorInput } from "../../harness/ad-connector.js";
import type { Connector, DesiredAccount } from "../../../operator/src/engine/connector.js";
import { samAccountName } from "../../../operator/src/connectors/active-directory/quirks.js";
import { TerminalError } from "../../../operator/src/errors.js";
import { canBind } from "../../harness/slapd.js";
import { startSambaDc, withSambaAdmin, type SambaDc } from "../../harness/samba.js";
import { describeConnectorContract, uniqueUsername, type InspectedAccount } from "./contract-suite.js";

let dc: SambaDc;
let peopleDN: string;
let groupsDN: string;
const ROLES = ["ad-readers", "ad-writers"] as const;
const MARKER = "roster.dev/ad-test";
const PASSWORD = "Us3r-Pa55word-AD!";

function values(entry: Entry | undefined, name: string): string[] {
  if (!entry) return [];
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  if (key === undefined) return [];
  const raw = entry[key];
  return (Array.isArray(raw) ? raw : [raw]).map(String);
}

async function addGroup(admin: Client, name: string): Promise<string> {
  const dn = `CN=${name},${groupsDN}`;
  await admin.add(dn, { objectClass: "group", sAMAccountName: name });
  return dn;
}

beforeAll(async () => {
  dc = await startSambaDc();
  peopleDN = `OU=people,${dc.baseDN}`;
  groupsDN = `OU=groups,${dc.baseDN}`;
  await withSambaAdmin(dc, async (admin) => {
    await admin.add(peopleDN, { objectClass: "organizationalUnit", ou: "people" });
    await admin.add(groupsDN, { objectClass: "organizationalUnit", ou: "groups" });
    for (const role of ROLES) await addGroup(admin, role);
  });
}, 240_000);
afterAll(async () => dc?.stop());

function config(overrides: Partial<ActiveDirectoryConnectorInput> = {}): ActiveDirectoryConnectorInput {
  return adConnectorInput(dc, { usersBaseDN: peopleDN, groupsBaseDN: groupsDN }, overrides);
}

async function findUser(admin: Client, username: string): Promise<Entry | undefined> {
  const { searchEntries } = await admin.search(peopleDN, {
    filter: `(userPrincipalName=${username}@roster.test)`,
    attributes: ["*"],
  });
  return searchEntries[0];
}

async function inspect(username: string): Promise<InspectedAccount | undefined> {
  return withSambaAdmin(dc, async (admin) => {
    const entry = await findUser(admin, username);
    if (!entry) return undefined;
    const groups = await admin.search(groupsDN, { filter: `(member=${entry.dn})`, attributes: ["cn"] });
    const marker = values(entry, "adminDescription").find((v) => v.startsWith("roster-owner:"));
    const attributes: Record<string, string> = {};
    for (const name of ["displayName", "givenName", "sn", "mail", "title"]) {
      const [first] = values(entry, name);
      if (first !== undefined) attributes[name] = first;
    }
    return {
      enabled: (Number(values(entry, "userAccountControl")[0]) & 2) === 0,
      roles: groups.searchEntries.flatMap((group) => values(group, "cn")).sort(),
      owner: marker?.slice("roster-owner:".length),
      attributes,
    };
  });
}

describeConnectorContract("Active Directory (Samba)", () => ({
  roles: ROLES,
  needsPassword: true,
  connect: async () => createActiveDirectoryConnector(config()),
  attributesFor: (username) => ({
    displayName: `Person ${username}`,
    givenName: "Person",
    sn: username,
    mail: `${username}@example.test`,
  }),
  changedAttributesFor: (username) => ({ mail: `${username}@moved.example.test`, title: "Engineer" }),
  createUnowned: async (username) => {
    await withSambaAdmin(dc, (admin) =>
      admin.add(`CN=${username},${peopleDN}`, {
        objectClass: "user",
        sAMAccountName: username,
        userPrincipalName: `${username}@roster.test`,
      }),
    );
  },
  inspect,
}));

describe("Active Directory behaviour", () => {
  let connector: Connector;
  beforeEach(() => {
    connector = createActiveDirectoryConnector(config());
  });
  afterEach(async () => connector.close());

  const account = (username: string, overrides: Partial<DesiredAccount> = {}): DesiredAccount => ({
    username,
    ownerMarker: MARKER,
    enabled: true,
    attributes: { displayName: username, sn: username },
    roles: [],
    password: PASSWORD,
    ...overrides,
  });

  const readUser = (username: string) => withSambaAdmin(dc, (admin) => findUser(admin, username));

  it("lets the user bind over LDAPS before leave and refuses the bind after", async () => {
    const username = uniqueUsername("ad-bind");
    await connector.apply({ op: "create", account: account(username) });
    const upn = `${username}@roster.test`;
    expect(await canBind(dc.url, upn, PASSWORD)).toBe(true);
    await connector.apply({ op: "disable", username });
    expect(await canBind(dc.url, upn, PASSWORD)).toBe(false);
    await connector.apply({ op: "enable", username });
    expect(await canBind(dc.url, upn, PASSWORD)).toBe(true);
  });

  it("flips only the disable bit of userAccountControl", async () => {
    const username = uniqueUsername("ad-uac");
    await connector.apply({ op: "create", account: account(username) });
    const dn = (await readUser(username))?.dn as string;
    const DONT_EXPIRE_PASSWORD = 0x10000;
    await withSambaAdmin(dc, (admin) =>
      admin.modify(dn, [
        new Change({
          operation: "replace",
          modification: new Attribute({
            type: "userAccountControl",
            values: [String(512 | DONT_EXPIRE_PASSWORD)],
          }),
        }),
      ]),
    );
    await connector.apply({ op: "disable", username });
    expect(values(await readUser(username), "userAccountControl")).toEqual([
      String(514 | DONT_EXPIRE_PASSWORD),
    ]);
    await connector.apply({ op: "enable", username });
    expect(values(await readUser(username), "userAccountControl")).toEqual([
      String(512 | DONT_EXPIRE_PASSWORD),
    ]);
  });

  it("gives a long username a deterministic 20-character sAMAccountName and keeps its objectGUID as id", async () => {
    const username = uniqueUsername("a-very-long-username-from-the-hr-export");
    const created = await connector.apply({ op: "create", account: account(username) });
    const entry = await readUser(username);
    const sam = values(entry, "sAMAccountName")[0] as string;
    expect(sam).toHaveLength(20);
    expect(sam).toBe(samAccountName(username));
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await connector.observe(username)).toMatchObject({ id: created.id, username });
  });

  it("sets accountExpires from validUntil and clears it again", async () => {
    const username = uniqueUsername("ad-expiry");
    await connector.apply({
      op: "create",
      account: account(username, { validUntil: "2030-01-01T00:00:00Z" }),
    });
    // (1,893,456,000 s since 1970 + 11,644,473,600 s from 1601 to 1970) x 10^7 intervals of 100 ns.
    expect(values(await readUser(username), "accountExpires")).toEqual(["135379296000000000"]);
    await connector.apply({ op: "update", username, set: {}, validUntil: null });
    expect(values(await readUser(username), "accountExpires")).toEqual(["9223372036854775807"]);
  });

  it("lists accounts when a managed group has no members", async () => {
    // Samba 4.17 drops the connection on a ranged read of an empty group: the first read is plain.
    const role = uniqueUsername("ad-empty-group");
    await withSambaAdmin(dc, (admin) => addGroup(admin, role));
    const username = uniqueUsername("ad-no-groups");
    await connector.apply({ op: "create", account: account(username) });
    const listed = await connector.list({ roles: [role] });
    expect(listed.find((acc) => acc.username === username)?.roles).toEqual([]);
    await expect(connector.check()).resolves.toBeUndefined();
  });

  it("reads large groups in ranges and lists accounts in pages", async () => {
    const role = uniqueUsername("ad-big-group");
    await withSambaAdmin(dc, (admin) => addGroup(admin, role));
    const small = createActiveDirectoryConnector(config({ rangeSize: 2, pageSize: 2 }));
    try {
      const names = [0, 1, 2, 3, 4].map(() => uniqueUsername("ad-ranged"));
      for (const name of names)
        await small.apply({ op: "create", account: account(name, { roles: [role] }) });
      const listed = await small.list({ roles: [role] });
      for (const name of names) expect(listed.find((acc) => acc.username === name)?.roles).toEqual([role]);
      expect(listed.filter((acc) => acc.roles.includes(role))).toHaveLength(names.length);
    } finally {
      await small.close();
    }
  });

  it("leaves other members of a group untouched when Roster adds and removes its member", async () => {
    const role = uniqueUsername("ad-shared");
    const otherDN = `CN=${uniqueUsername("someone-else")},${peopleDN}`;
    const groupDN = await withSambaAdmin(dc, async (admin) => {
      await admin.add(otherDN, { objectClass: "user", sAMAccountName: uniqueUsername("other") });
      const dn = await addGroup(admin, role);
      await admin.modify(dn, [
        new Change({ operation: "add", modification: new Attribute({ type: "member", values: [otherDN] }) }),
      ]);
      return dn;
    });
    const members = async () =>
      withSambaAdmin(dc, async (admin) => {
        const { searchEntries } = await admin.search(groupDN, { scope: "base", attributes: ["member"] });
        return values(searchEntries[0] as Entry, "member")
          .map((dn) => dn.toLowerCase())
          .sort();
      });
    const username = uniqueUsername("ad-member");
    await connector.apply({ op: "create", account: account(username, { roles: [role] }) });
    const mine = ((await readUser(username))?.dn as string).toLowerCase();
    expect(await members()).toEqual([otherDN.toLowerCase(), mine].sort());
    await connector.apply({ op: "removeRoles", username, roles: [role] });
    await connector.apply({ op: "removeRoles", username, roles: [role] });
    expect(await members()).toEqual([otherDN.toLowerCase()]);
  });

  it("stores hostile attribute values unchanged, uses escaped group names, and cannot be widened by a filter", async () => {
    const hostile = 'O\'Brien, "Jr" <x> + ; = # * ( ) \\ é 日本 ';
    const role = 'R&D, "core" + (ops) #1 é';
    await withSambaAdmin(dc, (admin) =>
      admin.add(`CN=R&D\\, \\"core\\" \\+ (ops) #1 é,${groupsDN}`, {
        objectClass: "group",
        sAMAccountName: "rnd-core-ops",
      }),
    );
    const username = uniqueUsername("ad-escape");
    await connector.apply({
      op: "create",
      account: account(username, { attributes: { displayName: hostile, sn: hostile }, roles: [role] }),
    });
    const entry = await readUser(username);
    expect(values(entry, "displayName")).toEqual([hostile]);
    expect((await connector.observe(username, { roles: [role] }))?.roles).toEqual([role]);
    for (const probe of ["*", "*)(userPrincipalName=*", "ad-escape*", `${username})(|(cn=*`]) {
      await expect(connector.observe(probe)).resolves.toBeUndefined();
    }
  });

  it("works over StartTLS on port 389 as well as LDAPS", async () => {
    const startTLS = createActiveDirectoryConnector(config({ url: "ldap://127.0.0.1:389", startTLS: true }));
    try {
      await expect(startTLS.check()).resolves.toBeUndefined();
      const username = uniqueUsername("ad-starttls");
      await startTLS.apply({ op: "create", account: account(username) });
      expect(await canBind(dc.url, `${username}@roster.test`, PASSWORD)).toBe(true);
    } finally {
      await startTLS.close();
    }
  });

  it.each([
    'comma, plus+ quote" back\\slash <angle> semi; eq= #(x)*',
    " leading and trailing space ",
    "#leading-hash",
    "ünïcödé 日本語",
  ])("provisions the username %j and finds it again", async (name) => {
    const username = `${name}${uniqueUsername("")}`;
    const created = await connector.apply({
      op: "create",
      account: account(username, { attributes: { sn: name } }),
    });
    const entry = await withSambaAdmin(dc, async (admin) => {
      const { searchEntries } = await admin.search(peopleDN, {
        filter: `(sAMAccountName=${samAccountName(username).replace(/[\\*()]/g, (c) => `\\${c.charCodeAt(0).toString(16)}`)})`,
        attributes: ["cn", "sn", "userPrincipalName"],
      });
      return searchEntries[0];
    });
    expect(values(entry, "cn")).toEqual([username]);
    expect(values(entry, "sn")).toEqual([name]);
    expect(values(entry, "userPrincipalName")).toEqual([`${username}@roster.test`]);
    expect(await connector.observe(username)).toMatchObject({ id: created.id, username, owner: MARKER });
  });

  it("classifies an undefined attribute as terminal, naming the attribute", async () => {
    const username = uniqueUsername("ad-schema");
    await connector.apply({ op: "create", account: account(username) });
    const failure = connector.apply({ op: "update", username, set: { fooBarBaz: "x" } });
    await expect(failure).rejects.toBeInstanceOf(TerminalError);
    await expect(failure).rejects.toThrow(/fooBarBaz/);
  });
});
