import { executePlan } from "../../../operator/src/controllers/sync/execute.js";
import type { AccountChange, Connector } from "../../../operator/src/engine/connector.js";
import type { PlannedOperation } from "../../../operator/src/engine/plan.js";
import { TerminalError, TransientError } from "../../../operator/src/errors.js";

/** A fake connector that records calls and fails the operations it is told to. */
function fakeConnector(failures: Record<string, Error> = {}, delayMs = 0) {
  const calls: string[] = [];
  let active = 0;
  let maxActive = 0;
  const connector: Connector = {
    list: async () => [],
    observe: async () => undefined,
    check: async () => undefined,
    close: async () => undefined,
    apply: async (change: AccountChange) => {
      const key = `${change.op}:${change.op === "create" ? change.account.username : change.username}`;
      active += 1;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setTimeout(r, delayMs));
      active -= 1;
      calls.push(key);
      const failure = failures[key];
      if (failure) throw failure;
      return { id: "x" };
    },
  };
  return { connector, calls, maxActive: () => maxActive };
}

const op = (change: AccountChange, revocation = false): PlannedOperation => ({
  change,
  user: "u",
  revocation,
});
const create = (username: string) =>
  op({ op: "create", account: { username, ownerMarker: "m", enabled: true, attributes: {}, roles: [] } });

describe("executePlan", () => {
  it("runs an account's operations in order and skips the rest after a failure", async () => {
    const fake = fakeConnector({ "create:ann": new TransientError("Down", "ldap is down") });
    const report = await executePlan(
      fake.connector,
      [create("ann"), op({ op: "addRoles", username: "ann", roles: ["x"] }), create("bob")],
      { concurrency: 1 },
    );
    expect(fake.calls).toEqual(["create:ann", "create:bob"]);
    expect(report.failed.map((f) => f.error.reason)).toEqual(["Down"]);
    expect(report.skipped.map((o) => o.change.op)).toEqual(["addRoles"]);
    expect(report.succeeded.map((o) => o.change.op)).toEqual(["create"]);
  });

  it("runs accounts with revocations first", async () => {
    const fake = fakeConnector();
    await executePlan(
      fake.connector,
      [create("ann"), op({ op: "disable", username: "bob" }, true), create("cid")],
      { concurrency: 1 },
    );
    expect(fake.calls[0]).toBe("disable:bob");
  });

  it("respects the concurrency limit", async () => {
    const fake = fakeConnector({}, 5);
    const ops = Array.from({ length: 12 }, (_, i) => create(`u${i}`));
    await executePlan(fake.connector, ops, { concurrency: 3 });
    expect(fake.calls).toHaveLength(12);
    expect(fake.maxActive()).toBe(3);
  });

  it("classifies unexpected errors as transient with context and reports results", async () => {
    const results: string[] = [];
    const fake = fakeConnector({
      "delete:ann": new Error("socket hang up"),
      "disable:bob": new TerminalError("Bad", "no"),
    });
    const report = await executePlan(
      fake.connector,
      [op({ op: "delete", username: "ann" }, true), op({ op: "disable", username: "bob" }, true)],
      { concurrency: 2, onResult: (o, e) => results.push(`${o.change.op}:${e?.kind ?? "ok"}`) },
    );
    expect(report.failed.map((f) => [f.error.kind, f.error.message])).toEqual(
      expect.arrayContaining([
        ["Transient", "delete failed: socket hang up"],
        ["Terminal", "no"],
      ]),
    );
    expect(results.sort()).toEqual(["delete:Transient", "disable:Terminal"]);
  });
});

describe("executePlan with a connector that batches", () => {
  function batchingConnector(failing: string[] = []) {
    const fake = fakeConnector();
    const batches: string[][] = [];
    const connector: Connector = {
      ...fake.connector,
      applyBatch: async (changes, options) => {
        expect(options.concurrency).toBe(2);
        batches.push(changes.map((c) => `${c.op}:${c.op === "create" ? c.account.username : c.username}`));
        return changes.map((c) =>
          failing.includes(c.op === "create" ? c.account.username : c.username)
            ? { ok: false as const, error: new TerminalError("InvalidRoleName", "bad name") }
            : { ok: true as const, result: { id: "x" } },
        );
      },
    };
    return { connector, batches, calls: fake.calls };
  }

  it("sends the cut first, then each account's next operation in rounds, and reports each outcome", async () => {
    const fake = batchingConnector(["bad"]);
    const report = await executePlan(
      fake.connector,
      [
        create("ann"),
        op({ op: "disable", username: "old" }, true),
        op({ op: "removeRoles", username: "old", roles: ["r"] }, true),
        create("bad"),
        op({ op: "addRoles", username: "bad", roles: ["r"] }),
        create("bob"),
        op({ op: "addRoles", username: "bob", roles: ["r"] }),
        op({ op: "delete", username: "gone" }, true),
      ],
      { concurrency: 2 },
    );
    expect(fake.calls).toEqual([]);
    expect(fake.batches).toEqual([
      ["disable:old", "delete:gone"],
      ["removeRoles:old"],
      ["create:ann", "create:bad", "create:bob"],
      ["addRoles:bob"],
    ]);
    expect(report.failed.map((f) => f.error.reason)).toEqual(["InvalidRoleName"]);
    expect(report.skipped.map((o) => `${o.change.op}`)).toEqual(["addRoles"]);
    expect(report.succeeded).toHaveLength(6);
  });

  it("runs one operation per token through apply when the target is rate limited", async () => {
    const fake = batchingConnector();
    let tokens = 0;
    await executePlan(fake.connector, [create("ann"), create("bob")], {
      concurrency: 2,
      throttle: async () => {
        tokens += 1;
      },
    });
    expect(fake.batches).toEqual([]);
    expect(fake.calls.sort()).toEqual(["create:ann", "create:bob"]);
    expect(tokens).toBe(2);
  });

  it("skips everything not yet run once the pass is aborted", async () => {
    const fake = batchingConnector();
    const controller = new AbortController();
    controller.abort();
    const report = await executePlan(
      fake.connector,
      [op({ op: "disable", username: "old" }, true), create("ann")],
      { concurrency: 2, signal: controller.signal },
    );
    expect(fake.batches).toEqual([]);
    expect(report.skipped.map((o) => o.change.op).sort()).toEqual(["create", "disable"]);
  });
});

describe("executePlan without batching", () => {
  it("disables every leaver before any of their group clean-up", async () => {
    const fake = fakeConnector();
    await executePlan(
      fake.connector,
      ["a", "b", "c"].flatMap((u) => [
        op({ op: "disable", username: u }, true),
        op({ op: "removeRoles", username: u, roles: ["g"] }, true),
      ]),
      { concurrency: 1 },
    );
    expect(fake.calls).toEqual([
      "disable:a",
      "disable:b",
      "disable:c",
      "removeRoles:a",
      "removeRoles:b",
      "removeRoles:c",
    ]);
  });
});
