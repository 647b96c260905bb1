/**
 * The `roster` command line: finds the command from the leading words, runs it and turns every
 * failure into a message on stderr and a non-zero exit code, as kubectl does.
 */
import { UsageError } from "./args.js";
import { accessCommand, orphansCommand, planCommand, whyCommand } from "./audit/commands.js";
import { messageOf, type CliIo, type Command } from "./command.js";
import { hrImportCommand } from "./hr/import-command.js";

export const COMMANDS: readonly Command[] = [
  hrImportCommand,
  accessCommand,
  whyCommand,
  orphansCommand,
  planCommand,
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}   ${c.summary}`);
  return `roster: HR-driven provisioning and access audits for Roster (also runs as "kubectl roster").

Usage: roster COMMAND [flags]

Commands:
${lines.join("\n")}

Run "roster COMMAND --help" for a command's flags.
`;
}

/** The command named by the leading words of argv, and the arguments after them. */
function resolve(argv: readonly string[]): { command: Command; args: string[] } | undefined {
  for (const command of COMMANDS) {
    const words = command.name.split(" ");
    if (words.every((word, i) => argv[i] === word)) return { command, args: argv.slice(words.length) };
  }
  return undefined;
}

const wantsHelp = (args: readonly string[]) => args.includes("--help") || args.includes("-h");

/** Runs the command line; resolves to the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === "help" || argv[0] === "--help" || argv[0] === "-h") {
    io.out(overview());
    return 0;
  }
  const found = resolve(argv);
  if (!found) {
    io.err(`error: unknown command ${JSON.stringify(argv.join(" "))}\n\n${overview()}`);
    return 1;
  }
  if (wantsHelp(found.args)) {
    io.out(found.command.help);
    return 0;
  }
  try {
    return await found.command.run(found.args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`error: ${found.command.name}: ${err.message}\nSee "roster ${found.command.name} --help".\n`);
      return 1;
    }
    io.err(`error: ${messageOf(err)}\n`);
    return 1;
  }
}
