/**
 * `roster hr import FILE --mapping MAPPING`: validates an HR export, works out hires, moves and
 * leavers against the Users that exist, and applies them with server-side apply, prints them
 * (--dry-run) or writes one manifest per person (--output-dir).
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseCommand, positionals, stringFlag, UsageError } from "../args.js";
import { connect, listUsers } from "../cluster.js";
import type { CliIo, Command } from "../command.js";
import { renderJson } from "../output.js";
import { applyPlan } from "./apply.js";
import {
  parseTerminationLimit,
  planImport,
  terminationGuard,
  type ExistingUser,
  type ImportPlan,
} from "./diff.js";
import { InputError, readManifestDir, readMapping, readPeople } from "./inputs.js";
import { existingUser, manifestFileName, manifestYaml, userManifest } from "./manifest.js";
import { describeProblem, type Person } from "./people.js";
import { planJson, renderPlan } from "./report.js";

const OPTIONS = {
  mapping: { type: "string", short: "m" },
  "dry-run": { type: "boolean" },
  "skip-invalid": { type: "boolean" },
  "max-terminations": { type: "string" },
  "allow-mass-termination": { type: "boolean" },
  "output-dir": { type: "string" },
} as const;

const HELP = `Import people from an HR export (CSV or JSON) as Users.

Usage: roster hr import FILE --mapping MAPPING.yaml [flags]

People in the export are applied as Active Users (server-side apply, field manager
roster-hr-import); people imported before who are missing from the export, or whose
status column says they left, become Terminated. Users are never deleted.

Flags:
  -m, --mapping FILE           mapping of export columns to User fields and labels (required)
      --dry-run                print the hires, moves and leavers; write nothing
      --skip-invalid           import the valid rows even when some rows are invalid
      --max-terminations N|P%  most terminations one import may make (default 10%)
      --allow-mass-termination terminate even more than --max-terminations
      --output-dir DIR         write one User manifest per person into DIR instead of applying
  -o, --output text|json       how to print the plan (default text)
      --kubeconfig FILE, --context NAME
`;

interface ImportOptions {
  file: string;
  mappingFile: string;
  dryRun: boolean;
  skipInvalid: boolean;
  maxTerminations: string;
  allowMass: boolean;
  outputDir: string | undefined;
  json: boolean;
  kubeconfig: string | undefined;
  context: string | undefined;
}

function options(args: readonly string[]): ImportOptions {
  const parsed = parseCommand(args, OPTIONS);
  const [file] = positionals(parsed, ["FILE"]);
  const v = parsed.values;
  const mappingFile = stringFlag(v.mapping);
  if (!mappingFile) throw new UsageError("--mapping is required");
  const output = v.output ?? "text";
  if (output !== "text" && output !== "json") throw new UsageError("-o must be text or json");
  return {
    file: file as string,
    mappingFile,
    dryRun: v["dry-run"] === true,
    skipInvalid: v["skip-invalid"] === true,
    maxTerminations: stringFlag(v["max-terminations"]) ?? "10%",
    allowMass: v["allow-mass-termination"] === true,
    outputDir: stringFlag(v["output-dir"]),
    json: output === "json",
    kubeconfig: v.kubeconfig,
    context: v.context,
  };
}

async function existingUsers(opts: ImportOptions): Promise<ExistingUser[]> {
  if (opts.outputDir) return readManifestDir(opts.outputDir);
  const client = connect(opts);
  try {
    const users = await listUsers(client);
    return users.map(existingUser).filter((u): u is ExistingUser => u !== undefined);
  } finally {
    client.close();
  }
}

async function apply(plan: ImportPlan, opts: ImportOptions, io: CliIo): Promise<number> {
  const client = connect(opts);
  try {
    const failures = await applyPlan(client, plan, (phase) => {
      for (const failure of phase) io.err(`error: user/${failure.name}: ${failure.message}\n`);
    });
    return failures.length;
  } finally {
    client.close();
  }
}

async function writeManifests(people: readonly Person[], dir: string): Promise<void> {
  for (const person of people)
    await writeFile(path.join(dir, manifestFileName(person.name)), manifestYaml(userManifest(person)));
}

/** Everyone in the export who has or gets a User, and the missing leavers, terminated. */
function manifestsToWrite(people: readonly Person[], plan: ImportPlan): Person[] {
  const ignored = new Set(plan.ignored);
  const missing = plan.leavers.filter((l) => l.why === "missing").map((l) => l.person);
  return [...people.filter((p) => !ignored.has(p.name)), ...missing];
}

function report(plan: ImportPlan, heading: string, opts: ImportOptions, io: CliIo): void {
  io.out(opts.json ? renderJson(planJson(plan)) : renderPlan(plan, heading));
}

async function runImport(args: readonly string[], io: CliIo): Promise<number> {
  const opts = options(args);
  const limit = parseTerminationLimit(opts.maxTerminations);
  if (!limit) throw new UsageError('--max-terminations takes a count ("5") or a percentage ("10%")');
  const mapping = await readMapping(opts.mappingFile);
  const exported = await readPeople(opts.file, mapping);
  for (const problem of exported.problems)
    io.err(`${opts.skipInvalid ? "warning" : "error"}: ${opts.file}: ${describeProblem(problem)}\n`);
  if (exported.problems.length > 0 && !opts.skipInvalid) {
    io.err(
      `error: ${opts.file}: ${exported.invalidLines.length} invalid row(s); nothing was applied (--skip-invalid imports the valid rows)\n`,
    );
    return 1;
  }
  const plan = planImport(exported.people, await existingUsers(opts), mapping, exported.namesOnInvalidRows);
  const refusal = opts.allowMass ? undefined : terminationGuard(plan, limit);
  if (opts.dryRun)
    report(plan, `HR import of ${path.basename(opts.file)} (dry run, nothing written)`, opts, io);
  if (refusal) {
    io.err(`error: ${opts.file}: ${refusal}\n`);
    return 1;
  }
  if (opts.dryRun) return 0;
  if (opts.outputDir) {
    await writeManifests(manifestsToWrite(exported.people, plan), opts.outputDir);
    report(plan, `HR import of ${path.basename(opts.file)} written to ${opts.outputDir}`, opts, io);
    return 0;
  }
  const failed = await apply(plan, opts, io);
  const outcome = failed > 0 ? `applied, ${failed} User(s) failed` : "applied";
  report(plan, `HR import of ${path.basename(opts.file)} ${outcome}`, opts, io);
  return failed > 0 ? 1 : 0;
}

export const hrImportCommand: Command = {
  name: "hr import",
  summary: "Import people from an HR export (CSV or JSON) as Users",
  help: HELP,
  run: async (args, io) => {
    try {
      return await runImport(args, io);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      for (const line of err.lines) io.err(`error: ${line}\n`);
      return 1;
    }
  },
};
