import {
  dispatchBatch,
  membershipOutcomes,
  roleDeltas,
  settleEach,
  type MembershipChange,
} from "../../../../operator/src/connectors/shared/batch.js";
import type { AccountChange } from "../../../../operator/src/engine/connector.js";
import { ConflictError, TerminalError, TransientError } from "../../../../operator/src/errors.js";

const disable = (username: string): AccountChange => ({ op: "disable", username });
const add = (username: string, roles: string[]): MembershipChange => ({ op: "addRoles", username, roles });
const remove = (username: string, roles: string[]): MembershipChange => ({
  op: "removeRoles",
  username,
  roles,
});

describe("settleEach", () => {
  it("keeps input order, bounds concurrency and turns throws into outcomes", async () => {
    let active = 0;
    let peak = 0;
    const outcomes = await settleEach(
      async (change) => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, change.op === "disable" && change.username === "a" ? 20 : 1));
        active -= 1;
        if (change.op === "disable" && change.username === "b") throw new TerminalError("Nope", "b refused");
        if (change.op === "disable" && change.username === "c") throw new Error("plain");
        return { id: change.op === "disable" ? change.username : "?" };
      },
      ["a", "b", "c", "d"].map(disable),
      2,
    );
    expect(peak).toBe(2);
    expect(outcomes.map((o) => (o.ok ? o.result.id : o.error.reason))).toEqual([
      "a",
      "Nope",
      "Unexpected",
      "d",
    ]);
    expect(outcomes[2]?.ok === false && outcomes[2].error).toBeInstanceOf(TransientError);
  });
});

describe("dispatchBatch", () => {
  it("sends each op to its handler, the rest through apply, outcomes back in input order", async () => {
    const applied: string[] = [];
    const handled: string[][] = [];
    const changes: AccountChange[] = [disable("a"), add("b", ["g"]), disable("c"), add("d", ["g"])];
    const outcomes = await dispatchBatch(
      changes,
      { concurrency: 4 },
      async (change) => {
        applied.push(change.op);
        return { id: "applied" };
      },
      {
        addRoles: async (picked) => {
          handled.push(picked.map((c) => (c.op === "addRoles" ? c.username : "?")));
          return picked.map(() => ({ ok: true, result: { id: "handled" } }));
        },
      },
    );
    expect(applied).toEqual(["disable", "disable"]);
    expect(handled).toEqual([["b", "d"]]);
    expect(outcomes.map((o) => (o.ok ? o.result.id : "x"))).toEqual([
      "applied",
      "handled",
      "applied",
      "handled",
    ]);
  });

  it("fails only the changes of a handler that rejects, and a missing outcome is an error", async () => {
    const outcomes = await dispatchBatch(
      [disable("a"), add("b", ["g"]), remove("c", ["g"])],
      { concurrency: 1 },
      async () => ({ id: "ok" }),
      {
        addRoles: async () => {
          throw new TransientError("Down", "group write failed");
        },
        removeRoles: async () => [],
      },
    );
    expect(outcomes.map((o) => (o.ok ? "ok" : o.error.reason))).toEqual(["ok", "Down", "Unexpected"]);
  });
});

describe("roleDeltas and membershipOutcomes", () => {
  const changes = [add("a", ["g1", "g2"]), remove("b", ["g1"]), add("c", ["g2"])];

  it("groups usernames per role", () => {
    expect(roleDeltas(changes)).toEqual([
      { role: "g1", add: ["a"], remove: ["b"] },
      { role: "g2", add: ["a", "c"], remove: [] },
    ]);
  });

  it("fails a change by its account's error first, then by any of its roles' errors", () => {
    const outcomes = membershipOutcomes(
      changes,
      new Map([["b", new ConflictError("AccountNotOwned", "b is not ours")]]),
      new Map([["g2", new TransientError("Down", "g2 write failed")]]),
      (u) => `id-${u}`,
    );
    expect(outcomes.map((o) => (o.ok ? o.result.id : o.error.reason))).toEqual([
      "Down",
      "AccountNotOwned",
      "Down",
    ]);
    const ok = membershipOutcomes([add("z", ["g1"])], new Map(), new Map(), (u) => `id-${u}`);
    expect(ok).toEqual([{ ok: true, result: { id: "id-z" } }]);
  });
});
