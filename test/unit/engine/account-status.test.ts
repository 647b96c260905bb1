import {
  accountState,
  accountStatusEntry,
  userConditions,
  type AccountOutcome,
} from "../../../operator/src/engine/account-status.js";
import { anAccount } from "../../builders/engine.js";

const base: AccountOutcome = {
  intent: undefined,
  observed: undefined,
  pending: 0,
  conflict: undefined,
  error: undefined,
};

describe("account state", () => {
  it.each([
    {
      case: "an enabled account is Provisioned",
      outcome: { observed: anAccount("a") },
      state: "Provisioned",
    },
    {
      case: "a disabled account is Disabled",
      outcome: { observed: anAccount("a", { enabled: false }) },
      state: "Disabled",
    },
    { case: "an absent account is Deleted", outcome: {}, state: "Deleted" },
    {
      case: "outstanding operations are Pending",
      outcome: { observed: anAccount("a"), pending: 1 },
      state: "Pending",
    },
    {
      case: "a transient error is Pending",
      outcome: { error: { message: "down", terminal: false } },
      state: "Pending",
    },
    {
      case: "a terminal error is Failed",
      outcome: { error: { message: "bad", terminal: true } },
      state: "Failed",
    },
    {
      case: "a conflict wins over everything",
      outcome: { conflict: "unowned", pending: 1 },
      state: "Conflict",
    },
  ])("$case", ({ outcome, state }) => {
    expect(accountState({ ...base, ...outcome })).toBe(state);
  });

  it("reports the account id, roles, granting grants and the last error", () => {
    const intent = {
      user: "ann",
      username: "ann",
      wanted: true,
      enabled: true,
      reason: "Active" as const,
      attributes: {},
      roles: { vpn: ["staff"], crm: ["sales", "staff"] },
      validUntil: undefined,
      leftAt: undefined,
    };
    const entry = accountStatusEntry(
      "it/ldap",
      {
        ...base,
        intent,
        observed: anAccount("ann", { roles: ["vpn", "crm"] }),
        pending: 1,
        error: { message: "slow", terminal: false },
      },
      "2026-06-01T12:00:00Z",
    );
    expect(entry).toEqual({
      target: "it/ldap",
      accountId: "uid=ann,ou=people",
      state: "Pending",
      roles: ["crm", "vpn"],
      grants: ["it/sales", "it/staff"],
      lastSyncTime: "2026-06-01T12:00:00Z",
      lastError: "slow",
    });
  });
});

describe("user conditions", () => {
  const entry = (state: "Provisioned" | "Pending" | "Failed" | "Conflict", target = "it/ldap") => ({
    target,
    state,
    roles: [],
    grants: [],
  });
  it.each([
    { case: "no accounts is Ready", accounts: [], ready: "True", reconciling: "False", stalled: "False" },
    {
      case: "all provisioned is Ready",
      accounts: [entry("Provisioned")],
      ready: "True",
      reconciling: "False",
      stalled: "False",
    },
    {
      case: "a pending account is Reconciling",
      accounts: [entry("Provisioned"), entry("Pending", "it/scim")],
      ready: "False",
      reconciling: "True",
      stalled: "False",
    },
    {
      case: "a failed account is Stalled",
      accounts: [entry("Pending"), entry("Failed", "it/pg")],
      ready: "False",
      reconciling: "False",
      stalled: "True",
    },
    {
      case: "a conflict is Stalled",
      accounts: [entry("Conflict")],
      ready: "False",
      reconciling: "False",
      stalled: "True",
    },
  ])("$case", ({ accounts, ready, reconciling, stalled }) => {
    const conditions = Object.fromEntries(userConditions(accounts).map((c) => [c.type, c.status]));
    expect(conditions).toEqual({ Ready: ready, Reconciling: reconciling, Stalled: stalled });
  });
  it("names the targets that need attention", () => {
    const ready = userConditions([entry("Failed", "it/pg")]).find((c) => c.type === "Ready");
    expect(ready?.message).toBe("Accounts need attention in it/pg.");
  });
});
