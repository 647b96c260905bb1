/**
 * Compiles the operator and the local API server once (tsconfig.build.json) into
 * node_modules/.cache/roster-bench, so the benchmark measures them as they run in production:
 * plain JavaScript, without tsx's on-the-fly transform in the measured process.
 */
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const BUILD_DIR = resolve("node_modules/.cache/roster-bench");

export async function buildForBench(): Promise<string> {
  await run(
    process.execPath,
    ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json", "--outDir", BUILD_DIR],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return BUILD_DIR;
}
