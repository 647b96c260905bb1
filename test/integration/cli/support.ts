/**
 * Helpers for the CLI's integration tests: run `roster` in-process against the local API server
 * (capturing stdout, stderr and the exit code), and compare output with golden files
 * (UPDATE_GOLDEN=1 rewrites them).
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { runCli } from "../../../operator/src/cli/run.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function roster(args: string[], kubeconfig: string, now = Date.now()): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await runCli([...args, "--kubeconfig", kubeconfig], {
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
    now: () => now,
  });
  return { code, stdout, stderr };
}

const GOLDEN_DIR = path.resolve("test/golden/cli");

/** Asserts `actual` equals the golden file's content. */
export async function expectGolden(name: string, actual: string): Promise<void> {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === "1") {
    await mkdir(GOLDEN_DIR, { recursive: true });
    await writeFile(file, actual);
  }
  if (!existsSync(file)) throw new Error(`golden file ${name} is missing (UPDATE_GOLDEN=1 writes it)`);
  expect(actual).toBe(await readFile(file, "utf8"));
}
