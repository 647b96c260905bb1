import { writePhases } from "../../../operator/src/cli/hr/apply.js";
import type { ImportPlan } from "../../../operator/src/cli/hr/diff.js";
import type { Person } from "../../../operator/src/cli/hr/people.js";

const person = (name: string): Person => ({
  line: 2,
  name,
  labels: {},
  spec: { username: name, employmentType: "Employee", state: "Active" },
});

describe("hr import writes", () => {
  it("writes the leavers in a phase of their own before the moves and hires, each in plan order", () => {
    const plan: ImportPlan = {
      hires: [{ person: person("hana") }, { person: person("ivan") }],
      moves: [{ person: person("bob"), changes: [] }],
      leavers: [
        { person: person("carla"), why: "missing", changes: [] },
        { person: person("dan"), why: "marked", changes: [] },
      ],
      unchanged: ["erin"],
      ignored: [],
      population: 5,
    };
    expect(writePhases(plan).map((phase) => phase.map((p) => p.name))).toEqual([
      ["carla", "dan"],
      ["bob", "hana", "ivan"],
    ]);
  });
});
