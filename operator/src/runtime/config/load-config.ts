import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

export interface ConfigSources {
  /** Command-line arguments (without node and script), e.g. ["--log-level=debug", "--leader-election.enabled", "false"]. */
  argv?: readonly string[];
  env?: Record<string, string | undefined>;
  /** Environment variables are read as PREFIX + UPPER_SNAKE path, nesting joined by "__" (e.g. ROSTER_LEADER_ELECTION__ENABLED). */
  envPrefix?: string;
  /** The flag (and PREFIX + upper-case env var) naming an optional YAML file. Default "config". */
  fileFlag?: string;
}

/** All configuration problems at once, one line each. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

type Tree = Record<string, unknown>;

/**
 * Parses configuration once: defaults (from the schema) < YAML file < environment < flags.
 * Flag and env values are strings; the schema coerces them (see `flagBool`, `flagInt`). Unknown
 * flags, unknown prefixed env vars, unknown file keys, an unreadable file and every schema issue
 * are collected and thrown together as one ConfigError.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, sources: ConfigSources = {}): z.infer<S> {
  const problems: string[] = [];
  const fileFlag = sources.fileFlag ?? "config";
  const prefix = sources.envPrefix ?? "";
  const flags = parseFlags(sources.argv ?? [], problems);
  const fromEnv = envTree(sources.env ?? {}, prefix);
  const filePath = (flags[fileFlag] ?? fromEnv[fileFlag]) as string | undefined;
  delete flags[fileFlag];
  delete fromEnv[fileFlag];
  const fromFile = filePath === undefined ? {} : readYaml(filePath, problems);
  const known = shapeTree(schema);
  reportUnknown(fromFile, known, (p) => `unknown key "${p}" in ${filePath}`, problems);
  reportUnknown(fromEnv, known, (p) => `unknown environment variable ${envName(prefix, p)}`, problems);
  reportUnknown(flags, known, (p) => `unknown flag --${kebabPath(p)}`, problems);
  const parsed = schema.safeParse(deepMerge(deepMerge(fromFile, fromEnv), flags));
  if (!parsed.success) problems.push(...parsed.error.issues.map(describeIssue));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}

/** A boolean that also accepts the strings "true"/"false"/"1"/"0" (flags, env). */
export const flagBool = () =>
  z.preprocess(
    (v) => (v === "true" || v === "1" ? true : v === "false" || v === "0" ? false : v),
    z.boolean(),
  );

/** A number (by default any integer) that also accepts its decimal string form (flags, env). */
export const flagInt = (inner: z.ZodNumber = z.number().int()) =>
  z.preprocess((v) => (typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v), inner);

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join(".");
  return `${path ? kebabPath(path) : "(root)"}: ${issue.message}`;
}

function parseFlags(argv: readonly string[], problems: string[]): Tree {
  const tree: Tree = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) {
      problems.push(`unexpected argument "${arg}"`);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    let value = "true";
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--")) value = argv[++i]!;
    setPath(tree, name.split(".").map(camel), value);
  }
  return tree;
}

function envTree(env: Record<string, string | undefined>, prefix: string): Tree {
  const tree: Tree = {};
  if (!prefix) return tree;
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(prefix) || value === undefined) continue;
    const parts = name.slice(prefix.length).split("__");
    setPath(
      tree,
      parts.map((part) => camel(part.toLowerCase().replace(/_/g, "-"))),
      value,
    );
  }
  return tree;
}

function readYaml(path: string, problems: string[]): Tree {
  try {
    const doc: unknown = parseYaml(readFileSync(path, "utf8"));
    if (doc === null || doc === undefined) return {};
    if (isTree(doc)) return doc;
    problems.push(`${path} must hold a mapping at the top level`);
  } catch (err) {
    problems.push(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  return {};
}

/** The schema's object structure: nested trees for object fields, true for leaves. */
function shapeTree(schema: z.ZodType): Tree | true {
  const inner = unwrap(schema);
  if (!(inner instanceof z.ZodObject)) return true;
  const tree: Tree = {};
  for (const [key, value] of Object.entries(inner.shape as Record<string, z.ZodType>))
    tree[key] = shapeTree(value);
  return tree;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (;;) {
    if (
      current instanceof z.ZodDefault ||
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable
    ) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.out as z.ZodType;
    } else return current;
  }
}

function reportUnknown(
  tree: Tree,
  known: Tree | true,
  describe: (path: string) => string,
  problems: string[],
  at: string[] = [],
): void {
  if (known === true) return;
  for (const [key, value] of Object.entries(tree)) {
    const path = [...at, key];
    const sub = known[key];
    if (sub === undefined) problems.push(describe(path.join(".")));
    else if (isTree(value)) reportUnknown(value, sub as Tree | true, describe, problems, path);
  }
}

function deepMerge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isTree(current) && isTree(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function setPath(tree: Tree, path: string[], value: unknown): void {
  let node = tree;
  for (const part of path.slice(0, -1)) {
    if (!isTree(node[part])) node[part] = {};
    node = node[part] as Tree;
  }
  node[path[path.length - 1]!] = value;
}

function isTree(value: unknown): value is Tree {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function camel(kebab: string): string {
  return kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function kebabPath(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function envName(prefix: string, path: string): string {
  const snake = (part: string): string => part.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
  return prefix + path.split(".").map(snake).join("__");
}
