/**
 * How an HR import plan reads: a text summary for people (hires, moves with what changed,
 * leavers) and a JSON document for scripts. Pure.
 */
import type { FieldChange, ImportPlan, Leaver } from "./diff.js";
import type { Person } from "./people.js";

const shown = (value: string | undefined): string => (value === undefined ? "(none)" : value);

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function summaryLine(plan: ImportPlan): string {
  return [
    plural(plan.hires.length, "hire"),
    plural(plan.moves.length, "move"),
    plural(plan.leavers.length, "leaver"),
    `${plan.unchanged.length} unchanged`,
  ].join(", ");
}

function describePerson(person: Person): string {
  const details = [person.spec.displayName, person.spec.department, person.spec.title].filter(
    (v): v is string => v !== undefined,
  );
  const starts = person.spec.startDate ? `, starts ${person.spec.startDate}` : "";
  return `${details.join(", ")}${starts}`;
}

function changeLines(changes: readonly FieldChange[]): string[] {
  return changes.map((c) => `      ${c.path}: ${shown(c.from)} -> ${shown(c.to)}`);
}

function leaverLine(leaver: Leaver): string {
  const why =
    leaver.why === "missing" ? "missing from the export" : `marked as leaver on line ${leaver.person.line}`;
  return `  - ${leaver.person.name} (${why}): state -> Terminated`;
}

/** The human-readable plan, as `--dry-run` prints it and as an import reports what it did. */
export function renderPlan(plan: ImportPlan, heading: string): string {
  const lines = [`${heading}: ${summaryLine(plan)}`];
  if (plan.hires.length > 0) {
    lines.push("", "Hires:");
    for (const { person } of plan.hires) lines.push(`  + ${person.name} (${describePerson(person)})`);
  }
  if (plan.moves.length > 0) {
    lines.push("", "Moves and changes:");
    for (const move of plan.moves) lines.push(`  ~ ${move.person.name}`, ...changeLines(move.changes));
  }
  if (plan.leavers.length > 0) {
    lines.push("", "Leavers:");
    for (const leaver of plan.leavers) lines.push(leaverLine(leaver));
  }
  if (plan.ignored.length > 0)
    lines.push("", `Leaver rows with no User (nothing to do): ${plan.ignored.join(", ")}`);
  return lines.join("\n") + "\n";
}

const jsonChanges = (changes: readonly FieldChange[]) =>
  changes.map((c) => ({ path: c.path, from: c.from ?? null, to: c.to ?? null }));

/** The plan for scripts: names, lines and field changes (null for an unset value). */
export function planJson(plan: ImportPlan): unknown {
  return {
    summary: {
      hires: plan.hires.length,
      moves: plan.moves.length,
      leavers: plan.leavers.length,
      unchanged: plan.unchanged.length,
    },
    hires: plan.hires.map(({ person }) => ({ name: person.name, line: person.line, spec: person.spec })),
    moves: plan.moves.map((m) => ({
      name: m.person.name,
      line: m.person.line,
      changes: jsonChanges(m.changes),
    })),
    leavers: plan.leavers.map((l) => ({
      name: l.person.name,
      reason: l.why,
      ...(l.why === "marked" ? { line: l.person.line } : {}),
      changes: jsonChanges(l.changes),
    })),
    unchanged: plan.unchanged,
    ignored: plan.ignored,
  };
}
