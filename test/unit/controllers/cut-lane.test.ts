/**
 * The cut lane beside a running pass, with a fake connector whose bulk read the test holds: the
 * lane cuts a leaver while the pass waits on its read, and the pass, which decided on the leaver
 * before the leave, must not undo the cut when its read shows the account disabled. A pass's read
 * waits for the cuts running on its Target (cutsQuiet).
 */
import pino from "pino";
import { Registry } from "prom-client";
import { RosterMetrics } from "../../../operator/src/controllers/metrics.js";
import type { ConnectorPool } from "../../../operator/src/controllers/connector-pool.js";
import { cutsQuiet } from "../../../operator/src/controllers/sync/cut-ahead.js";
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

const user = (name: string, state: string, generation: number, title = "Engineer"): KubeObject => ({
  metadata: { name, generation },
  spec: { username: name, state, email: `${name}@example.com`, title },
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
  /** Reads and finished disables, in the order they happened. */
  log: string[] = [];
  listed = 0;
  held = false;
  /** While set, a disable waits until releaseDisables(). */
  holdDisables = false;
  heldDisables = 0;
  private readonly accounts = new Map<string, ObservedAccount>();
  private release: (() => void) | undefined;
  private releaseHeldDisables: Array<() => void> = [];

  async list(): Promise<ObservedAccount[]> {
    this.listed += 1;
    if (this.held) await new Promise<void>((resolve) => (this.release = resolve));
    return [...this.accounts.values()].map((a) => structuredClone(a));
  }
  answer(): void {
    this.release?.();
  }
  releaseDisables(): void {
    for (const release of this.releaseHeldDisables.splice(0)) release();
  }
  async observe(username: string): Promise<ObservedAccount | undefined> {
    this.log.push(`observe:${username}`);
    const found = this.accounts.get(username);
    return found && structuredClone(found);
  }
  async apply(change: AccountChange) {
    const who = change.op === "create" ? change.account.username : change.username;
    this.applied.push(`${change.op}:${who}`);
    if (change.op === "disable" && this.holdDisables) {
      this.heldDisables += 1;
      await new Promise<void>((resolve) => this.releaseHeldDisables.push(resolve));
    }
    if (change.op === "disable") this.log.push(`disabled:${who}`);
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

  it("lets a pass read only once the cuts running on its Target have ended", async () => {
    const { users, connector, state, sync, ctx } = setup();
    await sync.reconcile(KEY, ctx);
    connector.log = [];
    connector.applied = [];

    // A pass is running (it took its Users already) when ann leaves: the lane cuts her, and the
    // target is slow to answer the disable.
    state.passStarted(KEY);
    users.upsert(user("ann", "Terminated", 2));
    state.forTarget(KEY).cutCandidates.add("ann");
    connector.holdDisables = true;
    const lane = sync.cutLane(KEY, ctx);
    await until("the lane's disable sent", () => connector.heldDisables === 1);
    state.passEnded(KEY);

    // Bob moves: the next pass must read his account, but only after ann's cut has ended.
    users.upsert(user("bob", "Active", 2, "Manager"));
    state.noteUserChange("bob", Date.now());
    const pass = sync.reconcile(KEY, ctx);
    await new Promise((r) => setTimeout(r, 100));
    expect(connector.log).toEqual([]);

    connector.releaseDisables();
    await Promise.all([lane, pass]);
    expect(connector.log).toEqual(["disabled:ann", "observe:bob"]);
    expect(connector.applied.filter((a) => a.endsWith(":bob"))).toEqual(["update:bob"]);
  });

  it("waits for running cuts no longer than its limit", async () => {
    const { state } = setup();
    const targetState = state.forTarget(KEY);
    targetState.cutsInFlight.set("ann", new Promise(() => undefined));
    const started = performance.now();
    await cutsQuiet(targetState, 50);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(45);
    expect(waited).toBeLessThan(2_000);
  });
});
