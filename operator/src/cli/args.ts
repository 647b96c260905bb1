/**
 * Argument parsing for the `roster` commands on node:util's parseArgs: the flags every command
 * takes (kubeconfig, context, output), plus each command's own. Unknown flags are errors.
 */
import { messageOf } from "./command.js";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from "./output.js";

/** A mistake in how the command was called; printed with a hint to --help. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

type Options = NonNullable<ParseArgsConfig["options"]>;

export const GLOBAL_OPTIONS = {
  kubeconfig: { type: "string" },
  context: { type: "string" },
  output: { type: "string", short: "o" },
  help: { type: "boolean", short: "h" },
} as const satisfies Options;

export interface GlobalFlags {
  kubeconfig?: string;
  context?: string;
  output?: string;
  help: boolean;
}

export interface Parsed<V> {
  values: V & GlobalFlags;
  positionals: string[];
}

/** Parses a command's arguments (after the command words) with its own options and the global ones. */
export function parseCommand<O extends Options>(
  args: readonly string[],
  options: O,
): Parsed<Record<keyof O, string | boolean | undefined>> {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...GLOBAL_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
    const raw = values as Record<string, string | boolean | undefined>;
    return {
      values: { ...raw, help: raw.help === true } as Record<keyof O, string | boolean | undefined> &
        GlobalFlags,
      positionals,
    };
  } catch (err) {
    throw new UsageError(messageOf(err));
  }
}

/** The -o format, checked against the formats the command supports. */
export function outputFormat(
  value: string | undefined,
  allowed: readonly OutputFormat[] = OUTPUT_FORMATS,
): OutputFormat {
  const format = value ?? "table";
  if (!isOutputFormat(format) || !allowed.includes(format))
    throw new UsageError(`unknown output format ${JSON.stringify(format)}: use one of ${allowed.join(", ")}`);
  return format;
}

/** Exactly `count` positional arguments, named for the error message. */
export function positionals(
  parsed: { positionals: string[] },
  names: readonly string[],
  optional = 0,
): string[] {
  const got = parsed.positionals.length;
  if (got > names.length || got < names.length - optional) {
    const usage = names.map((n, i) => (i >= names.length - optional ? `[${n}]` : n)).join(" ");
    throw new UsageError(`expected ${usage || "no arguments"}, got ${got} argument${got === 1 ? "" : "s"}`);
  }
  return parsed.positionals;
}

export function stringFlag(value: string | boolean | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}
