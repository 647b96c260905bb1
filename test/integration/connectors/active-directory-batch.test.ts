/**
 * The Active Directory connector's bulk paths against a real Samba 4 AD domain controller:
 * observeMany reports what observe does (UPN / sAMAccountName matching, truncated names),
 * applyBatch leaves the directory as apply does with one member write per group (ranged member
 * reads included), and every change's outcome is apply's. One DC serves the whole file.
 */
import { jest } from "@jest/globals";
import type { Client } from "ldapts";
import {
  createActiveDirectoryConnector,
  type ActiveDirectoryConnector,
} from "../../../operator/src/connectors/active-directory/connector.js";
import type { ActiveDirectoryConnectorInput } from "../../../operator/src/connectors/active-directory/config.js";
import { LdapTransport } from "../../../operator/src/connectors/shared/ldap-transport.js";
import type {
  AccountChange,
  BatchOutcome,
  DesiredAccount,
  ObservedAccount,
} from "../../../operator/src/engine/connector.js";
import { ConflictError, type RosterError } from "../../../operator/src/errors.js";
import { canBind } from "../../harness/slapd.js";
import { startSambaDc, withSambaAdmin, type SambaDc } from "../../harness/samba.js";
import { uniqueUsername } from "./contract-suite.js";

jest.setTimeout(180_000);

let dc: SambaDc;
let peopleDN: string;
let groupsDN: string;
const MARKER = "roster.dev/ad-batch";
const PASSWORD = "Us3r-Pa55word-AD!";
const BATCH = { concurrency: 4 };

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

function connect(overrides: Partial<ActiveDirectoryConnectorInput> = {}): ActiveDirectoryConnector {
  return createActiveDirectoryConnector({
    url: dc.url,
    tls: { insecureSkipVerify: true },
    bindDN: dc.adminDN,
    bindPassword: dc.adminPassword,
    usersBaseDN: peopleDN,
    groupsBaseDN: groupsDN,
    ...overrides,
  });
}

let connector: ActiveDirectoryConnector;
beforeEach(() => {
  connector = connect();
});
afterEach(async () => {
  jest.restoreAllMocks();
  await connector.close();
});

const account = (username: string, overrides: Partial<DesiredAccount> = {}): DesiredAccount => ({
  username,
  ownerMarker: MARKER,
  enabled: true,
  attributes: { displayName: `Person ${username}`, sn: "Tester", title: "Engineer" },
  roles: [],
  ...overrides,
});

async function addGroup(base: string): Promise<string> {
  const role = uniqueUsername(base);
  await withSambaAdmin(dc, (admin) =>
    admin.add(`CN=${role},${groupsDN}`, { objectClass: "group", sAMAccountName: role }),
  );
  return role;
}

/** The UPN local parts of a group's members, sorted (read as the administrator). */
async function membersOf(role: string): Promise<string[]> {
  return withSambaAdmin(dc, async (admin: Client) => {
    const { searchEntries } = await admin.search(peopleDN, {
      filter: `(memberOf=CN=${role},${groupsDN})`,
      attributes: ["userPrincipalName"],
    });
    return searchEntries.map((entry) => String(entry.userPrincipalName).replace(/@.*$/, "")).sort();
  });
}

async function addUnowned(username: string): Promise<void> {
  await withSambaAdmin(dc, (admin) =>
    admin.add(`CN=${username},${peopleDN}`, {
      objectClass: "user",
      sAMAccountName: username,
      userPrincipalName: `${username}@roster.test`,
    }),
  );
}

async function applyEach(changes: AccountChange[]): Promise<void> {
  for (const change of changes) await connector.apply(change);
}

async function applyOutcome(change: AccountChange): Promise<BatchOutcome> {
  try {
    return { ok: true, result: await connector.apply(change) };
  } catch (err) {
    return { ok: false, error: err as RosterError };
  }
}

function shape(outcome: BatchOutcome | undefined): unknown {
  if (!outcome) return "missing";
  if (outcome.ok) return { ok: true };
  const { error } = outcome;
  return { error: error.constructor.name, reason: error.reason, message: error.message };
}

function comparable(observed: ObservedAccount | undefined): unknown {
  if (!observed) return undefined;
  const { id: _id, username: _username, attributes, ...rest } = observed;
  const { displayName: _displayName, ...others } = attributes;
  return { ...rest, attributes: others };
}

const groupWrites = (calls: Array<[string, ...unknown[]]>) =>
  calls.filter(([dn]) => dn.toLowerCase().endsWith(groupsDN.toLowerCase())).length;

describe("Active Directory observeMany", () => {
  it("reports exactly what observe does, truncated sAMAccountNames and missing names included", async () => {
    const [readers, writers] = [await addGroup("ad-obs-readers"), await addGroup("ad-obs-writers")];
    const plain = uniqueUsername("ad-obs");
    const long = uniqueUsername("ad-obs-a-username-longer-than-twenty");
    const hostile = uniqueUsername("ad-obs-o'brien*(x)");
    await applyEach([
      { op: "create", account: account(plain, { roles: [readers, writers] }) },
      { op: "create", account: account(long, { roles: [writers], enabled: false }) },
      { op: "create", account: account(hostile, { roles: [readers] }) },
    ]);
    const unowned = uniqueUsername("ad-obs-unowned");
    await addUnowned(unowned);
    const asked = [plain.toUpperCase(), long, hostile, unowned, "*", uniqueUsername("ad-obs-gone")];
    for (const roles of [[readers, writers, "no-such-group"], undefined]) {
      const options = roles === undefined ? {} : { roles };
      const many = await connector.observeMany(asked, options);
      const one = new Map<string, ObservedAccount>();
      for (const username of asked) {
        const observed = await connector.observe(username, options);
        if (observed) one.set(username, observed);
      }
      expect([...many.keys()].sort()).toEqual([plain.toUpperCase(), long, hostile, unowned].sort());
      expect(many).toEqual(one);
    }
  });
});

describe("Active Directory applyBatch", () => {
  it("creates accounts as apply does, with one member write per group", async () => {
    const [staff, admins] = [await addGroup("ad-create-staff"), await addGroup("ad-create-admins")];
    const desired = (prefix: string) =>
      Array.from({ length: 24 }, (_, i) =>
        account(`${prefix}-${i}`, {
          enabled: i % 4 !== 0,
          roles: i % 3 === 0 ? [staff, admins] : [staff],
          ...(i % 6 === 1 ? { password: PASSWORD } : {}),
        }),
      );
    const viaApply = desired(uniqueUsername("ad-one"));
    const viaBatch = desired(uniqueUsername("ad-bulk"));
    await applyEach(viaApply.map((a): AccountChange => ({ op: "create", account: a })));
    const modify = jest.spyOn(LdapTransport.prototype, "modify");
    const outcomes = await connector.applyBatch(
      viaBatch.map((a): AccountChange => ({ op: "create", account: a })),
      BATCH,
    );
    const writes = groupWrites(modify.mock.calls);
    modify.mockRestore();
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(writes).toBe(2);
    const roles = { roles: [staff, admins] };
    const fromApply = await connector.observeMany(
      viaApply.map((a) => a.username),
      roles,
    );
    const fromBatch = await connector.observeMany(
      viaBatch.map((a) => a.username),
      roles,
    );
    viaApply.forEach((a, i) => {
      const b = viaBatch[i] as DesiredAccount;
      expect(comparable(fromBatch.get(b.username))).toEqual(comparable(fromApply.get(a.username)));
      expect(outcomes[i]).toEqual({ ok: true, result: { id: fromBatch.get(b.username)?.id } });
    });
    expect(await canBind(dc.url, `${viaBatch[1]!.username}@roster.test`, PASSWORD)).toBe(true);
  });

  it("adds and removes members in one write per group, idempotently", async () => {
    const [red, blue] = [await addGroup("ad-member-red"), await addGroup("ad-member-blue")];
    const users = Array.from({ length: 14 }, (_, i) => uniqueUsername(`ad-member-${i}`));
    await connector.applyBatch(
      users.map((u, i): AccountChange => ({
        op: "create",
        account: account(u, { roles: i < 12 ? [red] : [] }),
      })),
      BATCH,
    );
    const changes: AccountChange[] = [
      { op: "removeRoles", username: users[0]!, roles: [red] },
      { op: "removeRoles", username: users[1]!, roles: [red, blue] }, // blue: not a member
      { op: "addRoles", username: users[2]!, roles: [red, blue] }, // red: already a member
      { op: "addRoles", username: users[12]!, roles: [red] },
      { op: "addRoles", username: users[13]!, roles: [blue] },
    ];
    const modify = jest.spyOn(LdapTransport.prototype, "modify");
    const outcomes = await connector.applyBatch(changes, BATCH);
    const writes = groupWrites(modify.mock.calls);
    modify.mockRestore();
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(writes).toBe(3);
    expect(await membersOf(red)).toEqual([...users.slice(2, 13)].sort());
    expect(await membersOf(blue)).toEqual([users[2]!, users[13]!].sort());
    const observed = await connector.observeMany(users, { roles: [red, blue] });
    expect(users.map((u) => observed.get(u)?.roles.includes(red))).toEqual(
      users.map((_, i) => i >= 2 && i <= 12),
    );
  });

  it("fails only the unowned account's change and falls back to apply when a group is missing", async () => {
    const staff = await addGroup("ad-conflict");
    const [ours, other] = [uniqueUsername("ad-ours"), uniqueUsername("ad-other")];
    const [unowned, unownedToo] = [uniqueUsername("ad-unowned"), uniqueUsername("ad-unowned")];
    await applyEach([ours, other].map((u): AccountChange => ({ op: "create", account: account(u) })));
    await addUnowned(unowned);
    await addUnowned(unownedToo);
    const changes: AccountChange[] = [
      { op: "addRoles", username: unowned, roles: [staff] },
      { op: "addRoles", username: ours, roles: [staff] },
      { op: "addRoles", username: other, roles: [staff, "no-such-group"] },
      { op: "create", account: account(unownedToo, { roles: [staff] }) },
    ];
    const outcomes = await connector.applyBatch(changes, BATCH);
    expect(outcomes[0]?.ok === false && outcomes[0].error).toBeInstanceOf(ConflictError);
    expect(outcomes[1]?.ok).toBe(true);
    expect(outcomes[2]?.ok === false && outcomes[2].error.reason).toBe("RoleNotFound");
    expect(outcomes[3]?.ok === false && outcomes[3].error).toBeInstanceOf(ConflictError);
    const alone = await Promise.all([0, 2, 3].map((i) => applyOutcome(changes[i]!)));
    expect([0, 2, 3].map((i) => shape(outcomes[i]))).toEqual(alone.map(shape));
    expect(await membersOf(staff)).toEqual([ours, other].sort());
  });
});
