/**
 * The bulk paths every LDAP-family connector (OpenLDAP, Active Directory) must show against its
 * real directory: observeMany reports what observe does, applyBatch leaves the directory as apply
 * does with one member write per group, and every change's outcome is apply's. A test file starts
 * its server, describes it as a DirectoryBatchBackend, calls `useDirectoryBatch` for the
 * per-test connector and helpers, and `describeDirectoryBatch` for the shared tests.
 * Assertions read the directory as its administrator, not only through the connector.
 */
import { jest } from "@jest/globals";
import type { DirectoryConnector } from "../../../operator/src/connectors/shared/ldap-directory-connector.js";
import { LdapTransport } from "../../../operator/src/connectors/shared/ldap-transport.js";
import type {
  AccountChange,
  AttributeValue,
  BatchOutcome,
  DesiredAccount,
  ObservedAccount,
} from "../../../operator/src/engine/connector.js";
import { ConflictError, TerminalError, type RosterError } from "../../../operator/src/errors.js";
import { uniqueUsername } from "./contract-suite.js";

export interface DirectoryBatchBackend<C extends DirectoryConnector> {
  /** Names the describe blocks: "LDAP", "Active Directory". */
  name: string;
  /** A connector bound as the directory's administrator; `useDirectoryBatch` closes it after each test. */
  connect(): C;
  ownerMarker: string;
  /** A password the directory's policy accepts. */
  password: string;
  /** Target attributes of a new account (some, per `varyingAttributes`, derived from its name). */
  attributesFor(username: string): Record<string, AttributeValue>;
  /** The attributes that differ between two accounts created alike (derived from the username). */
  varyingAttributes: readonly string[];
  /** Adds an empty group; returns its role name. */
  addGroup(base: string): Promise<string>;
  /** Adds a group with one member Roster does not manage; returns the role and that member as listed. */
  addGroupWithOutsider(base: string): Promise<{ role: string; outsider: string }>;
  /** A group's members as the directory lists them, sorted. */
  membersOf(role: string): Promise<string[]>;
  /** How `membersOf` lists an account. */
  memberEntry(username: string): string;
  /** What `membersOf` lists for a group without accounts (a groupOfNames keeps a placeholder). */
  emptyGroup: readonly string[];
  /** The roles (group names, sorted) that list the account as a member. */
  groupsOf(username: string): Promise<string[]>;
  /** Creates an account straight in the directory, without Roster's marker. */
  addUnowned(username: string): Promise<void>;
  canBind(username: string, password: string): Promise<boolean>;
  /** Whether a modify of this DN is a write to a group. */
  isGroupDN(dn: string): boolean;
  /** The id apply reports for an account, where the directory's ids are predictable (DNs). */
  idOf?(username: string): string;
  /** How many accounts the create comparison makes each way (more than 10). */
  createCount: number;
  /**
   * The accounts the observeMany test creates, each with the name it is asked by; the first has
   * both roles. Unowned, missing and filter-like names are added by the suite.
   */
  observeCases(
    account: (username: string, overrides?: Partial<DesiredAccount>) => DesiredAccount,
    readers: string,
    writers: string,
  ): Array<{ account: DesiredAccount; askedAs: string }>;
  /** At most this many searches for one observeMany over `roleCount` roles, where bounded. */
  maxObserveSearches?(roleCount: number): number;
}

export const BATCH = { concurrency: 4 };

/** The per-test connector and the helpers the shared tests and a file's own tests use. */
export interface DirectoryBatchContext<C extends DirectoryConnector> {
  connector(): C;
  account(username: string, overrides?: Partial<DesiredAccount>): DesiredAccount;
  applyEach(changes: readonly AccountChange[]): Promise<void>;
  /** What apply gives for a change, as an outcome. */
  applyOutcome(change: AccountChange): Promise<BatchOutcome>;
  /** The number of writes to groups while `run` runs (spying on the LDAP transport). */
  countGroupWrites<T>(run: () => Promise<T>): Promise<{ result: T; groupWrites: number }>;
}

/** An outcome in comparable form: id, or error class, reason and message. */
export function shape(outcome: BatchOutcome | undefined): unknown {
  if (!outcome) return "missing";
  if (outcome.ok) return { id: outcome.result.id };
  const { error } = outcome;
  return { error: error.constructor.name, reason: error.reason, message: error.message };
}

export function useDirectoryBatch<C extends DirectoryConnector>(
  backend: DirectoryBatchBackend<C>,
): DirectoryBatchContext<C> {
  let current: C | undefined;
  beforeEach(() => {
    current = backend.connect();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await current?.close();
  });
  const connector = (): C => {
    if (!current) throw new Error("no connector outside a test");
    return current;
  };
  return {
    connector,
    account: (username, overrides = {}) => ({
      username,
      ownerMarker: backend.ownerMarker,
      enabled: true,
      attributes: backend.attributesFor(username),
      roles: [],
      ...overrides,
    }),
    applyEach: async (changes) => {
      for (const change of changes) await connector().apply(change);
    },
    applyOutcome: async (change) => {
      try {
        return { ok: true, result: await connector().apply(change) };
      } catch (err) {
        return { ok: false, error: err as RosterError };
      }
    },
    countGroupWrites: async (run) => {
      const modify = jest.spyOn(LdapTransport.prototype, "modify");
      try {
        const result = await run();
        return { result, groupWrites: modify.mock.calls.filter(([dn]) => backend.isGroupDN(dn)).length };
      } finally {
        modify.mockRestore();
      }
    },
  };
}

/** observe for each name, as observeMany reports them: only the names found. */
export async function observeEach(
  connector: DirectoryConnector,
  usernames: readonly string[],
  options: { roles?: string[] },
): Promise<Map<string, ObservedAccount>> {
  const one = new Map<string, ObservedAccount>();
  for (const username of usernames) {
    const observed = await connector.observe(username, options);
    if (observed) one.set(username, observed);
  }
  return one;
}

export function describeDirectoryBatch<C extends DirectoryConnector>(
  backend: DirectoryBatchBackend<C>,
  ctx: DirectoryBatchContext<C>,
): void {
  describeObserveMany(backend, ctx);
  describeCreates(backend, ctx);
  describeMembership(backend, ctx);
}

function describeObserveMany<C extends DirectoryConnector>(
  backend: DirectoryBatchBackend<C>,
  ctx: DirectoryBatchContext<C>,
): void {
  describe(`${backend.name} observeMany`, () => {
    it("reports exactly what observe does, unowned, missing and filter-like names included", async () => {
      const [readers, writers] = [
        await backend.addGroup("obs-readers"),
        await backend.addGroup("obs-writers"),
      ];
      const cases = backend.observeCases(ctx.account, readers, writers);
      await ctx.applyEach(cases.map((c): AccountChange => ({ op: "create", account: c.account })));
      const unowned = uniqueUsername("obs-unowned");
      await backend.addUnowned(unowned);
      const found = [...cases.map((c) => c.askedAs), unowned];
      const asked = [...found, "*", "obs-missing)(uid=*", uniqueUsername("obs-gone")];
      for (const roles of [[readers, writers, "no-such-group"], undefined, []]) {
        const options = roles === undefined ? {} : { roles };
        const search = jest.spyOn(LdapTransport.prototype, "search");
        const many = await ctx.connector().observeMany(asked, options);
        const searches = search.mock.calls.length;
        search.mockRestore();
        expect([...many.keys()].sort()).toEqual([...found].sort());
        expect(many).toEqual(await observeEach(ctx.connector(), asked, options));
        // one account search, plus per group at most a lookup of its DN and a read of its members
        if (roles !== undefined && backend.maxObserveSearches)
          expect(searches).toBeLessThanOrEqual(backend.maxObserveSearches(roles.length));
      }
      const first = cases[0]?.askedAs ?? "";
      const both = await ctx.connector().observeMany([first], { roles: [readers, writers] });
      expect(both.get(first)?.roles).toEqual([readers, writers]);
    });
  });
}

function describeCreates<C extends DirectoryConnector>(
  backend: DirectoryBatchBackend<C>,
  ctx: DirectoryBatchContext<C>,
): void {
  /** An observed account without the parts that differ between two accounts created alike. */
  const comparable = (observed: ObservedAccount | undefined): unknown => {
    if (!observed) return undefined;
    const { id: _id, username: _username, attributes, ...rest } = observed;
    const others = Object.fromEntries(
      Object.entries(attributes).filter(([key]) => !backend.varyingAttributes.includes(key)),
    );
    return { ...rest, attributes: others };
  };
  const creates = (accounts: readonly DesiredAccount[]) =>
    accounts.map((account): AccountChange => ({ op: "create", account }));

  describe(`${backend.name} applyBatch creates`, () => {
    it("leaves the directory as apply one by one does, with one member write per group", async () => {
      const [staff, admins] = [
        await backend.addGroup("create-staff"),
        await backend.addGroup("create-admins"),
      ];
      const desired = (prefix: string) =>
        Array.from({ length: backend.createCount }, (_, i) => {
          const username = `${prefix}-${i}`;
          return ctx.account(username, {
            enabled: i % 5 !== 0,
            roles: i % 3 === 0 ? [staff, admins] : [staff],
            attributes: { ...backend.attributesFor(username), title: `T${i % 4}` },
            ...(i % 10 === 1 ? { password: backend.password } : {}),
          });
        });
      const viaApply = desired(uniqueUsername("one"));
      const viaBatch = desired(uniqueUsername("bulk"));
      await ctx.applyEach(creates(viaApply));
      const { result: outcomes, groupWrites } = await ctx.countGroupWrites(() =>
        ctx.connector().applyBatch(creates(viaBatch), BATCH),
      );
      expect(groupWrites).toBe(2);

      const roles = { roles: [staff, admins] };
      const fromApply = await ctx.connector().observeMany(
        viaApply.map((a) => a.username),
        roles,
      );
      const fromBatch = await ctx.connector().observeMany(
        viaBatch.map((a) => a.username),
        roles,
      );
      const idOf = (username: string) => backend.idOf?.(username) ?? fromBatch.get(username)?.id;
      expect(outcomes.map(shape)).toEqual(viaBatch.map((a) => ({ id: idOf(a.username) })));
      viaApply.forEach((a, i) => {
        const b = viaBatch[i] as DesiredAccount;
        expect(comparable(fromBatch.get(b.username))).toEqual(comparable(fromApply.get(a.username)));
        for (const key of backend.varyingAttributes)
          expect(fromBatch.get(b.username)?.attributes[key]).toEqual(b.attributes[key]);
      });
      expect(await backend.canBind(viaBatch[1]!.username, backend.password)).toBe(true);
      expect(await backend.canBind(viaBatch[10]!.username, backend.password)).toBe(false); // created disabled

      // a retried batch converges: same outcomes, nothing duplicated
      const again = await ctx.connector().applyBatch(creates(viaBatch), BATCH);
      expect(again.map(shape)).toEqual(outcomes.map(shape));
      const admitted =
        viaBatch.filter((_, i) => i % 3 === 0).length + viaApply.filter((_, i) => i % 3 === 0).length;
      expect((await backend.membersOf(admins)).length).toBe(backend.emptyGroup.length + admitted);
    });

    it("fails only the changes that fail alone: unowned entries, missing groups", async () => {
      const staff = await backend.addGroup("create-fail-staff");
      const unowned = uniqueUsername("create-unowned");
      await backend.addUnowned(unowned);
      const existing = uniqueUsername("create-existing");
      await ctx.connector().apply({ op: "create", account: ctx.account(existing) });
      const ok = uniqueUsername("create-ok");
      const changes: AccountChange[] = [
        { op: "create", account: ctx.account(ok, { roles: [staff] }) },
        { op: "create", account: ctx.account(unowned, { roles: [staff] }) },
        {
          op: "create",
          account: ctx.account(uniqueUsername("create-nogroup"), { roles: [staff, "no-such-group"] }),
        },
        { op: "create", account: ctx.account(existing, { roles: [staff], enabled: false }) },
      ];
      const outcomes = await ctx.connector().applyBatch(changes, BATCH);
      const ids = await ctx.connector().observeMany([ok, existing], { roles: [] });
      const idOf = (username: string) => backend.idOf?.(username) ?? ids.get(username)?.id;
      expect(outcomes[0]).toEqual({ ok: true, result: { id: idOf(ok) } });
      expect(outcomes[1]?.ok === false && outcomes[1].error).toBeInstanceOf(ConflictError);
      expect(shape(outcomes[1])).toEqual(shape(await ctx.applyOutcome(changes[1]!)));
      expect(outcomes[2]?.ok === false && outcomes[2].error).toBeInstanceOf(TerminalError);
      expect(shape(outcomes[2])).toEqual(shape(await ctx.applyOutcome(changes[2]!)));
      expect(outcomes[3]).toEqual({ ok: true, result: { id: idOf(existing) } });
      expect(await backend.groupsOf(existing)).toEqual([staff]);
      expect((await ctx.connector().observe(existing))?.enabled).toBe(false);
      expect(await backend.groupsOf(unowned)).toEqual([]);
    });
  });
}

function describeMembership<C extends DirectoryConnector>(
  backend: DirectoryBatchBackend<C>,
  ctx: DirectoryBatchContext<C>,
): void {
  const sortedMembers = (...entries: string[]) => [...backend.emptyGroup, ...entries].sort();

  describe(`${backend.name} applyBatch membership`, () => {
    it("adds and removes members with one write per group, idempotently, leaving other members alone", async () => {
      const { role: red, outsider } = await backend.addGroupWithOutsider("member-red");
      const blue = await backend.addGroup("member-blue");
      const users = Array.from({ length: 8 }, (_, i) => uniqueUsername(`member-${i}`));
      const created = await ctx.connector().applyBatch(
        users.map((u, i): AccountChange => ({
          op: "create",
          account: ctx.account(u, { roles: i < 5 ? [red] : [] }),
        })),
        BATCH,
      );
      expect(created.filter((o) => !o.ok)).toEqual([]);
      const changes: AccountChange[] = [
        { op: "removeRoles", username: users[0]!, roles: [red] },
        { op: "removeRoles", username: users[1]!, roles: [red, blue] }, // blue: not a member
        { op: "addRoles", username: users[2]!, roles: [red, blue] }, // red: already a member
        { op: "addRoles", username: users[5]!, roles: [red] },
        { op: "addRoles", username: users[6]!, roles: [blue] },
        { op: "disable", username: users[7]! },
      ];
      const { result: outcomes, groupWrites } = await ctx.countGroupWrites(() =>
        ctx.connector().applyBatch(changes, BATCH),
      );
      const changed = [0, 1, 2, 5, 6, 7].map((i) => users[i]!);
      const createdIds = new Map(users.map((u, i) => [u, shape(created[i])]));
      expect(outcomes.map(shape)).toEqual(
        changed.map((u) => (backend.idOf ? { id: backend.idOf(u) } : createdIds.get(u))),
      );
      // removals: one write to red; additions: one to red, one to blue
      expect(groupWrites).toBe(3);
      const entry = backend.memberEntry;
      expect(await backend.membersOf(red)).toEqual(
        sortedMembers(outsider, ...[2, 3, 4, 5].map((i) => entry(users[i]!))),
      );
      expect(await backend.membersOf(blue)).toEqual(sortedMembers(entry(users[2]!), entry(users[6]!)));
      const observed = await ctx.connector().observeMany(users, { roles: [red, blue] });
      expect(users.map((u) => observed.get(u)?.roles.includes(red))).toEqual(
        users.map((_, i) => i >= 2 && i <= 5),
      );
      expect(observed.get(users[7]!)?.enabled).toBe(false);
    });

    it("fails only the unowned or missing accounts' changes in a mixed batch, with apply's errors", async () => {
      const staff = await backend.addGroup("member-conflict");
      const ours = uniqueUsername("member-ours");
      const unowned = uniqueUsername("member-unowned");
      const missing = uniqueUsername("member-missing");
      await ctx.connector().apply({ op: "create", account: ctx.account(ours) });
      const unownedToo = uniqueUsername("member-unowned");
      await backend.addUnowned(unowned);
      await backend.addUnowned(unownedToo);
      const changes: AccountChange[] = [
        { op: "addRoles", username: unowned, roles: [staff] },
        { op: "addRoles", username: ours, roles: [staff] },
        { op: "addRoles", username: missing, roles: [staff] },
        { op: "create", account: ctx.account(unownedToo, { roles: [staff] }) },
      ];
      const outcomes = await ctx.connector().applyBatch(changes, BATCH);
      expect(outcomes[0]?.ok === false && outcomes[0].error).toBeInstanceOf(ConflictError);
      const id = backend.idOf?.(ours) ?? (await ctx.connector().observe(ours))?.id;
      expect(outcomes[1]).toEqual({ ok: true, result: { id } });
      expect(outcomes[3]?.ok === false && outcomes[3].error).toBeInstanceOf(ConflictError);
      const alone = await Promise.all([0, 2, 3].map((i) => ctx.applyOutcome(changes[i]!)));
      expect([0, 2, 3].map((i) => shape(outcomes[i]))).toEqual(alone.map(shape));
      expect(await backend.membersOf(staff)).toEqual(sortedMembers(backend.memberEntry(ours)));
    });

    it("falls back to apply for the changes of a group whose write fails", async () => {
      const staff = await backend.addGroup("member-fallback");
      const [a, b] = [uniqueUsername("fallback-a"), uniqueUsername("fallback-b")];
      await ctx.applyEach([a, b].map((u): AccountChange => ({ op: "create", account: ctx.account(u) })));
      const changes: AccountChange[] = [
        { op: "addRoles", username: a, roles: [staff, "no-such-group"] },
        { op: "addRoles", username: b, roles: [staff] },
      ];
      const outcomes = await ctx.connector().applyBatch(changes, BATCH);
      const id = backend.idOf?.(b) ?? (await ctx.connector().observe(b))?.id;
      expect(outcomes[1]).toEqual({ ok: true, result: { id } });
      expect(outcomes[0]?.ok === false && outcomes[0].error.reason).toBe("RoleNotFound");
      expect(shape(outcomes[0])).toEqual(shape(await ctx.applyOutcome(changes[0]!)));
      expect(await backend.membersOf(staff)).toEqual(
        sortedMembers(backend.memberEntry(a), backend.memberEntry(b)),
      );
    });
  });
}
