/** What every `roster` command gets and returns: its arguments, where to print, the clock; an exit code. */

export interface CliIo {
  /** Standard output: the command's result. */
  out(text: string): void;
  /** Standard error: errors and warnings, each line naming the object or line concerned. */
  err(text: string): void;
  /** The current instant (epoch ms); injectable so outputs can be pinned in tests. */
  now(): number;
}

export interface Command {
  /** The command words, e.g. "hr import". */
  name: string;
  summary: string;
  /** The full help text. */
  help: string;
  /** Runs with the arguments after the command words; resolves to the exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** The message of anything thrown (errors from other realms included), for one line on stderr. */
export function messageOf(err: unknown): string {
  if (typeof err === "object" && err !== null && "message" in err && typeof err.message === "string")
    return err.message;
  return String(err);
}
