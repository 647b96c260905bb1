/**
 * The connector contract suite: one set of behaviours every Connector must show against its real
 * backend (see operator/src/engine/connector.ts). A connector's test file supplies a backend
 * fixture and calls `describeConnectorContract`. Assertions read the backend directly through
 * `inspect`, not only through the connector, so a connector cannot pass by agreeing with itself.
 */
import { ConflictError } from "../../../operator/src/errors.js";
import type { AttributeValue, Connector, DesiredAccount } from "../../../operator/src/engine/connector.js";

export interface InspectedAccount {
  enabled: boolean;
  roles: string[];
  owner: string | undefined;
  attributes: Record<string, AttributeValue>;
}

export interface ContractBackend {
  /** A connector for the real backend; the suite closes it after each test. */
  connect(): Promise<Connector>;
  /** Two roles that exist in the target (created by the fixture when needed). */
  roles: readonly [string, string];
  /** Target attributes for a new account, and a changed value set for the update case. */
  attributesFor(username: string): Record<string, AttributeValue>;
  changedAttributesFor(username: string): Record<string, AttributeValue>;
  /** Creates an account straight in the backend, without Roster's marker. */
  createUnowned(username: string): Promise<void>;
  /** Reads an account straight from the backend (not through the connector); undefined if absent. */
  inspect(username: string): Promise<InspectedAccount | undefined>;
  /** Whether created accounts need a password to be enabled (AD). */
  needsPassword?: boolean;
}

let counter = 0;
/** Usernames unique per test run, lowercase DNS-1123-ish. */
export function uniqueUsername(base: string): string {
  counter += 1;
  return `${base}-${process.pid % 10000}-${counter}`;
}

const MARKER = "roster.dev/contract-test";

export function describeConnectorContract(name: string, fixture: () => ContractBackend): void {
  describe(`${name} connector contract`, () => {
    let backend: ContractBackend;
    let connector: Connector;

    beforeEach(async () => {
      backend = fixture();
      connector = await backend.connect();
    });
    afterEach(async () => connector?.close());

    const desired = (username: string, overrides: Partial<DesiredAccount> = {}): DesiredAccount => ({
      username,
      ownerMarker: MARKER,
      enabled: true,
      attributes: backend.attributesFor(username),
      roles: [backend.roles[0]],
      ...(backend.needsPassword ? { password: "Contract-Test-Pa55word!" } : {}),
      ...overrides,
    });

    it("checks connectivity and credentials", async () => {
      await expect(connector.check()).resolves.toBeUndefined();
    });

    it("creates an owned, enabled account with its roles, and creating it again changes nothing", async () => {
      const username = uniqueUsername("hire");
      const created = await connector.apply({ op: "create", account: desired(username) });
      expect(created.id).toBeTruthy();
      const inTarget = await backend.inspect(username);
      expect(inTarget).toMatchObject({ enabled: true, owner: MARKER, roles: [backend.roles[0]] });
      expect(inTarget?.attributes).toMatchObject(backend.attributesFor(username));
      await expect(connector.apply({ op: "create", account: desired(username) })).resolves.toEqual(created);
      const observed = await connector.observe(username, { roles: [...backend.roles] });
      expect(observed).toMatchObject({ id: created.id, username, owner: MARKER, enabled: true });
      expect(observed?.roles).toEqual([backend.roles[0]]);
    });

    it("creates an account disabled when it is not yet due", async () => {
      const username = uniqueUsername("future");
      await connector.apply({ op: "create", account: desired(username, { enabled: false, roles: [] }) });
      expect(await backend.inspect(username)).toMatchObject({ enabled: false, owner: MARKER, roles: [] });
    });

    it("observes nothing for an account that does not exist", async () => {
      await expect(connector.observe(uniqueUsername("ghost"))).resolves.toBeUndefined();
    });

    it("lists accounts in bulk with owner, state and roles", async () => {
      const a = uniqueUsername("list-a");
      const b = uniqueUsername("list-b");
      await connector.apply({ op: "create", account: desired(a) });
      await connector.apply({ op: "create", account: desired(b, { roles: [...backend.roles] }) });
      const listed = await connector.list({ roles: [...backend.roles] });
      const byName = new Map(listed.map((acc) => [acc.username, acc]));
      expect(byName.get(a)).toMatchObject({ owner: MARKER, enabled: true, roles: [backend.roles[0]] });
      expect([...(byName.get(b)?.roles ?? [])].sort()).toEqual([...backend.roles].sort());
    });

    it("updates attributes idempotently", async () => {
      const username = uniqueUsername("mover");
      await connector.apply({ op: "create", account: desired(username) });
      const set = backend.changedAttributesFor(username);
      await connector.apply({ op: "update", username, set });
      await connector.apply({ op: "update", username, set });
      expect((await backend.inspect(username))?.attributes).toMatchObject(set);
    });

    it("adds and removes roles member by member, idempotently", async () => {
      const username = uniqueUsername("roles");
      const [first, second] = backend.roles;
      await connector.apply({ op: "create", account: desired(username, { roles: [] }) });
      await connector.apply({ op: "addRoles", username, roles: [first, second] });
      await connector.apply({ op: "addRoles", username, roles: [first] });
      expect([...((await backend.inspect(username))?.roles ?? [])].sort()).toEqual([first, second].sort());
      await connector.apply({ op: "removeRoles", username, roles: [first] });
      await connector.apply({ op: "removeRoles", username, roles: [first] });
      expect((await backend.inspect(username))?.roles).toEqual([second]);
    });

    it("disables and re-enables idempotently", async () => {
      const username = uniqueUsername("leaver");
      await connector.apply({ op: "create", account: desired(username) });
      await connector.apply({ op: "disable", username });
      await connector.apply({ op: "disable", username });
      expect((await backend.inspect(username))?.enabled).toBe(false);
      expect((await connector.observe(username))?.enabled).toBe(false);
      await connector.apply({ op: "enable", username });
      expect((await backend.inspect(username))?.enabled).toBe(true);
    });

    it("deletes, tolerating an account that is already gone", async () => {
      const username = uniqueUsername("gone");
      await connector.apply({ op: "create", account: desired(username) });
      await expect(connector.apply({ op: "delete", username })).resolves.toEqual({ id: undefined });
      expect(await backend.inspect(username)).toBeUndefined();
      await expect(connector.apply({ op: "delete", username })).resolves.toEqual({ id: undefined });
    });

    it("reports an unowned account without a marker and refuses to create over it", async () => {
      const username = uniqueUsername("unowned");
      await backend.createUnowned(username);
      const observed = await connector.observe(username);
      expect(observed).toBeDefined();
      expect(observed?.owner).toBeUndefined();
      await expect(connector.apply({ op: "create", account: desired(username) })).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect((await backend.inspect(username))?.owner).toBeUndefined();
    });

    it("adopts an unowned account by stamping the marker", async () => {
      const username = uniqueUsername("adopted");
      await backend.createUnowned(username);
      await connector.apply({ op: "adopt", username, ownerMarker: MARKER });
      expect((await backend.inspect(username))?.owner).toBe(MARKER);
      expect((await connector.observe(username))?.owner).toBe(MARKER);
    });
  });
}
