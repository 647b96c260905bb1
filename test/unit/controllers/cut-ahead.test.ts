import { cutAhead } from "../../../operator/src/controllers/sync/cut-ahead.js";
import { ProvisioningState } from "../../../operator/src/controllers/sync/target-state.js";
import type { AccountChange, Connector, ObservedAccount } from "../../../operator/src/engine/connector.js";
import type { AccountIntent, TargetDesiredState } from "../../../operator/src/engine/desired.js";
import type { TargetView } from "../../../operator/src/engine/model.js";
import { TerminalError } from "../../../operator/src/errors.js";

const target = (maxChangesPerSync?: number): TargetView => ({
  namespace: "ns",
  name: "t",
  type: "ldap",
  mode: "Enforce",
  leavePolicy: { type: "Disable" },
  orphanPolicy: "Report",
  adopt: [],
  generatePassword: false,
  ...(maxChangesPerSync !== undefined ? { maxChangesPerSync } : {}),
});

const intent = (username: string, wanted: boolean): AccountIntent => ({
  user: username,
  username,
  wanted,
  enabled: wanted,
  reason: wanted ? "Active" : "NoGrant",
  attributes: {},
  roles: wanted ? { staff: ["g"] } : {},
  validUntil: undefined,
  leftAt: undefined,
});

const account = (username: string): ObservedAccount => ({
  id: `id-${username}`,
  username,
  owner: "roster:x",
  enabled: true,
  attributes: {},
  roles: ["staff"],
});

function setup(failing: string[] = []) {
  const state = new ProvisioningState().forTarget("ns/t");
  for (const u of ["ann", "bob", "cid"]) state.observed.set(u, account(u));
  const desired: TargetDesiredState = {
    accounts: new Map(
      [intent("ann", false), intent("bob", true), intent("cid", false), intent("dan", false)].map((i) => [
        i.username,
        i,
      ]),
    ),
    managedRoles: ["staff"],
    nextTransition: undefined,
  };
  const applied: string[] = [];
  const connector = {
    apply: async (change: AccountChange) => {
      const who = change.op === "create" ? change.account.username : change.username;
      applied.push(`${change.op}:${who}`);
      if (failing.includes(who)) throw new TerminalError("Nope", "refused");
      return { id: `id-${who}` };
    },
  } as unknown as Connector;
  return { state, desired, connector, applied };
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
