import { desiredState, userNextTransition } from "../../../operator/src/engine/desired.js";
import { aGrant, aTarget, aUser } from "../../builders/engine.js";

const NOW = Date.parse("2026-06-01T12:00:00Z");
const SALES = { "roster.dev/department": "sales" };

describe("desired state", () => {
  const target = aTarget();
  const birthright = aGrant("sales-crm").selecting(SALES).roles("crm-users").build();
  const explicit = aGrant("db-admins").forUsers("bob").roles("db-admin", "crm-users").build();

  it.each([
    {
      case: "an active user selected by label gets the grant's roles, enabled",
      user: aUser("ann").withLabel("roster.dev/department", "sales").build(),
      expected: { wanted: true, enabled: true, reason: "Active", roles: { "crm-users": ["sales-crm"] } },
    },
    {
      case: "roles from several grants record every grant that gave them",
      user: aUser("bob").withLabel("roster.dev/department", "sales").build(),
      expected: {
        wanted: true,
        roles: { "crm-users": ["db-admins", "sales-crm"], "db-admin": ["db-admins"] },
      },
    },
    {
      case: "a user no grant selects is not wanted (NoGrant)",
      user: aUser("carl").withLabel("roster.dev/department", "it").build(),
      expected: { wanted: false, enabled: false, reason: "NoGrant", roles: {} },
    },
    {
      case: "a future hire exists but stays disabled until startDate",
      user: aUser("dora")
        .withLabel("roster.dev/department", "sales")
        .with({ startDate: "2026-07-01" })
        .build(),
      expected: { wanted: true, enabled: false, reason: "NotStarted" },
    },
    {
      case: "a suspended user keeps the account, disabled",
      user: aUser("eve").withLabel("roster.dev/department", "sales").suspended().build(),
      expected: { wanted: true, enabled: false, reason: "Suspended" },
    },
    {
      case: "a terminated user is not wanted",
      user: aUser("finn").withLabel("roster.dev/department", "sales").terminated().build(),
      expected: { wanted: false, enabled: false, reason: "Terminated", roles: {} },
    },
    {
      case: "a passed endDate ends access without anyone acting",
      user: aUser("gil")
        .withLabel("roster.dev/department", "sales")
        .with({ endDate: "2026-05-31T00:00:00Z" })
        .build(),
      expected: { wanted: false, reason: "Ended", leftAt: Date.parse("2026-05-31T00:00:00Z") },
    },
    {
      case: "a User being deleted is revoked",
      user: aUser("hal").withLabel("roster.dev/department", "sales").deleting().build(),
      expected: { wanted: false, reason: "UserDeleted" },
    },
  ])("$case", ({ user, expected }) => {
    const state = desiredState(target, [user], [birthright, explicit], NOW);
    expect(state.accounts.get(user.spec.username)).toMatchObject(expected);
  });

  it("maps user fields to the target type's default attributes", () => {
    const user = aUser("ann").with({ givenName: "Ann", familyName: "Lee", department: "Sales" }).build();
    const state = desiredState(target, [user], [explicit], NOW);
    expect(state.accounts.get("ann")?.attributes).toEqual({
      cn: "ann Person",
      displayName: "ann Person",
      givenName: "Ann",
      sn: "Lee",
      mail: "ann@example.com",
      departmentNumber: "Sales",
    });
  });

  it("a mover whose labels change gains and loses roles with no manual step", () => {
    const it = aGrant("it-tools").selecting({ "roster.dev/department": "it" }).roles("jira").build();
    const before = aUser("ann").withLabel("roster.dev/department", "sales").build();
    const after = aUser("ann").withLabel("roster.dev/department", "it").build();
    expect(desiredState(target, [before], [birthright, it], NOW).accounts.get("ann")?.roles).toEqual({
      "crm-users": ["sales-crm"],
    });
    expect(desiredState(target, [after], [birthright, it], NOW).accounts.get("ann")?.roles).toEqual({
      jira: ["it-tools"],
    });
  });

  it("ignores grants of other targets and namespaces", () => {
    const elsewhere = aGrant("other").forUsers("ann").roles("x").on("ldap", "team-b").build();
    const otherTarget = aGrant("scim").forUsers("ann").roles("y").on("crm").build();
    const state = desiredState(target, [aUser("ann").build()], [elsewhere, otherTarget], NOW);
    expect(state.accounts.get("ann")?.wanted).toBe(false);
    expect(state.managedRoles).toEqual([]);
  });

  it.each([
    {
      case: "before validFrom the grant is pending",
      spec: { validFrom: "2026-06-02T00:00:00Z" },
      wanted: false,
    },
    {
      case: "after expiresAt the grant has expired",
      spec: { expiresAt: "2026-06-01T11:00:00Z" },
      wanted: false,
    },
    {
      case: "within its duration the grant is active",
      spec: { duration: "2h" },
      created: "2026-06-01T11:00:00Z",
      wanted: true,
    },
    {
      case: "past its duration the grant has expired",
      spec: { duration: "30m" },
      created: "2026-06-01T11:00:00Z",
      wanted: false,
    },
  ])("$case", ({ spec, created, wanted }) => {
    const grant = aGrant("temp").forUsers("ann").roles("prod").with(spec, created).build();
    expect(desiredState(target, [aUser("ann").build()], [grant], NOW).accounts.get("ann")?.wanted).toBe(
      wanted,
    );
  });

  it("reports the next clock transition: the earliest startDate, endDate, validFrom or expiry", () => {
    const temp = aGrant("temp")
      .forUsers("ann")
      .roles("prod")
      .with({ expiresAt: "2026-06-01T14:00:00Z" })
      .build();
    const user = aUser("ann").with({ endDate: "2026-06-01T13:00:00Z" }).build();
    expect(desiredState(target, [user], [temp], NOW).nextTransition).toBe(Date.parse("2026-06-01T13:00:00Z"));
    expect(desiredState(target, [aUser("ann").build()], [temp], NOW).nextTransition).toBe(
      Date.parse("2026-06-01T14:00:00Z"),
    );
  });

  it("gives a user's next transition from their dates and the grants that select them", () => {
    const temp = aGrant("temp")
      .forUsers("ann")
      .roles("prod")
      .with({ expiresAt: "2026-06-01T14:00:00Z" })
      .build();
    const other = aGrant("other")
      .forUsers("bob")
      .roles("x")
      .with({ expiresAt: "2026-06-01T13:00:00Z" })
      .build();
    expect(userNextTransition(aUser("ann").build(), [temp, other], NOW)).toBe(
      Date.parse("2026-06-01T14:00:00Z"),
    );
    expect(
      userNextTransition(aUser("ann").with({ endDate: "2026-06-01T12:30:00Z" }).build(), [temp], NOW),
    ).toBe(Date.parse("2026-06-01T12:30:00Z"));
    expect(userNextTransition(aUser("carl").build(), [temp], NOW)).toBeUndefined();
  });
});
