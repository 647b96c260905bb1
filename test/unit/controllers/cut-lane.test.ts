/**
 * The cut lane beside a running pass, with a fake connector whose bulk read the test holds: the
 * lane cuts a leaver while the pass waits on its read, and the pass, which decided on the leaver
 * before the leave, must not undo the cut when its read shows the account disabled.
 */
import pino from "pino";
import { Registry } from "prom-client";
import { RosterMetrics } from "../../../operator/src/controllers/metrics.js";
import type { ConnectorPool } from "../../../operator/src/controllers/connector-pool.js";
import { ProvisioningState } from "../../../operator/src/controllers/sync/target-state.js";
import { TargetSync } from "../../../operator/src/controllers/sync/target-sync.js";
import type { AccountChange, Connector, ObservedAccount } from "../../../operator/src/engine/connector.js";
import { FakeClock } from "../../../operator/src/runtime/fake-clock.js";
import {
  Store,
  type EventRecorder,
  type KubeClient,
  type KubeObject,
  type ReconcileContext,
  type StatusWriter,
} from "../../../operator/src/runtime/index.js";

const KEY = "ns/crm";

const user = (name: string, state: string, generation: number): KubeObject => ({
  metadata: { name, generation },
  spec: { username: name, state, email: `${name}@example.com` },
});

const target = (generation: number): KubeObject => ({
  metadata: { namespace: "ns", name: "crm", generation },
  spec: { scim: { baseURL: "https://crm.example" }, syncIntervalSeconds: 3600 },
});

const grant: KubeObject = {
  metadata: { namespace: "ns", name: "crm-users", creationTimestamp: "2026-01-01T00:00:00Z" },
  spec: { target: "crm", subjects: { users: ["ann", "bob"] }, roles: ["staff"] },
};

/**
 * A target held in memory; list() answers only when the test releases it (while `held`), with
 * the accounts as they are at that moment.
 */
class HeldConnector {
  applied: string[] = [];
  listed = 0;
  held = false;
  private readonly accounts = new Map<string, ObservedAccount>();
  private release: (() => void) | undefined;

  async list(): Promise<ObservedAccount[]> {
    this.listed += 1;
    if (this.held) await new Promise<void>((resolve) => (this.release = resolve));
    return [...this.accounts.values()].map((a) => structuredClone(a));
  }
  answer(): void {
    this.release?.();
  }
  async observe(username: string): Promise<ObservedAccount | undefined> {
    const found = this.accounts.get(username);
    return found && structuredClone(found);
  }
  async apply(change: AccountChange) {
    const who = change.op === "create" ? change.account.username : change.username;
    this.applied.push(`${change.op}:${who}`);
    const current = this.accounts.get(who);
    if (change.op === "create") {
      const { username, ownerMarker: owner, enabled, attributes, roles } = change.account;
      this.accounts.set(username, {
        id: `id-${username}`,
        username,
        owner,
        enabled,
        attributes,
        roles: [...roles],
      });
    } else if (current && (change.op === "disable" || change.op === "enable")) {
      current.enabled = change.op === "enable";
    } else if (current && change.op === "removeRoles") {
      current.roles = current.roles.filter((r) => !change.roles.includes(r));
    }
    return { id: `id-${who}` };
  }
  async check(): Promise<void> {}
  async close(): Promise<void> {}
}

function setup() {
  const users = new Store<KubeObject>();
  const targets = new Store<KubeObject>();
  const grants = new Store<KubeObject>({ namespace: (o) => [o.metadata?.namespace ?? ""] });
  users.upsert(user("ann", "Active", 1));
  users.upsert(user("bob", "Active", 1));
  targets.upsert(target(1));
  grants.upsert(grant);
  const connector = new HeldConnector();
  const state = new ProvisioningState();
  const sync = new TargetSync({
    client: {} as KubeClient,
    targets,
    users,
    grants,
    pool: { connectorFor: async () => connector as unknown as Connector } as unknown as ConnectorPool,
    state,
    statusWriter: { write: async () => ({ kind: "unchanged" }) } as unknown as StatusWriter,
    clock: new FakeClock(Date.parse("2026-06-01T00:00:00Z")),
    metrics: new RosterMetrics(new Registry()),
    events: { record: async () => undefined, onDropped: () => undefined } as unknown as EventRecorder,
    onUserChanged: () => undefined,
  });
  const ctx = {
    logger: pino({ level: "silent" }),
    signal: new AbortController().signal,
    reconcileID: "test",
    lane: "revocation",
  } as unknown as ReconcileContext;
  return { users, targets, connector, state, sync, ctx };
}

async function until(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe("the cut lane beside a running pass", () => {
  it("cuts a leaver while the pass waits on its read, and the pass does not re-enable it", async () => {
    const { users, targets, connector, state, sync, ctx } = setup();
    await sync.reconcile(KEY, ctx);
    expect(connector.applied.sort()).toEqual(["create:ann", "create:bob"]);
    connector.applied = [];

    // A full sync (new generation) decides on ann as Active, then waits on its read.
    targets.upsert(target(2));
    connector.held = true;
    const pass = sync.reconcile(KEY, ctx);
    await until("the pass reading", () => connector.listed === 2);

    // Ann leaves meanwhile: the lane cuts her now.
    users.upsert(user("ann", "Terminated", 2));
    state.noteUserChange("ann", Date.now());
    await sync.cutLane(KEY, ctx);
    expect(connector.applied).toEqual(["disable:ann"]);

    // The pass's read shows ann disabled; its decision (ann Active) is outdated, so no enable.
    connector.answer();
    await pass;
    expect(connector.applied).toEqual(["disable:ann"]);
    expect(state.forTarget(KEY).dirtyUsers.has("ann")).toBe(true);

    // The next pass decides on ann as she is now: her roles go, she stays disabled.
    connector.held = false;
    await sync.reconcile(KEY, ctx);
    expect(connector.applied).toEqual(["disable:ann", "removeRoles:ann"]);
  });

  it("does nothing when no pass runs: the pass itself cuts first", async () => {
    const { users, connector, state, sync, ctx } = setup();
    await sync.reconcile(KEY, ctx);
    connector.applied = [];
    users.upsert(user("ann", "Terminated", 2));
    state.noteUserChange("ann", Date.now());
    await sync.cutLane(KEY, ctx);
    expect(connector.applied).toEqual([]);
    await sync.reconcile(KEY, ctx);
    expect(connector.applied).toEqual(["disable:ann", "removeRoles:ann"]);
  });
});
