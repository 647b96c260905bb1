import { presumedAbsent, readAll, readSome } from "../../../operator/src/controllers/sync/target-reads.js";
import { ProvisioningState } from "../../../operator/src/controllers/sync/target-state.js";
import type { Connector } from "../../../operator/src/engine/connector.js";
import { aDesiredState, anAccount, anIntent, aTarget } from "../../builders/engine.js";

const account = (username: string) => anAccount(username);
const intent = anIntent;
const desired = (...intents: ReturnType<typeof anIntent>[]) => aDesiredState(intents);

describe("presumedAbsent", () => {
  const wanted = desired(
    intent("new", true),
    intent("known", true),
    intent("leaver", false),
    intent("retry", true),
  );

  it("presumes absent only wanted accounts never seen since a full sync, and not those to read again", () => {
    const state = new ProvisioningState().forTarget("ns/t");
    state.lastFullSync = 1;
    state.observed.set("known", account("known"));
    state.mustObserve.add("retry");
    expect([...presumedAbsent(state, aTarget(), wanted, ["new", "known", "leaver", "retry"])]).toEqual([
      "new",
    ]);
  });

  it("presumes nothing before the first full sync or when an adopt rule may claim an existing account", () => {
    const state = new ProvisioningState().forTarget("ns/t");
    expect(presumedAbsent(state, aTarget(), wanted, ["new"]).size).toBe(0);
    state.lastFullSync = 1;
    expect(presumedAbsent(state, aTarget({ adopt: [{ attribute: "mail" }] }), wanted, ["new"]).size).toBe(0);
  });
});

describe("readSome", () => {
  it("reads in bulk when it can, updates the picture of the target, and clears mustObserve", async () => {
    const state = new ProvisioningState().forTarget("ns/t");
    state.observed.set("gone", account("gone"));
    state.mustObserve.add("retry");
    const asked: string[][] = [];
    const connector = {
      observeMany: async (usernames: readonly string[]) => {
        asked.push([...usernames]);
        return new Map([["retry", account("retry")]]);
      },
    } as unknown as Connector;
    const read = await readSome(connector, state, ["retry", "gone"], desired());
    expect(asked).toEqual([["retry", "gone"]]);
    expect(read.map((a) => a.username)).toEqual(["retry"]);
    expect([...state.observed.keys()]).toEqual(["retry"]);
    expect(state.mustObserve.size).toBe(0);
  });
});

describe("readAll", () => {
  it("replaces the picture of the target with the full list and owes no further reads", async () => {
    const state = new ProvisioningState().forTarget("ns/t");
    state.observed.set("gone", account("gone"));
    state.mustObserve.add("retry");
    const connector = { list: async () => [account("retry"), account("new")] } as unknown as Connector;
    await readAll(connector, state, desired());
    expect([...state.observed.keys()]).toEqual(["retry", "new"]);
    expect(state.mustObserve.size).toBe(0);
  });
});
