/**
 * Reading an import's inputs from disk: the mapping file, the export, and (for --output-dir)
 * the User manifests already in the directory.
 */
import { messageOf } from "../command.js";
import { mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import type { ExistingUser } from "./diff.js";
import { existingUser } from "./manifest.js";
import { missingColumns, parseMapping, type Mapping } from "./mapping.js";
import { describeProblem, peopleOf, type PeopleResult } from "./people.js";
import { formatOf, readExport } from "./source.js";

export class InputError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join("\n"));
    this.name = "InputError";
  }
}

export async function readMapping(file: string): Promise<Mapping> {
  let value: unknown;
  try {
    value = parseYaml(await readFile(file, "utf8"));
  } catch (err) {
    throw new InputError([`mapping ${file}: ${messageOf(err)}`]);
  }
  const result = parseMapping(value);
  if (!result.ok) throw new InputError(result.errors.map((e) => `mapping ${file}: ${e}`));
  return result.mapping;
}

export interface ExportPeople extends PeopleResult {
  /** Usernames on invalid rows: never terminated for being "missing" when rows are skipped. */
  namesOnInvalidRows: string[];
}

/** Reads and validates the export; file-level problems (unreadable, missing columns) throw. */
export async function readPeople(file: string, mapping: Mapping): Promise<ExportPeople> {
  const format = formatOf(file, mapping.format);
  const exported = readExport(await readFile(file, "utf8"), format);
  if (exported.fatal) throw new InputError([`${file}: ${describeProblem(exported.fatal)}`]);
  const missing = missingColumns(mapping, exported.columns, format === "json");
  if (missing.length > 0)
    throw new InputError([`${file}: the mapping reads columns the export lacks: ${missing.join(", ")}`]);
  const result = peopleOf(exported.records, mapping);
  const problems = [...exported.problems, ...result.problems].sort((a, b) => a.line - b.line);
  const invalid = new Set([...exported.problems.map((p) => p.line), ...result.invalidLines]);
  const usernameColumn = mapping.fields.username as string;
  const namesOnInvalidRows = exported.records
    .filter((r) => invalid.has(r.line))
    .map((r) => r.values[usernameColumn] ?? "")
    .filter((name) => name !== "");
  return {
    people: result.people,
    problems,
    invalidLines: [...invalid].sort((a, b) => a - b),
    namesOnInvalidRows,
  };
}

/** The Users already written to an output directory (created if missing). */
export async function readManifestDir(dir: string): Promise<ExistingUser[]> {
  await mkdir(dir, { recursive: true });
  const files = (await readdir(dir)).filter((f) => f.endsWith(".yaml")).sort();
  const users: ExistingUser[] = [];
  for (const file of files) {
    const user = existingUser(parseYaml(await readFile(path.join(dir, file), "utf8")));
    if (user) users.push(user);
  }
  return users;
}
