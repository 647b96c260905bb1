#!/usr/bin/env node
/** Entry point of `roster` / `kubectl-roster`: wires the command line to the process. */
import { runCli } from "./run.js";

const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  now: () => Date.now(),
});
process.exitCode = code;
