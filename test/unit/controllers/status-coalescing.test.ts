import { ProvisioningState } from "../../../operator/src/controllers/sync/target-state.js";

/** A ProvisioningState whose Targets are running passes deciding on these Users at version "v1". */
function running(passes: Record<string, string[]>): ProvisioningState {
  const state = new ProvisioningState();
  for (const [target, users] of Object.entries(passes)) {
    state.passStarted(target);
    state.passDecides(target, new Map(users.map((u) => [u, "v1"])));
  }
  return state;
}

describe("ProvisioningState: a User's status write waits for a running pass that decides on it", () => {
  it("defers nothing when no Target behind on the User is running a pass", () => {
    const state = running({ "ns/pg": ["ann"] });
    expect(state.deferUntilPassEnds("ann", "v1", ["ns/ldap"])).toBe(false);
    expect(state.deferUntilPassEnds("ann", "v1", [])).toBe(false);
    expect(state.passEnded("ns/pg")).toEqual([]);
  });

  it("defers nothing for a pass that does not decide on the User, or on an older version of it", () => {
    const state = running({ "ns/ldap": ["bob"] });
    expect(state.deferUntilPassEnds("ann", "v1", ["ns/ldap"])).toBe(false);
    expect(state.deferUntilPassEnds("bob", "v2", ["ns/ldap"])).toBe(false);
    // Before the pass knows what it decides on, nobody waits for it.
    state.passStarted("ns/pg");
    expect(state.deferUntilPassEnds("bob", "v1", ["ns/pg"])).toBe(false);
  });

  it("hands each deferred User back once, when the pass it waits for ends", () => {
    const state = running({ "ns/ldap": ["ann", "bob"], "ns/pg": ["ann", "bob"] });
    expect(state.deferUntilPassEnds("ann", "v1", ["ns/ldap", "ns/pg"])).toBe(true);
    expect(state.deferUntilPassEnds("ann", "v1", ["ns/ldap"])).toBe(true);
    expect(state.deferUntilPassEnds("bob", "v1", ["ns/pg"])).toBe(true);
    expect(state.passEnded("ns/ldap")).toEqual(["ann"]);
    expect(state.passEnded("ns/pg")).toEqual(["bob"]);
    // Nothing is running any more: the next write goes ahead.
    expect(state.deferUntilPassEnds("ann", "v1", ["ns/ldap", "ns/pg"])).toBe(false);
    expect(state.passEnded("ns/ldap")).toEqual([]);
  });

  it("never loses a waiting User, even if a start is reported twice", () => {
    const state = running({ "ns/ldap": ["ann"] });
    state.deferUntilPassEnds("ann", "v1", ["ns/ldap"]);
    state.passStarted("ns/ldap");
    expect(state.passEnded("ns/ldap")).toEqual(["ann"]);
  });
});
