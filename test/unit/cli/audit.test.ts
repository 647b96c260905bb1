import type { AccessGrant, AccountStatus, Target, User } from "../../../operator/src/api/index.js";
import { accessRows } from "../../../operator/src/cli/audit/access.js";
import { targetFilter } from "../../../operator/src/cli/audit/common.js";
import { orphanRows } from "../../../operator/src/cli/audit/orphans.js";
import { planRows, planViews } from "../../../operator/src/cli/audit/plan.js";
import { describeSelector, explain } from "../../../operator/src/cli/audit/why.js";
import type { Snapshot } from "../../../operator/src/cli/cluster.js";

const NOW = Date.parse("2026-06-01T00:00:00Z");

function aUser(
  name: string,
  labels: Record<string, string>,
  spec: Partial<User["spec"]> = {},
  accounts: AccountStatus[] = [],
): User {
  return {
    apiVersion: "roster.dev/v1alpha1",
    kind: "User",
    metadata: { name, labels },
    spec: { username: name, employmentType: "Employee", state: "Active", ...spec },
    status: { accounts },
  };
}

function aGrant(
  name: string,
  spec: Partial<AccessGrant["spec"]>,
  created = "2026-01-01T00:00:00Z",
): AccessGrant {
  return {
    apiVersion: "roster.dev/v1alpha1",
    kind: "AccessGrant",
    metadata: { name, namespace: "identity", creationTimestamp: created },
    spec: { target: "directory", subjects: { selector: {} }, roles: [], ...spec },
  };
}

function aTarget(name: string, spec: Partial<Target["spec"]>, status: Target["status"]): Target {
  return {
    apiVersion: "roster.dev/v1alpha1",
    kind: "Target",
    metadata: { name, namespace: "identity" },
    spec: { mode: "Enforce", ...spec } as Target["spec"],
    status,
  };
}

const grants = [
  aGrant("everyone", { roles: ["staff"] }),
  aGrant("sales", {
    subjects: { selector: { matchLabels: { "roster.dev/department": "sales" } } },
    roles: ["crm"],
    validFrom: "2026-02-01T00:00:00Z",
  }),
  aGrant("oncall", {
    subjects: { users: ["ann"] },
    roles: ["pager"],
    validFrom: "2026-05-01T00:00:00Z",
    duration: "720h",
  }),
  aGrant("future", { subjects: { users: ["ann"] }, roles: ["audit"], validFrom: "2026-09-01T00:00:00Z" }),
  aGrant("eng", {
    subjects: {
      selector: {
        matchExpressions: [{ key: "roster.dev/department", operator: "In", values: ["eng", "it"] }],
      },
    },
    roles: ["git"],
  }),
];

const ann = aUser(
  "ann",
  { "roster.dev/department": "sales" },
  { startDate: "2026-01-15T00:00:00Z", endDate: "2026-12-31T00:00:00Z" },
  [
    {
      target: "identity/directory",
      accountId: "uid=ann,ou=people,dc=example",
      state: "Provisioned",
      roles: ["staff", "crm", "pager"],
      grants: ["identity/everyone", "identity/sales", "identity/oncall"],
      lastSyncTime: "2026-05-02T10:00:00Z",
    },
  ],
);
const bob = aUser("bob", { "roster.dev/department": "it" }, {}, [
  {
    target: "identity/directory",
    state: "Conflict",
    lastError: "an account named bob exists without Roster's marker",
  },
]);

const snapshot: Snapshot = {
  users: [bob, ann],
  grants,
  targets: [
    aTarget(
      "directory",
      { orphanPolicy: "Report" },
      { counts: { managed: 5, disabled: 0, orphaned: 2, conflicts: 1, failed: 0, held: 0 } },
    ),
    aTarget(
      "crm",
      { mode: "Plan", orphanPolicy: "Disable" },
      {
        counts: { managed: 3, disabled: 0, orphaned: 1, conflicts: 0, failed: 0, held: 0 },
        plan: {
          total: 3,
          generatedTime: "2026-06-01T00:00:00Z",
          operations: [
            { operation: "disable", username: "zed" },
            { operation: "removeRoles", username: "ann", roles: ["old"] },
            { operation: "update", username: "ann", attributes: ["mail", "title"] },
          ],
        },
      },
    ),
  ],
};

describe("access", () => {
  it("lists every account with since (latest of start and first grant) and until (earliest of end and last grant end)", () => {
    expect(accessRows(snapshot, {})).toEqual([
      {
        user: "ann",
        username: "ann",
        target: "identity/directory",
        account: "uid=ann,ou=people,dc=example",
        state: "Provisioned",
        enabled: true,
        roles: ["crm", "pager", "staff"],
        grants: ["identity/everyone", "identity/oncall", "identity/sales"],
        since: "2026-01-15T00:00:00Z",
        until: "2026-12-31T00:00:00Z",
      },
      expect.objectContaining({
        user: "bob",
        state: "Conflict",
        enabled: false,
        since: undefined,
        until: undefined,
      }),
    ]);
  });

  it("ends at the last grant's end when every granting grant ends before the User does", () => {
    const only = {
      ...ann,
      status: { accounts: [{ ...ann.status!.accounts![0]!, grants: ["identity/oncall"] }] },
    };
    const [row] = accessRows({ ...snapshot, users: [only] }, {});
    expect(row).toMatchObject({ since: "2026-05-01T00:00:00Z", until: "2026-05-31T00:00:00Z" });
  });

  it.each<[string, { user?: string; target?: string; namespace?: string }, string[]]>([
    ["a user", { user: "bob" }, ["bob"]],
    ["a target name in any namespace", { target: "directory" }, ["ann", "bob"]],
    ["a namespaced target", { target: "identity/crm" }, []],
    ["a target in another namespace", { target: "other/directory" }, []],
    ["a namespace", { namespace: "identity" }, ["ann", "bob"]],
    ["another namespace", { namespace: "other" }, []],
    ["a namespace and a target name", { namespace: "identity", target: "directory" }, ["ann", "bob"]],
  ])("filters by %s", (_name, flags, users) => {
    const filter = { user: flags.user, target: targetFilter(flags.target, flags.namespace) };
    expect(accessRows(snapshot, filter).map((r) => r.user)).toEqual(users);
  });

  it("rejects a target in one namespace with -n naming another", () => {
    expect(targetFilter("identity/directory", "other")).toBeUndefined();
  });
});

describe("why", () => {
  it("explains each grant that selects the User: explicit or selector with labels, phase and window", () => {
    const e = explain(snapshot, ann, NOW);
    expect(e).toMatchObject({ phase: "Active", reason: "Active" });
    const directory = e.targets.find((t) => t.target === "identity/directory");
    expect(directory?.grants.map((g) => [g.grant, g.matchedBy, g.selector, g.phase, g.until])).toEqual([
      ["identity/everyone", ["selector"], ["{} (every User)"], "Active", undefined],
      ["identity/future", ["explicit"], [], "Pending", undefined],
      ["identity/oncall", ["explicit"], [], "Expired", "2026-05-31T00:00:00Z"],
      ["identity/sales", ["selector"], ["roster.dev/department=sales"], "Active", undefined],
    ]);
    expect(e.next).toEqual({
      at: "2026-09-01T00:00:00Z",
      what: "grant identity/future starts (identity/directory)",
    });
  });

  it("includes targets where the User has an account but no grant", () => {
    const e = explain(snapshot, bob, NOW);
    expect(e.targets.map((t) => [t.target, t.account?.state, t.grants.map((g) => g.grant)])).toEqual([
      ["identity/directory", "Conflict", ["identity/eng", "identity/everyone"]],
    ]);
  });

  it.each([
    [{ matchLabels: { a: "1" } }, { a: "1" }, ["a=1"]],
    [
      { matchExpressions: [{ key: "d", operator: "In" as const, values: ["x", "y"] }] },
      { d: "y" },
      ["d in (x,y): d=y"],
    ],
    [
      { matchExpressions: [{ key: "d", operator: "NotIn" as const, values: ["x"] }] },
      {},
      ["d notin (x): d unset"],
    ],
    [{ matchExpressions: [{ key: "d", operator: "Exists" as const }] }, { d: "z" }, ["d exists: d=z"]],
    [{ matchExpressions: [{ key: "c", operator: "DoesNotExist" as const }] }, {}, ["!c"]],
  ])("describes selector %j", (selector, labels, expected) => {
    expect(describeSelector(selector, labels)).toEqual(expected);
  });
});

describe("orphans", () => {
  it("names orphans a published plan acts on, counts the rest, and lists Users' conflicts", () => {
    expect(orphanRows(snapshot)).toEqual([
      { target: "identity/crm", kind: "orphan", account: "zed", user: undefined, detail: "planned: disable" },
      {
        target: "identity/directory",
        kind: "conflict",
        account: "bob",
        user: "bob",
        detail: "an account named bob exists without Roster's marker",
      },
      {
        target: "identity/directory",
        kind: "orphan",
        account: undefined,
        user: undefined,
        detail:
          "2 orphaned account(s) counted by the last full sync (orphanPolicy Report); status does not name them",
      },
    ]);
  });
});

describe("orphans named in Target status", () => {
  it("names the accounts in status.orphans and counts the rest", () => {
    const named: Snapshot = {
      ...snapshot,
      targets: snapshot.targets.map((t) =>
        t.metadata.name === "directory"
          ? {
              ...t,
              status: { ...t.status, orphans: ["old-1"], counts: { ...t.status?.counts, orphaned: 2 } },
            }
          : t,
      ) as Snapshot["targets"],
    };
    expect(orphanRows(named).filter((r) => r.target === "identity/directory" && r.kind === "orphan")).toEqual(
      [
        {
          target: "identity/directory",
          kind: "orphan",
          account: "old-1",
          user: undefined,
          detail: "no User wants it (orphanPolicy Report)",
        },
        {
          target: "identity/directory",
          kind: "orphan",
          account: undefined,
          user: undefined,
          detail: "1 more orphaned account(s) counted by the last full sync (orphanPolicy Report)",
        },
      ],
    );
  });
});

describe("plan", () => {
  it("shows only Targets in Plan mode or held, with each account's User", () => {
    const views = planViews(snapshot);
    expect(views.map((v) => v.target)).toEqual(["identity/crm"]);
    expect(planRows(views)).toEqual([
      {
        target: "identity/crm",
        mode: "Plan",
        operation: "disable",
        account: "zed",
        user: undefined,
        roles: [],
        attributes: [],
      },
      {
        target: "identity/crm",
        mode: "Plan",
        operation: "removeRoles",
        account: "ann",
        user: "ann",
        roles: ["old"],
        attributes: [],
      },
      {
        target: "identity/crm",
        mode: "Plan",
        operation: "update",
        account: "ann",
        user: "ann",
        roles: [],
        attributes: ["mail", "title"],
      },
    ]);
  });
});
