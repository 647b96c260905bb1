/**
 * OpenLDAP connector behaviour beyond the contract, against a real slapd: binds before and after
 * leave (ppolicy lock), escaping of DNs and filters with hostile input, other group members left
 * alone, schema errors classified, uidNumbers never reused, paging.
 */
import { Client, type Entry } from "ldapts";
import type { LdapConnectorInput } from "../../../operator/src/connectors/ldap/config.js";
import type { Connector, DesiredAccount } from "../../../operator/src/engine/connector.js";
import { TerminalError } from "../../../operator/src/errors.js";
import { ldapConnectorFor } from "../../harness/ldap-connector.js";
import { canBind, startSlapd, withSlapdAdmin, type SlapdServer } from "../../harness/slapd.js";
import { uniqueUsername } from "./contract-suite.js";

let server: SlapdServer;
const MARKER = "roster.dev/ldap-behaviour";
const PASSWORD = "correct horse battery staple";

beforeAll(async () => {
  server = await startSlapd();
});
afterAll(async () => server?.stop());

function connect(overrides: Partial<LdapConnectorInput> = {}): Connector {
  return ldapConnectorFor(server, overrides);
}

let connector: Connector;
beforeEach(() => {
  connector = connect();
});
afterEach(async () => connector.close());

const account = (username: string, overrides: Partial<DesiredAccount> = {}): DesiredAccount => ({
  username,
  ownerMarker: MARKER,
  enabled: true,
  attributes: { cn: username, sn: "Tester" },
  roles: [],
  ...overrides,
});

function values(entry: Entry | undefined, name: string): string[] {
  const raw = entry?.[name];
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).map(String);
}

/** Reads one entry by DN as the administrator, with every user attribute and the lock state. */
async function readEntry(dn: string): Promise<Entry | undefined> {
  return withSlapdAdmin(server, async (admin: Client) => {
    try {
      const { searchEntries } = await admin.search(dn, {
        scope: "base",
        attributes: ["*", "pwdAccountLockedTime"],
      });
      return searchEntries[0];
    } catch {
      return undefined;
    }
  });
}

async function addGroup(name: string, members: string[]): Promise<string> {
  const dn = `cn=${name},${server.groupsDN}`;
  await withSlapdAdmin(server, (admin) =>
    admin.add(dn, { objectClass: "groupOfNames", cn: name, member: members }),
  );
  return dn;
}

describe("OpenLDAP disable", () => {
  it("lets the user bind before leave and refuses the bind after", async () => {
    const username = uniqueUsername("bind");
    const { id } = await connector.apply({
      op: "create",
      account: account(username, { password: PASSWORD }),
    });
    const dn = id as string;
    expect(await canBind(server.url, dn, PASSWORD)).toBe(true);
    expect(values(await readEntry(dn), "userPassword")[0]).toMatch(/^\{SSHA\}/);
    await connector.apply({ op: "disable", username });
    expect(await canBind(server.url, dn, PASSWORD)).toBe(false);
    await connector.apply({ op: "enable", username });
    expect(await canBind(server.url, dn, PASSWORD)).toBe(true);
  });

  it("keeps an account created disabled locked even though setting its password unlocks it", async () => {
    const username = uniqueUsername("prehire");
    const { id } = await connector.apply({
      op: "create",
      account: account(username, { password: PASSWORD, enabled: false }),
    });
    expect(await canBind(server.url, id as string, PASSWORD)).toBe(false);
    expect(values(await readEntry(id as string), "pwdAccountLockedTime")).toEqual(["000001010000Z"]);
  });
});

describe("OpenLDAP disable by the DN the sync last saw (a revocation's cut)", () => {
  /** Counts the connector's searches (the real ones still run). */
  function countSearches(target: Connector): () => number {
    const transport = (target as unknown as { transport: { search: (...args: unknown[]) => unknown } })
      .transport;
    const search = transport.search.bind(transport);
    let count = 0;
    transport.search = (...args: unknown[]) => {
      count += 1;
      return search(...args);
    };
    return () => count;
  }

  it("locks the entry at the known DN without looking the account up", async () => {
    const username = uniqueUsername("knowndn");
    const { id } = await connector.apply({
      op: "create",
      account: account(username, { password: PASSWORD }),
    });
    const searches = countSearches(connector);
    expect(await connector.apply({ op: "disable", username, knownId: id as string })).toEqual({ id });
    expect(searches()).toBe(0);
    expect(values(await readEntry(id as string), "pwdAccountLockedTime")).toEqual(["000001010000Z"]);
    expect(await canBind(server.url, id as string, PASSWORD)).toBe(false);
  });

  it("looks the account up (and checks it is owned) when nothing is at the known DN any more", async () => {
    const username = uniqueUsername("movedn");
    const { id } = await connector.apply({ op: "create", account: account(username) });
    const gone = `uid=${uniqueUsername("gone")},${server.peopleDN}`;
    const searches = countSearches(connector);
    expect(await connector.apply({ op: "disable", username, knownId: gone })).toEqual({ id });
    expect(searches()).toBeGreaterThan(0);
    expect(values(await readEntry(id as string), "pwdAccountLockedTime")).toEqual(["000001010000Z"]);
  });

  it("refuses, as without a known DN, when the looked-up account is not Roster's", async () => {
    const username = uniqueUsername("notours");
    const dn = `uid=${username},${server.peopleDN}`;
    await withSlapdAdmin(server, (admin) =>
      admin.add(dn, { objectClass: ["inetOrgPerson"], uid: username, cn: username, sn: "Other" }),
    );
    const gone = `uid=${uniqueUsername("gone")},${server.peopleDN}`;
    await expect(connector.apply({ op: "disable", username, knownId: gone })).rejects.toThrow();
    expect(values(await readEntry(dn), "pwdAccountLockedTime")).toEqual([]);
  });
});

describe("OpenLDAP disable by attribute", () => {
  it("sets the configured attribute while disabled and removes it on enable", async () => {
    const shadow = connect({
      objectClasses: ["inetOrgPerson", "shadowAccount"],
      disable: { method: "Attribute", attribute: { name: "shadowExpire", value: "1" } },
    });
    try {
      const username = uniqueUsername("shadow");
      const { id } = await shadow.apply({ op: "create", account: account(username, { enabled: false }) });
      expect(values(await readEntry(id as string), "shadowExpire")).toEqual(["1"]);
      expect((await shadow.observe(username))?.enabled).toBe(false);
      await shadow.apply({ op: "enable", username });
      await shadow.apply({ op: "enable", username });
      expect(values(await readEntry(id as string), "shadowExpire")).toEqual([]);
      expect((await shadow.observe(username))?.enabled).toBe(true);
      await shadow.apply({ op: "disable", username });
      expect(values(await readEntry(id as string), "shadowExpire")).toEqual(["1"]);
    } finally {
      await shadow.close();
    }
  });
});

describe("OpenLDAP escaping", () => {
  const hostile = [
    'comma, plus+ quote" back\\slash <angle> semi; equals= hash# star* (parens)',
    " leading space",
    "trailing space ",
    "#leading-hash",
    "nul\u0000inside",
    "ünïcödé 日本語 🙂",
    "*)(uid=*",
  ];

  it.each(hostile)("provisions and reads back %j unchanged", async (name) => {
    const username = name;
    const description = `desc ${name}`;
    const created = await connector.apply({
      op: "create",
      account: account(username, { attributes: { cn: name, sn: name, description } }),
    });
    const entry = await readEntry(created.id as string);
    expect(values(entry, "uid")).toEqual([username]);
    expect(values(entry, "cn")).toEqual([name]);
    expect(values(entry, "description")).toEqual([description]);
    const observed = await connector.observe(username);
    expect(observed).toMatchObject({ id: created.id, username, owner: MARKER });
    expect(observed?.attributes).toMatchObject({ cn: name, sn: name, description });
  });

  it("puts accounts into groups whose names need escaping", async () => {
    const role = 'R&D, "core" + (ops) #1 \\ é';
    await withSlapdAdmin(server, (admin) =>
      admin.add(`cn=R&D\\, \\"core\\" \\+ (ops) #1 \\\\ é,${server.groupsDN}`, {
        objectClass: "groupOfNames",
        cn: role,
        member: "",
      }),
    );
    const username = uniqueUsername("escaped-role");
    await connector.apply({ op: "create", account: account(username, { roles: [role] }) });
    expect((await connector.observe(username, { roles: [role] }))?.roles).toEqual([role]);
    const listed = await connector.list({ roles: [role] });
    expect(listed.find((acc) => acc.username === username)?.roles).toEqual([role]);
  });

  it("cannot be widened by filter syntax in a username", async () => {
    await connector.apply({ op: "create", account: account(uniqueUsername("victim")) });
    for (const probe of ["*", "victim*", "x)(|(uid=*)", "\\2a", "*)(objectClass=*"]) {
      await expect(connector.observe(probe)).resolves.toBeUndefined();
    }
    const literal = "*)(|(uid=*))";
    await connector.apply({ op: "create", account: account(literal) });
    await expect(connector.observe(literal)).resolves.toMatchObject({ username: literal });
    await expect(connector.apply({ op: "delete", username: "*" })).resolves.toEqual({ id: undefined });
    expect((await connector.list()).length).toBeGreaterThan(0);
  });
});

describe("OpenLDAP groups", () => {
  it("leaves other members of a group untouched when Roster adds and removes its member", async () => {
    const other = `uid=someone-else,${server.peopleDN}`;
    const role = uniqueUsername("shared-group");
    const groupDN = await addGroup(role, [other]);
    const username = uniqueUsername("member");
    const { id } = await connector.apply({ op: "create", account: account(username, { roles: [role] }) });
    expect(values(await readEntry(groupDN), "member").sort()).toEqual([other, id as string].sort());
    await connector.apply({ op: "removeRoles", username, roles: [role] });
    expect(values(await readEntry(groupDN), "member")).toEqual([other]);
  });

  it("keeps a groupOfNames valid when Roster removes its last member", async () => {
    const username = uniqueUsername("last");
    const { id } = await connector.apply({ op: "create", account: account(username) });
    const role = uniqueUsername("solo-group");
    const groupDN = await addGroup(role, [id as string]);
    await connector.apply({ op: "removeRoles", username, roles: [role] });
    expect(values(await readEntry(groupDN), "member")).toEqual([""]);
    await connector.apply({ op: "addRoles", username, roles: [role] });
    expect(values(await readEntry(groupDN), "member").sort()).toEqual(["", id as string].sort());
  });

  it("finds a group again after it moved elsewhere under the groups base", async () => {
    const role = uniqueUsername("moving-group");
    await addGroup(role, [""]);
    const first = uniqueUsername("before-move");
    await connector.apply({ op: "create", account: account(first, { roles: [role] }) });
    const newParent = `ou=${uniqueUsername("sub")},${server.groupsDN}`;
    await withSlapdAdmin(server, async (admin) => {
      await admin.add(newParent, {
        objectClass: "organizationalUnit",
        ou: newParent.slice(3, newParent.indexOf(",")),
      });
      await admin.modifyDN(`cn=${role},${server.groupsDN}`, `cn=${role},${newParent}`);
    });
    const second = uniqueUsername("after-move");
    await connector.apply({ op: "create", account: account(second, { roles: [role] }) });
    const members = values(await readEntry(`cn=${role},${newParent}`), "member");
    expect(members).toEqual(
      expect.arrayContaining([`uid=${first},${server.peopleDN}`, `uid=${second},${server.peopleDN}`]),
    );
  });

  it("reports a missing group as a terminal error", async () => {
    const username = uniqueUsername("norole");
    await connector.apply({ op: "create", account: account(username) });
    await expect(
      connector.apply({ op: "addRoles", username, roles: ["no-such-group"] }),
    ).rejects.toMatchObject({
      kind: "Terminal",
      reason: "RoleNotFound",
    });
  });

  it("manages posixGroup membership by memberUid", async () => {
    const posix = connect({ groupObjectClass: "posixGroup" });
    try {
      const role = uniqueUsername("posix-group");
      const groupDN = `cn=${role},${server.groupsDN}`;
      await withSlapdAdmin(server, (admin) =>
        admin.add(groupDN, {
          objectClass: "posixGroup",
          cn: role,
          gidNumber: "5000",
          memberUid: "other-user",
        }),
      );
      const username = uniqueUsername("posix-member");
      await posix.apply({ op: "create", account: account(username, { roles: [role] }) });
      expect(values(await readEntry(groupDN), "memberUid").sort()).toEqual(["other-user", username].sort());
      expect((await posix.observe(username, { roles: [role] }))?.roles).toEqual([role]);
      await posix.apply({ op: "removeRoles", username, roles: [role] });
      expect(values(await readEntry(groupDN), "memberUid")).toEqual(["other-user"]);
    } finally {
      await posix.close();
    }
  });
});

describe("OpenLDAP errors and schema", () => {
  it("classifies an undefined attribute as terminal, naming the attribute", async () => {
    const username = uniqueUsername("schema");
    await connector.apply({ op: "create", account: account(username) });
    const failure = connector.apply({ op: "update", username, set: { fooBarBaz: "x" } });
    await expect(failure).rejects.toBeInstanceOf(TerminalError);
    await expect(failure).rejects.toMatchObject({
      reason: "UndefinedAttribute",
      message: expect.stringContaining("fooBarBaz"),
    });
  });

  it("classifies an attribute the object class does not allow as a terminal schema violation", async () => {
    const failure = connector.apply({
      op: "create",
      account: account(uniqueUsername("violation"), {
        attributes: { cn: "x", sn: "y", gecos: "not allowed" },
      }),
    });
    await expect(failure).rejects.toMatchObject({ kind: "Terminal", reason: "SchemaViolation" });
    await expect(failure).rejects.toThrow(/gecos/);
  });

  it("classifies wrong bind credentials as terminal without echoing the password", async () => {
    const wrong = connect({ bindPassword: "not-the-password" });
    try {
      const failure = wrong.check();
      await expect(failure).rejects.toMatchObject({ kind: "Terminal", reason: "InvalidCredentials" });
      await expect(failure).rejects.not.toThrow(/not-the-password/);
    } finally {
      await wrong.close();
    }
  });

  it("rejects mapping the attributes the connector manages itself", async () => {
    const username = uniqueUsername("reserved");
    await connector.apply({ op: "create", account: account(username) });
    await expect(
      connector.apply({ op: "update", username, set: { businessCategory: "x" } }),
    ).rejects.toMatchObject({
      reason: "ReservedAttribute",
    });
  });
});

describe("OpenLDAP posix accounts and paging", () => {
  it("allocates uidNumbers that are never reused, even after a delete", async () => {
    const posix = connect({ posix: { gidNumber: 100 } });
    try {
      const numbers: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const { id } = await posix.apply({ op: "create", account: account(uniqueUsername("posix")) });
        numbers.push(Number(values(await readEntry(id as string), "uidNumber")[0]));
      }
      const doomed = uniqueUsername("posix-doomed");
      const { id: doomedId } = await posix.apply({ op: "create", account: account(doomed) });
      const doomedNumber = Number(values(await readEntry(doomedId as string), "uidNumber")[0]);
      await posix.apply({ op: "delete", username: doomed });
      const { id: nextId } = await posix.apply({ op: "create", account: account(uniqueUsername("posix")) });
      const next = Number(values(await readEntry(nextId as string), "uidNumber")[0]);
      expect(new Set([...numbers, doomedNumber, next]).size).toBe(5);
      expect(next).toBeGreaterThan(Math.max(...numbers, doomedNumber));
      expect(numbers[0]).toBeGreaterThanOrEqual(10_000);
    } finally {
      await posix.close();
    }
  });

  it("starts above uidNumbers already in use and skips one taken by another tool", async () => {
    const addPosix = (uid: string, uidNumber: number) =>
      withSlapdAdmin(server, (admin) =>
        admin.add(`uid=${uid},${server.peopleDN}`, {
          objectClass: ["inetOrgPerson", "posixAccount"],
          uid,
          cn: uid,
          sn: uid,
          uidNumber: String(uidNumber),
          gidNumber: "100",
          homeDirectory: `/home/${uid}`,
        }),
      );
    await addPosix(uniqueUsername("legacy"), 30_000);
    const posix = connect({ posix: { counterDN: `cn=second-counter,${server.peopleDN}` } });
    const uidNumberOf = async (username: string) => {
      const { id } = await posix.apply({ op: "create", account: account(username) });
      return Number(values(await readEntry(id as string), "uidNumber")[0]);
    };
    try {
      expect(await uidNumberOf(uniqueUsername("posix-after-legacy"))).toBe(30_001);
      await addPosix(uniqueUsername("squatter"), 30_002);
      expect(await uidNumberOf(uniqueUsername("posix-skip"))).toBe(30_003);
    } finally {
      await posix.close();
    }
  });

  it("lists every account across pages", async () => {
    const paged = connect({ pageSize: 2 });
    try {
      const names = [0, 1, 2, 3, 4].map(() => uniqueUsername("paged"));
      for (const name of names) await paged.apply({ op: "create", account: account(name) });
      const listed = new Set((await paged.list({ roles: [] })).map((acc) => acc.username));
      for (const name of names) expect(listed.has(name)).toBe(true);
    } finally {
      await paged.close();
    }
  });
});
