/**
 * What an HR import changes: a pure diff of the people in the export against the Users that
 * exist (in the cluster, or as manifests in an output directory). Hires are new people; moves are
 * people whose managed fields or labels changed; leavers are people marked as leavers, or people
 * imported before who are missing from the export. Nobody is ever deleted.
 */
import type { UserSpec } from "../../api/index.js";
import { HR_SOURCE_LABEL, MANAGED_BY_HR_IMPORT, MANAGED_BY_LABEL, type Mapping } from "./mapping.js";
import type { Person } from "./people.js";

/** A User as it exists now (the parts the import compares). */
export interface ExistingUser {
  name: string;
  labels: Record<string, string>;
  spec: Partial<Record<keyof UserSpec, string>>;
}

export interface FieldChange {
  /** "spec.title" or "labels.roster.dev/department". */
  path: string;
  from: string | undefined;
  to: string | undefined;
}

export interface Hire {
  person: Person;
}
export interface Move {
  person: Person;
  changes: FieldChange[];
}
export interface Leaver {
  /** What to apply: the person terminated, with their other managed fields as they are. */
  person: Person;
  why: "missing" | "marked";
  changes: FieldChange[];
}

export interface ImportPlan {
  hires: Hire[];
  moves: Move[];
  leavers: Leaver[];
  unchanged: string[];
  /** Leaver rows for people who have no User: nothing to do. */
  ignored: string[];
  /** Users this import manages that are not Terminated now: the base of the termination guard. */
  population: number;
}

/** The spec fields the import owns: the mapped ones, plus the state and the defaulted type. */
function managedFields(mapping: Mapping): (keyof UserSpec)[] {
  const fields = new Set<keyof UserSpec>(Object.keys(mapping.fields) as (keyof UserSpec)[]);
  fields.add("state");
  fields.add("employmentType");
  return [...fields].sort();
}

function managedLabels(mapping: Mapping): string[] {
  const keys = [MANAGED_BY_LABEL, ...Object.keys(mapping.labels)];
  if (mapping.source) keys.push(HR_SOURCE_LABEL);
  return keys.sort();
}

/** Whether a User belongs to this import: labelled by it, and from the same source if one is named. */
export function importedBy(user: ExistingUser, mapping: Mapping): boolean {
  if (user.labels[MANAGED_BY_LABEL] !== MANAGED_BY_HR_IMPORT) return false;
  return mapping.source === undefined || user.labels[HR_SOURCE_LABEL] === mapping.source;
}

export function fieldChanges(existing: ExistingUser, person: Person, mapping: Mapping): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of managedFields(mapping)) {
    const from = existing.spec[field];
    const to = person.spec[field];
    if (from !== to) changes.push({ path: `spec.${field}`, from, to });
  }
  for (const key of managedLabels(mapping)) {
    const from = existing.labels[key];
    const to = person.labels[key];
    if (from !== to) changes.push({ path: `labels.${key}`, from, to });
  }
  return changes;
}

/** The person a missing leaver becomes: their managed fields and labels as they are, terminated. */
function terminated(existing: ExistingUser, mapping: Mapping): Person {
  const spec: Record<string, string> = {};
  for (const field of managedFields(mapping)) {
    const value = existing.spec[field];
    if (value !== undefined) spec[field] = value;
  }
  const labels: Record<string, string> = {};
  for (const key of managedLabels(mapping)) {
    const value = existing.labels[key];
    if (value !== undefined) labels[key] = value;
  }
  return {
    line: 0,
    name: existing.name,
    labels,
    spec: { ...spec, state: "Terminated" } as UserSpec,
  };
}

function classify(plan: ImportPlan, person: Person, existing: ExistingUser | undefined, mapping: Mapping) {
  const leaving = person.spec.state === "Terminated";
  if (!existing) {
    if (leaving) plan.ignored.push(person.name);
    else plan.hires.push({ person });
    return;
  }
  const changes = fieldChanges(existing, person, mapping);
  if (changes.length === 0) plan.unchanged.push(person.name);
  else if (leaving && existing.spec.state !== "Terminated")
    plan.leavers.push({ person, why: "marked", changes });
  else plan.moves.push({ person, changes });
}

/**
 * The import plan. People and Users are matched by name (the username). `alsoPresent` names
 * people whose rows were skipped as invalid: they are in the export, so never "missing".
 */
export function planImport(
  people: readonly Person[],
  existing: readonly ExistingUser[],
  mapping: Mapping,
  alsoPresent: readonly string[] = [],
): ImportPlan {
  const byName = new Map(existing.map((user) => [user.name, user]));
  const ours = existing.filter((user) => importedBy(user, mapping));
  const plan: ImportPlan = {
    hires: [],
    moves: [],
    leavers: [],
    unchanged: [],
    ignored: [],
    population: ours.filter((user) => user.spec.state !== "Terminated").length,
  };
  for (const person of people) classify(plan, person, byName.get(person.name), mapping);
  const present = new Set([...people.map((person) => person.name), ...alsoPresent]);
  for (const user of ours) {
    if (present.has(user.name) || user.spec.state === "Terminated") continue;
    const person = terminated(user, mapping);
    plan.leavers.push({ person, why: "missing", changes: fieldChanges(user, person, mapping) });
  }
  const byPersonName = (a: { person: Person }, b: { person: Person }) =>
    a.person.name.localeCompare(b.person.name);
  plan.hires.sort(byPersonName);
  plan.moves.sort(byPersonName);
  plan.leavers.sort(byPersonName);
  plan.unchanged.sort();
  plan.ignored.sort();
  return plan;
}

/** How many terminations one import may make: a count, or a percentage of the population. */
export type TerminationLimit = { count: number } | { percent: number };

export function parseTerminationLimit(text: string): TerminationLimit | undefined {
  const match = /^(\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  if (!match) return undefined;
  const n = Number(match[1]);
  return match[2] === "%" ? { percent: n } : Number.isInteger(n) ? { count: n } : undefined;
}

/**
 * The number of terminations allowed. A percentage always allows at least one, so that a small
 * company can offboard one person; a truncated export still trips it.
 */
export function allowedTerminations(limit: TerminationLimit, population: number): number {
  if ("count" in limit) return limit.count;
  return Math.max(1, Math.floor((population * limit.percent) / 100));
}

/** A refusal message when the plan terminates more than allowed, otherwise undefined. */
export function terminationGuard(plan: ImportPlan, limit: TerminationLimit): string | undefined {
  const allowed = allowedTerminations(limit, plan.population);
  const count = plan.leavers.length;
  if (count <= allowed) return undefined;
  const share = plan.population > 0 ? ` (${Math.round((count * 100) / plan.population)}%)` : "";
  return (
    `refusing to terminate ${count} of ${plan.population} imported Users${share}: ` +
    `the limit is ${allowed}${"percent" in limit ? ` (${limit.percent}%)` : ""}. ` +
    `If the export is complete, run again with --allow-mass-termination or a higher --max-terminations.`
  );
}
