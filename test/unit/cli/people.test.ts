import {
  labelValue,
  missingColumns,
  parseMapping,
  type Mapping,
} from "../../../operator/src/cli/hr/mapping.js";
import { describeProblem, normalizeDate, peopleOf } from "../../../operator/src/cli/hr/people.js";
import type { HrRecord } from "../../../operator/src/cli/hr/source.js";

const mapping: Mapping = (() => {
  const parsed = parseMapping({
    source: "hris",
    fields: {
      username: "login",
      email: "mail",
      employeeId: "id",
      department: "dept",
      startDate: "start",
      endDate: "end",
      employmentType: "type",
    },
    labels: { "roster.dev/department": "dept" },
    status: { column: "status", leaverValues: ["Left"], suspendedValues: ["Leave"] },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return parsed.mapping;
})();

const row = (line: number, values: Record<string, string>): HrRecord => ({
  line,
  values: { login: "ann", mail: "ann@acme.example", id: `${line}`, ...values },
});

describe("mapping file", () => {
  it.each([
    ["no username mapping", { fields: { email: "mail" } }, "fields: must map the username field"],
    ["an unknown User field", { fields: { username: "u", shoeSize: "s" } }, "fields.shoeSize"],
    [
      "a label the import sets itself",
      { fields: { username: "u" }, labels: { "roster.dev/managed-by": "x" } },
      "labels:",
    ],
    ["a bad label key", { fields: { username: "u" }, labels: { "bad key!": "x" } }, "labels.bad key!"],
    ["an unknown top-level key", { fields: { username: "u" }, colour: "red" }, "colour: unknown field"],
    ["a source that is not a DNS label", { fields: { username: "u" }, source: "Work Day" }, "source:"],
  ])("rejects %s", (_name, value, expected) => {
    const result = parseMapping(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join("\n")).toContain(expected);
  });

  it("lists the columns a CSV export lacks; a JSON export needs only the username key", () => {
    expect(missingColumns(mapping, ["login", "mail", "id"], false)).toEqual([
      "dept",
      "end",
      "start",
      "status",
      "type",
    ]);
    expect(missingColumns(mapping, ["login"], true)).toEqual([]);
    expect(missingColumns(mapping, ["mail"], true)).toEqual(["login"]);
  });

  it.each([
    ["Sales", "sales"],
    ["Marketing, EMEA", "marketing-emea"],
    ["  R&D / Labs  ", "r-d-labs"],
    ["Ünïcode Département", "unicode-departement"],
    ["---", ""],
    ["x".repeat(80), "x".repeat(63)],
  ])("label value of %j is %j", (text, value) => {
    expect(labelValue(text)).toBe(value);
  });
});

describe("normalizeDate", () => {
  it.each([
    ["2027-01-04", "2027-01-04T00:00:00Z"],
    ["2024-02-29", "2024-02-29T00:00:00Z"],
    ["2023-02-29", undefined],
    ["2026-13-01", undefined],
    ["2027-01-04T09:00:00+02:00", "2027-01-04T09:00:00+02:00"],
  ])("%s -> %s", (text, expected) => {
    expect(normalizeDate(text)).toBe(expected);
  });
});

describe("peopleOf: validation with line and field", () => {
  it("builds Users with labels, defaults and the state from the status column", () => {
    const { people, problems } = peopleOf(
      [
        row(2, { dept: "Sales", start: "2027-01-04", status: "Active", type: "" }),
        row(3, { login: "bob", mail: "bob@acme.example", dept: "", status: "Left" }),
        row(4, { login: "cy", mail: "cy@acme.example", status: "leave" }),
      ],
      mapping,
    );
    expect(problems).toEqual([]);
    expect(people.map((p) => [p.line, p.name, p.spec.state, p.spec.employmentType])).toEqual([
      [2, "ann", "Active", "Employee"],
      [3, "bob", "Terminated", "Employee"],
      [4, "cy", "Suspended", "Employee"],
    ]);
    expect(people[0]?.labels).toEqual({
      "roster.dev/managed-by": "hr-import",
      "roster.dev/hr-source": "hris",
      "roster.dev/department": "sales",
    });
    expect(people[0]?.spec.startDate).toBe("2027-01-04T00:00:00Z");
    expect(people[1]?.labels["roster.dev/department"]).toBeUndefined();
  });

  it.each([
    ["an empty username", { login: "" }, 'line 2: username (column "login"): is empty'],
    [
      "an upper-case username",
      { login: "Ann" },
      'line 2: username (column "login"): must start with a lower case letter',
    ],
    [
      "a username that cannot name an object",
      { login: "ann_b" },
      'line 2: username (column "login"): cannot name a User',
    ],
    ["a bad e-mail", { mail: "ann(at)acme" }, 'line 2: email (column "mail"): must be an e-mail address'],
    [
      "an impossible date",
      { start: "2026-02-30" },
      'line 2: startDate (column "start"): is not a calendar date',
    ],
    [
      "a date in another format",
      { start: "04/01/2027" },
      'line 2: startDate (column "start"): must be an RFC 3339',
    ],
    [
      "an end before the start",
      { start: "2026-05-01", end: "2026-04-01" },
      'line 2: endDate (column "end"): endDate must be after startDate',
    ],
    [
      "an unknown employment type",
      { type: "Intern" },
      'line 2: employmentType (column "type"): Invalid option',
    ],
  ])("reports %s", (_name, values, expected) => {
    const { people, problems, invalidLines } = peopleOf([row(2, values)], mapping);
    expect(people).toEqual([]);
    expect(invalidLines).toEqual([2]);
    expect(problems.map(describeProblem).join("\n")).toContain(expected);
  });

  it("rejects duplicate usernames, employee ids and e-mails, naming the first line, and keeps the first", () => {
    const { people, problems } = peopleOf(
      [
        row(2, {}),
        row(3, { login: "ann", mail: "other@acme.example" }),
        row(4, { login: "bob", mail: "ANN@acme.example" }),
        row(5, { login: "cy", mail: "cy@acme.example", id: "2" }),
      ],
      mapping,
    );
    expect(problems.map(describeProblem)).toEqual([
      'line 3: username (column "login"): duplicates line 2 ("ann")',
      'line 4: email (column "mail"): duplicates line 2 ("ANN@acme.example")',
      'line 5: employeeId (column "id"): duplicates line 2 ("2")',
    ]);
    expect(people.map((p) => p.line)).toEqual([2]);
  });

  it("reports every problem of every row, in line order", () => {
    const { problems } = peopleOf(
      [row(5, { mail: "x" }), row(2, { login: "B", mail: "b@acme.example", start: "2026-99-01" })],
      mapping,
    );
    expect(problems.map((p) => [p.line, p.field])).toEqual([
      [2, "startDate"],
      [2, "username"],
      [5, "email"],
    ]);
  });
});
