/**
 * Child processes of the benchmark (the local API server, the operator) and their resource use,
 * read from /proc so each process is measured on its own.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

export interface Child {
  process: ChildProcess;
  pid: number;
  /** The last lines the process wrote to stderr (for error messages). */
  tail(): string;
  stop(): Promise<void>;
}

export interface ProcessStats {
  /** Resident set size now, MiB. */
  rssMiB: number;
  /** Peak resident set size, MiB. */
  peakRssMiB: number;
  /** User + system CPU time consumed so far, seconds. */
  cpuSeconds: number;
}

const CLOCK_TICKS = 100;

export interface SpawnOptions {
  ready?: RegExp;
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Run the compiled `script` (with .js) from this directory instead of the TypeScript source through tsx. */
  compiledRoot?: string;
}

/**
 * Spawns a TypeScript `script` (a path from the repository root) as a Node.js process: compiled
 * from `compiledRoot`, or through tsx. Waits for `ready` on stdout when given.
 */
export async function spawnNode(script: string, args: string[], options: SpawnOptions): Promise<Child> {
  const entry = options.compiledRoot
    ? [join(options.compiledRoot, script.replace(/\.ts$/, ".js"))]
    : ["--import", "tsx", script];
  const proc = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...options.env },
  });
  let stderr = "";
  proc.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const timeoutMs = options.timeoutMs ?? 60_000;
  const ready = options.ready;
  if (ready) await waitForLine(proc, ready, timeoutMs, () => `${script}: ${stderr}`);
  proc.stdout?.resume();
  return {
    process: proc,
    pid: proc.pid ?? 0,
    tail: () => stderr,
    stop: () => stopChild(proc),
  };
}

function waitForLine(
  proc: ChildProcess,
  ready: RegExp,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(
      () => reject(new Error(`not ready after ${timeoutMs} ms: ${describe()}`)),
      timeoutMs,
    );
    proc.stdout?.on("data", (chunk: Buffer) => {
      stdout = (stdout + chunk.toString()).slice(-8000);
      if (ready.test(stdout)) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${describe()}`));
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export async function stopChild(proc: ChildProcess, graceMs = 20_000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  proc.kill("SIGTERM");
  const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** RSS, peak RSS and CPU time of a live process. */
export async function processStats(pid: number): Promise<ProcessStats> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may contain spaces) start at ") ".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return {
    rssMiB: kib("VmRSS") / 1024,
    peakRssMiB: kib("VmHWM") / 1024,
    cpuSeconds: ticks / CLOCK_TICKS,
  };
}

/**
 * How long a process must stay idle to count as at steady state: long enough for V8's memory
 * reducer, which starts about 8 s after allocation stops, to give unused heap back.
 */
export const IDLE_WINDOW_MS = 10_000;

/**
 * Waits until process `pid` is idle: it used less than `maxCpuShare` of one core over the last
 * `windowMs` (sampled every second), or `timeoutMs` passed. Resolves with the seconds waited.
 * "Steady state" memory is read after this, once the work that follows a phase (status writes,
 * Events, group clean-up) is done and the runtime had time to give memory back.
 */
export async function untilIdle(
  pid: number,
  { windowMs = IDLE_WINDOW_MS, maxCpuShare = 0.03, timeoutMs = 120_000 } = {},
): Promise<number> {
  const started = performance.now();
  const samples: { at: number; cpu: number }[] = [];
  for (;;) {
    const at = performance.now();
    samples.push({ at, cpu: (await processStats(pid)).cpuSeconds });
    // Keep the newest samples that still span the window.
    while (samples.length > 2 && at - samples[1]!.at >= windowMs) samples.shift();
    const first = samples[0]!;
    const spanMs = at - first.at;
    const idle =
      spanMs >= windowMs * 0.9 && (samples.at(-1)!.cpu - first.cpu) / (spanMs / 1000) < maxCpuShare;
    if (idle || at - started >= timeoutMs) return (at - started) / 1000;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The machine's size, recorded with every result. */
export async function machineSize(): Promise<{ cpus: number; memTotalGiB: number }> {
  const { cpus, totalmem } = await import("node:os");
  return { cpus: cpus().length, memTotalGiB: totalmem() / 2 ** 30 };
}
