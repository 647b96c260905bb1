/**
 * Compiles the operator and the local API server once (tsconfig.build.json) into
 * node_modules/.cache/roster-bench-<checkout>, so the benchmark measures them as they run in
 * production: plain JavaScript, without tsx's on-the-fly transform in the measured process.
 * One directory per checkout, so a benchmark run from a separate git worktree (a clean commit
 * measured while the main checkout is being edited) never shares compiled files with another.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const checkout = createHash("sha1").update(process.cwd()).digest("hex").slice(0, 8);
// The real path: a worktree's node_modules may be a link, and Node names the main module by its
// real path, so the operator would not recognise itself as the program being run.
export const BUILD_DIR = join(realpathSync("node_modules"), ".cache", `roster-bench-${checkout}`);

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
