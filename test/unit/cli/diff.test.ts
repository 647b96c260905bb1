import type { UserSpec } from "../../../operator/src/api/index.js";
import {
  allowedTerminations,
  parseTerminationLimit,
  planImport,
  terminationGuard,
  type ExistingUser,
} from "../../../operator/src/cli/hr/diff.js";
import { parseMapping, type Mapping } from "../../../operator/src/cli/hr/mapping.js";
import type { Person } from "../../../operator/src/cli/hr/people.js";
import { planJson, renderPlan } from "../../../operator/src/cli/hr/report.js";

const parsed = parseMapping({
  fields: { username: "login", department: "dept", title: "title" },
  labels: { "roster.dev/department": "dept" },
});
if (!parsed.ok) throw new Error("mapping");
const mapping: Mapping = parsed.mapping;

const OURS = { "roster.dev/managed-by": "hr-import" };

function person(name: string, dept: string, extra: Partial<UserSpec> = {}, line = 2): Person {
  return {
    line,
    name,
    labels: { ...OURS, "roster.dev/department": dept.toLowerCase() },
    spec: { username: name, department: dept, employmentType: "Employee", state: "Active", ...extra },
  };
}

function user(
  name: string,
  dept: string,
  extra: Partial<ExistingUser["spec"]> = {},
  labels = OURS,
): ExistingUser {
  return {
    name,
    labels: { ...labels, "roster.dev/department": dept.toLowerCase() },
    spec: { username: name, department: dept, employmentType: "Employee", state: "Active", ...extra },
  };
}

describe("planImport", () => {
  it.each<[string, Person[], ExistingUser[], Record<string, string[]>]>([
    ["a new person is a hire", [person("ann", "Sales")], [], { hires: ["ann"] }],
    [
      "an identical person is unchanged",
      [person("ann", "Sales")],
      [user("ann", "Sales")],
      { unchanged: ["ann"] },
    ],
    ["a department change is a move", [person("ann", "IT")], [user("ann", "Sales")], { moves: ["ann"] }],
    ["an imported person missing from the export leaves", [], [user("ann", "Sales")], { leavers: ["ann"] }],
    [
      "a person marked as leaver leaves",
      [person("ann", "Sales", { state: "Terminated" })],
      [user("ann", "Sales")],
      { leavers: ["ann"] },
    ],
    [
      "a missing person already terminated is left alone",
      [],
      [user("ann", "Sales", { state: "Terminated" })],
      {},
    ],
    [
      "a leaver row with no User is ignored",
      [person("ann", "Sales", { state: "Terminated" })],
      [],
      { ignored: ["ann"] },
    ],
    [
      "a terminated person back in the export is a change (rehire), not a hire",
      [person("ann", "Sales")],
      [user("ann", "Sales", { state: "Terminated" })],
      { moves: ["ann"] },
    ],
    [
      "a User the import did not create is never terminated",
      [],
      [user("svc", "IT", {}, {} as typeof OURS)],
      {},
    ],
    [
      "without a source in the mapping, every User the import labelled counts",
      [],
      [user("bo", "IT", {}, { ...OURS, "roster.dev/hr-source": "other" } as typeof OURS)],
      { leavers: ["bo"] },
    ],
  ])("%s", (_name, people, existing, expected) => {
    const plan = planImport(people, existing, mapping);
    const got = {
      hires: plan.hires.map((h) => h.person.name),
      moves: plan.moves.map((m) => m.person.name),
      leavers: plan.leavers.map((l) => l.person.name),
      unchanged: plan.unchanged,
      ignored: plan.ignored,
    };
    expect(got).toEqual({ hires: [], moves: [], leavers: [], unchanged: [], ignored: [], ...expected });
  });

  it("scopes leavers to the mapping's source when it names one", () => {
    const scoped = parseMapping({ source: "hris", fields: { username: "login" } });
    if (!scoped.ok) throw new Error("mapping");
    const other = user("bo", "IT", {}, { ...OURS, "roster.dev/hr-source": "other" } as typeof OURS);
    const mine = user("cy", "IT", {}, { ...OURS, "roster.dev/hr-source": "hris" } as typeof OURS);
    const plan = planImport([], [other, mine], scoped.mapping);
    expect(plan.leavers.map((l) => l.person.name)).toEqual(["cy"]);
    expect(plan.population).toBe(1);
  });

  it("lists exactly what a mover's change is, fields and labels", () => {
    const plan = planImport(
      [person("ann", "IT", { title: "Admin" })],
      [user("ann", "Sales", { title: "Rep" })],
      mapping,
    );
    expect(plan.moves[0]?.changes).toEqual([
      { path: "spec.department", from: "Sales", to: "IT" },
      { path: "spec.title", from: "Rep", to: "Admin" },
      { path: "labels.roster.dev/department", from: "sales", to: "it" },
    ]);
  });

  it("terminates a missing leaver keeping their managed fields and labels as they are", () => {
    const existing = user("ann", "Sales", { title: "Rep", email: "not-managed@acme.example" });
    const [leaver] = planImport([], [existing], mapping).leavers;
    expect(leaver?.why).toBe("missing");
    expect(leaver?.person.spec).toEqual({
      username: "ann",
      department: "Sales",
      title: "Rep",
      employmentType: "Employee",
      state: "Terminated",
    });
    expect(leaver?.person.labels).toEqual({ ...OURS, "roster.dev/department": "sales" });
    expect(leaver?.changes).toEqual([{ path: "spec.state", from: "Active", to: "Terminated" }]);
  });

  it("never treats people on skipped invalid rows as missing", () => {
    const plan = planImport([], [user("ann", "Sales")], mapping, ["ann"]);
    expect(plan.leavers).toEqual([]);
  });
});

describe("termination guard", () => {
  it.each([
    ["10%", 100, 10],
    ["10%", 12, 1],
    ["10%", 3, 1],
    ["50%", 9, 4],
    ["0", 100, 0],
    ["25", 10, 25],
  ])("limit %s of %i imported Users allows %i", (text, population, allowed) => {
    const limit = parseTerminationLimit(text);
    expect(limit).toBeDefined();
    expect(allowedTerminations(limit!, population)).toBe(allowed);
  });

  it.each(["", "ten", "1.5", "-3", "5%%"])("rejects the limit %j", (text) => {
    expect(parseTerminationLimit(text)).toBeUndefined();
  });

  it("refuses an import that terminates more than allowed, with the numbers", () => {
    const existing = ["a", "b", "c", "d", "e"].map((n) => user(n, "IT"));
    const plan = planImport([person("a", "IT")], existing, mapping);
    expect(terminationGuard(plan, { percent: 10 })).toBe(
      "refusing to terminate 4 of 5 imported Users (80%): the limit is 1 (10%). " +
        "If the export is complete, run again with --allow-mass-termination or a higher --max-terminations.",
    );
    expect(terminationGuard(plan, { count: 4 })).toBeUndefined();
  });
});

describe("plan report", () => {
  const plan = planImport(
    [person("ann", "IT"), person("bob", "Sales", { startDate: "2027-01-04T00:00:00Z" }, 3)],
    [user("ann", "Sales"), user("cy", "Sales")],
    mapping,
  );

  it("reads as hires, moves with their changes, and leavers", () => {
    expect(renderPlan(plan, "HR import of x.csv"))
      .toBe(`HR import of x.csv: 1 hire, 1 move, 1 leaver, 0 unchanged

Hires:
  + bob (Sales, starts 2027-01-04T00:00:00Z)

Moves and changes:
  ~ ann
      spec.department: Sales -> IT
      labels.roster.dev/department: sales -> it

Leavers:
  - cy (missing from the export): state -> Terminated
`);
  });

  it("gives scripts the same plan as JSON, unset values as null", () => {
    expect(planJson(plan)).toMatchObject({
      summary: { hires: 1, moves: 1, leavers: 1, unchanged: 0 },
      hires: [{ name: "bob", line: 3 }],
      moves: [
        { name: "ann", changes: [{ path: "spec.department", from: "Sales", to: "IT" }, expect.anything()] },
      ],
      leavers: [
        {
          name: "cy",
          reason: "missing",
          changes: [{ path: "spec.state", from: "Active", to: "Terminated" }],
        },
      ],
    });
  });
});
