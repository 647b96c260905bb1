import { cutAhead } from "../../../operator/src/controllers/sync/cut-ahead.js";
import { ProvisioningState } from "../../../operator/src/controllers/sync/target-state.js";
import type { AccountChange, Connector } from "../../../operator/src/engine/connector.js";
import { TerminalError } from "../../../operator/src/errors.js";
import { aDesiredState, anAccount, anIntent, aTarget } from "../../builders/engine.js";

const target = (maxChangesPerSync?: number) =>
  aTarget(maxChangesPerSync !== undefined ? { maxChangesPerSync } : {});
const intent = (username: string, wanted: boolean) =>
  anIntent(username, wanted, { roles: wanted ? { staff: ["g"] } : {} });
const account = (username: string) => anAccount(username, { owner: "roster:x", roles: ["staff"] });

function setup(failing: string[] = []) {
  const state = new ProvisioningState().forTarget("ns/t");
  for (const u of ["ann", "bob", "cid"]) state.observed.set(u, account(u));
  const desired = aDesiredState(
    [intent("ann", false), intent("bob", true), intent("cid", false), intent("dan", false)],
    ["staff"],
  );
  const applied: string[] = [];
  const changes: AccountChange[] = [];
  const connector = {
    apply: async (change: AccountChange) => {
      const who = change.op === "create" ? change.account.username : change.username;
      applied.push(`${change.op}:${who}`);
      changes.push(change);
      if (failing.includes(who)) throw new TerminalError("Nope", "refused");
      return { id: `id-${who}` };
    },
  } as unknown as Connector;
  return { state, desired, connector, applied, changes };
}

describe("cutAhead", () => {
  it("disables the known leavers' accounts, nothing else, and reports only successes", async () => {
    const { state, desired, connector, applied } = setup(["cid"]);
    const reported: string[] = [];
    const cut = await cutAhead({
      target: target(),
      state,
      desired,
      usernames: ["ann", "bob", "cid", "dan"],
      connector,
      markerFor: () => "roster:x",
      now: 0,
      execute: { concurrency: 2, onSuccess: (op) => reported.push(op.change.op) },
    });
    expect(applied.sort()).toEqual(["disable:ann", "disable:cid"]);
    expect(reported).toEqual(["disable"]);
    expect(cut).toBe(1);
  });

  it("waits for a cut of the same account already running instead of repeating it", async () => {
    const { state, desired, applied } = setup();
    let release: () => void = () => undefined;
    const slow = {
      apply: async (change: AccountChange) => {
        applied.push(`${change.op}:${change.op === "create" ? change.account.username : change.username}`);
        await new Promise<void>((resolve) => (release = resolve));
        return { id: "id" };
      },
    } as unknown as Connector;
    const input = {
      target: target(),
      state,
      desired,
      usernames: ["ann"],
      connector: slow,
      markerFor: () => "roster:x",
      now: 0,
      // As the audit does: a successful disable shows in the sync's picture of the target.
      execute: {
        concurrency: 1,
        onSuccess: () => state.observed.set("ann", { ...account("ann"), enabled: false }),
      },
    };
    const lane = cutAhead(input);
    await new Promise((r) => setTimeout(r, 0));
    const pass = cutAhead(input);
    await new Promise((r) => setTimeout(r, 0));
    release();
    expect(await lane).toBe(1);
    expect(await pass).toBe(0);
    expect(applied).toEqual(["disable:ann"]);
    expect(state.cutsInFlight.size).toBe(0);
  });

  it("hands each disable the id the sync last saw the account owned with", async () => {
    const { state, desired, connector, changes } = setup();
    state.observed.set("ann", { ...account("ann"), id: "scim-id-of-ann" });
    await cutAhead({
      target: target(),
      state,
      desired,
      usernames: ["ann"],
      connector,
      markerFor: () => "roster:x",
      now: 0,
      execute: { concurrency: 1, onSuccess: () => undefined },
    });
    expect(changes).toEqual([{ op: "disable", username: "ann", knownId: "scim-id-of-ann" }]);
  });

  it("leaves everything to the ordinary plan when the mass-change guard would hold the cut", async () => {
    const { state, desired, connector, applied } = setup();
    const cut = await cutAhead({
      target: target(1),
      state,
      desired,
      usernames: ["ann", "cid"],
      connector,
      markerFor: () => "roster:x",
      now: 0,
      execute: { concurrency: 2, onSuccess: () => undefined },
    });
    expect(applied).toEqual([]);
    expect(cut).toBe(0);
  });
});
