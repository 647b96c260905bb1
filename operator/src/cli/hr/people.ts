/**
 * Turns HR records into the Users they describe, checking every value with the API's own schemas
 * (UserSpec, object names, label values). Every bad row is reported with its line and field;
 * duplicate usernames, employee ids and e-mail addresses are rejected. Pure.
 */
import { LabelValue, ObjectName, UserSpec, type UserState } from "../../api/index.js";
import {
  HR_SOURCE_LABEL,
  labelValue,
  MANAGED_BY_HR_IMPORT,
  MANAGED_BY_LABEL,
  type MappableField,
  type Mapping,
} from "./mapping.js";
import type { HrRecord, RecordProblem } from "./source.js";

/** One person as the export describes them: the User to apply. */
export interface Person {
  line: number;
  /** metadata.name of the User: the username. */
  name: string;
  labels: Record<string, string>;
  spec: UserSpec;
}

export interface PeopleResult {
  people: Person[];
  problems: RecordProblem[];
  /** Lines whose records had problems (so --skip-invalid can say what it skipped). */
  invalidLines: number[];
}

const DATE_FIELDS = new Set<MappableField>(["startDate", "endDate"]);
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date (YYYY-MM-DD, midnight UTC) becomes an RFC 3339 instant; other text is kept. */
export function normalizeDate(text: string): string | undefined {
  const day = DAY.exec(text);
  if (!day) return text;
  const iso = `${text}T00:00:00Z`;
  const parsed = new Date(iso);
  const valid = !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(text);
  return valid ? iso : undefined;
}

function stateOf(record: HrRecord, mapping: Mapping): UserState {
  const status = mapping.status;
  if (!status) return "Active";
  const value = (record.values[status.column] ?? "").toLowerCase();
  if (status.leaverValues.some((v) => v.toLowerCase() === value)) return "Terminated";
  if (status.suspendedValues?.some((v) => v.toLowerCase() === value)) return "Suspended";
  return "Active";
}

function problemAt(record: HrRecord, mapping: Mapping, field: string, message: string): RecordProblem {
  const column = mapping.fields[field as MappableField] ?? mapping.labels[field];
  return { line: record.line, field, ...(column !== undefined ? { column } : {}), message };
}

function specOf(record: HrRecord, mapping: Mapping, problems: RecordProblem[]): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const [field, column] of Object.entries(mapping.fields) as [MappableField, string][]) {
    const text = record.values[column] ?? "";
    if (text === "") continue;
    const value = DATE_FIELDS.has(field) ? normalizeDate(text) : text;
    if (value === undefined) problems.push(problemAt(record, mapping, field, "is not a calendar date"));
    else raw[field] = value;
  }
  raw.state = stateOf(record, mapping);
  return raw;
}

function labelsOf(record: HrRecord, mapping: Mapping, problems: RecordProblem[]): Record<string, string> {
  const labels: Record<string, string> = { [MANAGED_BY_LABEL]: MANAGED_BY_HR_IMPORT };
  if (mapping.source) labels[HR_SOURCE_LABEL] = mapping.source;
  for (const [key, column] of Object.entries(mapping.labels)) {
    const value = labelValue(record.values[column] ?? "");
    if (value === "") continue;
    const checked = LabelValue.safeParse(value);
    if (checked.success) labels[key] = value;
    else problems.push(problemAt(record, mapping, key, checked.error.issues[0]?.message ?? "invalid"));
  }
  return labels;
}

/** Validates one record and builds its Person; problems are appended, undefined when any. */
export function personOf(record: HrRecord, mapping: Mapping): { person?: Person; problems: RecordProblem[] } {
  const problems: RecordProblem[] = [];
  const raw = specOf(record, mapping, problems);
  const labels = labelsOf(record, mapping, problems);
  if (raw.username === undefined) {
    problems.push(problemAt(record, mapping, "username", "is empty"));
    return { problems };
  }
  const parsed = UserSpec.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      problems.push(problemAt(record, mapping, String(issue.path[0] ?? "username"), issue.message));
  }
  const name = ObjectName.safeParse(raw.username);
  if (!name.success && parsed.success)
    problems.push(
      problemAt(record, mapping, "username", `cannot name a User: ${name.error.issues[0]?.message}`),
    );
  if (problems.length > 0 || !parsed.success) return { problems };
  return { person: { line: record.line, name: raw.username, labels, spec: parsed.data }, problems };
}

/** Fields whose values must be unique across the export. */
const UNIQUE_FIELDS = ["username", "employeeId", "email"] as const;

function duplicates(people: Person[], mapping: Mapping): RecordProblem[] {
  const problems: RecordProblem[] = [];
  for (const field of UNIQUE_FIELDS) {
    const seen = new Map<string, number>();
    for (const person of people) {
      const value = person.spec[field];
      if (value === undefined) continue;
      const key = value.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) seen.set(key, person.line);
      else
        problems.push({
          line: person.line,
          field,
          ...(mapping.fields[field] !== undefined ? { column: mapping.fields[field] } : {}),
          message: `duplicates line ${first} (${JSON.stringify(value)})`,
        });
    }
  }
  return problems;
}

/** Validates every record; a person with a problem (including a duplicate) is left out. */
export function peopleOf(records: readonly HrRecord[], mapping: Mapping): PeopleResult {
  const problems: RecordProblem[] = [];
  const valid: Person[] = [];
  for (const record of records) {
    const result = personOf(record, mapping);
    problems.push(...result.problems);
    if (result.person) valid.push(result.person);
  }
  const dupes = duplicates(valid, mapping);
  problems.push(...dupes);
  const bad = new Set(problems.map((p) => p.line));
  problems.sort((a, b) => a.line - b.line);
  return {
    people: valid.filter((person) => !bad.has(person.line)),
    problems,
    invalidLines: [...bad].sort((a, b) => a - b),
  };
}

/** "line 7: email (column Email): must be an e-mail address" */
export function describeProblem(problem: RecordProblem): string {
  const where = problem.line > 0 ? `line ${problem.line}` : "file";
  const field = problem.field
    ? `${problem.field}${problem.column !== undefined ? ` (column ${JSON.stringify(problem.column)})` : ""}: `
    : "";
  return `${where}: ${field}${problem.message}`;
}
