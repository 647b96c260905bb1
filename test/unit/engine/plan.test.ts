import type { ObservedAccount } from "../../../operator/src/engine/connector.js";
import { desiredState } from "../../../operator/src/engine/desired.js";
import { massChangeGuard } from "../../../operator/src/engine/guard.js";
import type { GrantView, TargetView, UserView } from "../../../operator/src/engine/model.js";
import { planTarget } from "../../../operator/src/engine/plan.js";
import { aGrant, aTarget, anAccount, aUser } from "../../builders/engine.js";

const NOW = Date.parse("2026-06-01T12:00:00Z");
const grant = aGrant("staff").forUsers("ann", "bob").roles("staff", "vpn").build();

function plan(
  users: UserView[],
  observed: ObservedAccount[],
  target: TargetView = aTarget(),
  grants: GrantView[] = [grant],
) {
  return planTarget({
    target,
    desired: desiredState(target, users, grants, NOW),
    observed,
    markerFor: (user) => `roster:${user}`,
    now: NOW,
  });
}

const ops = (p: ReturnType<typeof plan>) => p.operations.map((o) => o.change);
const attrs = { cn: "ann Person", displayName: "ann Person", mail: "ann@example.com" };

describe("plan", () => {
  it("creates a joiner with attributes and roles", () => {
    expect(ops(plan([aUser("ann").build()], []))).toEqual([
      {
        op: "create",
        account: {
          username: "ann",
          ownerMarker: "roster:ann",
          enabled: true,
          attributes: attrs,
          roles: ["staff", "vpn"],
        },
      },
    ]);
  });

  it("plans nothing when the target already matches (idempotent)", () => {
    const observed = [anAccount("ann", { attributes: attrs, roles: ["vpn", "staff"] })];
    expect(plan([aUser("ann").build()], observed).operations).toEqual([]);
  });

  it("reverts drift: a changed attribute, a removed role, a role added by hand, a re-enabled account", () => {
    const observed = [
      anAccount("ann", {
        attributes: { ...attrs, mail: "x@evil.test" },
        roles: ["staff", "admins"],
        enabled: true,
      }),
    ];
    const target = aTarget();
    const grants = [grant, aGrant("admins").forUsers("zed").roles("admins").build()];
    expect(ops(plan([aUser("ann").build()], observed, target, grants))).toEqual([
      { op: "removeRoles", username: "ann", roles: ["admins"] },
      { op: "update", username: "ann", set: { mail: "ann@example.com" } },
      { op: "addRoles", username: "ann", roles: ["vpn"] },
    ]);
  });

  it("leaves memberships of roles no grant manages alone", () => {
    const observed = [anAccount("ann", { attributes: attrs, roles: ["staff", "vpn", "printers"] })];
    expect(plan([aUser("ann").build()], observed).operations).toEqual([]);
  });

  it.each([
    {
      policy: "Disable" as const,
      expected: [
        { op: "disable", username: "ann" },
        { op: "removeRoles", username: "ann", roles: ["staff", "vpn"] },
      ],
    },
    { policy: "Delete" as const, expected: [{ op: "delete", username: "ann" }] },
    { policy: "Retain" as const, expected: [] },
  ])("a leaver under leavePolicy $policy", ({ policy, expected }) => {
    const observed = [anAccount("ann", { attributes: attrs, roles: ["staff", "vpn"] })];
    const p = plan([aUser("ann").terminated().build()], observed, aTarget({ leavePolicy: { type: policy } }));
    expect(ops(p)).toEqual(expected);
    expect(p.operations.every((o) => o.revocation)).toBe(true);
  });

  it("DisableThenDelete disables first and deletes once the days have passed", () => {
    const target = aTarget({ leavePolicy: { type: "DisableThenDelete", afterDays: 30 } });
    const recent = aUser("ann").with({ endDate: "2026-05-20T00:00:00Z" }).build();
    const longAgo = aUser("ann").with({ endDate: "2026-04-01T00:00:00Z" }).build();
    const observed = [anAccount("ann", { attributes: attrs, roles: [] })];
    expect(ops(plan([recent], observed, target))).toEqual([{ op: "disable", username: "ann" }]);
    expect(ops(plan([longAgo], observed, target))).toEqual([{ op: "delete", username: "ann" }]);
  });

  it("revocations come before everything else", () => {
    const observed = [anAccount("bob", { roles: ["staff", "vpn"] })];
    const p = plan([aUser("ann").build(), aUser("bob").terminated().build()], observed);
    expect(p.operations.map((o) => `${o.change.op}:${o.revocation}`)).toEqual([
      "disable:true",
      "removeRoles:true",
      "create:false",
    ]);
  });

  it("never touches an unowned account: it is a conflict", () => {
    const observed = [anAccount("ann", { owner: undefined })];
    const p = plan([aUser("ann").build()], observed);
    expect(p.operations).toEqual([]);
    expect(p.conflicts).toEqual([expect.objectContaining({ username: "ann", user: "ann" })]);
    expect(p.conflicts[0]?.message).toMatch(/without Roster's ownership marker/);
  });

  it("ignores an unowned account nobody wants", () => {
    const p = plan([aUser("ann").terminated().build()], [anAccount("ann", { owner: undefined })]);
    expect(p).toEqual({ operations: [], conflicts: [], orphans: [] });
  });

  it("adopts an unowned account an adopt rule matches, then converges it", () => {
    const target = aTarget({ adopt: [{ attribute: "mail", userField: "email" }] });
    const observed = [anAccount("ann", { owner: undefined, attributes: attrs, roles: ["staff"] })];
    expect(ops(plan([aUser("ann").build()], observed, target))).toEqual([
      { op: "adopt", username: "ann", ownerMarker: "roster:ann" },
      { op: "addRoles", username: "ann", roles: ["vpn"] },
    ]);
  });

  it.each([
    { policy: "Report" as const, expected: [] },
    { policy: "Disable" as const, expected: [{ op: "disable", username: "old" }] },
    { policy: "Delete" as const, expected: [{ op: "delete", username: "old" }] },
  ])("an owned account with no User is an orphan handled by orphanPolicy $policy", ({ policy, expected }) => {
    const p = plan([], [anAccount("old")], aTarget({ orphanPolicy: policy }));
    expect(p.orphans).toEqual(["old"]);
    expect(ops(p)).toEqual(expected);
  });
});

describe("mass-change guard", () => {
  const disables = Array.from({ length: 5 }, (_, i) => ({
    change: { op: "disable" as const, username: `u${i}` },
    user: `u${i}`,
    revocation: true,
  }));
  it.each([
    { case: "no limits never holds", limits: {}, released: false, held: false },
    {
      case: "within maxChangesPerSync proceeds",
      limits: { maxChangesPerSync: 5 },
      released: false,
      held: false,
    },
    {
      case: "beyond maxChangesPerSync is held",
      limits: { maxChangesPerSync: 4 },
      released: false,
      held: true,
    },
    { case: "beyond the percentage is held", limits: { maxChangesPercent: 10 }, released: false, held: true },
    {
      case: "an explicit release lets it through",
      limits: { maxChangesPerSync: 1 },
      released: true,
      held: false,
    },
  ])("$case", ({ limits, released, held }) => {
    const decision = massChangeGuard(disables, 20, limits, released);
    expect(decision.held).toBe(held);
    if (held)
      expect(decision.message).toMatch(
        /^5 accounts would be disabled or deleted, more than the limit of \d+/,
      );
  });
});
