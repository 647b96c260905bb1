/**
 * Which operating-system processes the playground started, read from /proc: its children (slapd,
 * the SCIM app, Samba) and the PostgreSQL servers that pg_ctl detached from it. The list is
 * recorded in the data directory so a later start can end what a killed playground left behind.
 */
import { readdir, readFile, rm, writeFile } from "node:fs/promises";

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** argv joined with spaces. */
  cmdline: string;
}

async function readProcess(pid: number): Promise<ProcessInfo | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0").join(" ").trim();
    return { pid, ppid, cmdline };
  } catch {
    return undefined; // exited while being read
  }
}

export async function listProcesses(): Promise<ProcessInfo[]> {
  const pids = (await readdir("/proc")).filter((n) => /^\d+$/.test(n)).map(Number);
  const all = await Promise.all(pids.map(readProcess));
  return all.filter((p): p is ProcessInfo => p !== undefined);
}

/** Every process below `root` in the process tree. */
export function descendantsOf(root: number, processes: ProcessInfo[]): ProcessInfo[] {
  const result: ProcessInfo[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop();
    for (const p of processes) {
      if (p.ppid === parent) {
        result.push(p);
        frontier.push(p.pid);
      }
    }
  }
  return result;
}

/** The PostgreSQL postmaster listening on `port` (its argv holds `-p <port>`). */
export function postmasterOn(port: number, processes: ProcessInfo[]): ProcessInfo | undefined {
  return processes.find((p) => /\/postgres -D /.test(p.cmdline) && p.cmdline.includes(` -p ${port} `));
}

/** Ports of the PostgreSQL servers named in children's argv (the SCIM app's --database-url). */
export function databasePortsIn(processes: ProcessInfo[]): number[] {
  return processes.flatMap((p) => {
    const match = /--database-url postgres(?:ql)?:\/\/\S*@[^:/\s]+:(\d+)\//.exec(p.cmdline);
    return match?.[1] ? [Number(match[1])] : [];
  });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Records the started processes so that `endLeftovers` can find them after a crash. */
export async function recordProcesses(file: string, processes: ProcessInfo[]): Promise<void> {
  await writeFile(file, JSON.stringify(processes.map(({ pid, cmdline }) => ({ pid, cmdline }))));
}

/**
 * Ends the processes a previous playground recorded and that still run with the same argv (a pid
 * reused by an unrelated process is left alone); returns how many it ended.
 */
export async function endLeftovers(file: string): Promise<number> {
  let recorded: Array<{ pid: number; cmdline: string }>;
  try {
    recorded = JSON.parse(await readFile(file, "utf8")) as typeof recorded;
  } catch {
    return 0;
  }
  let ended = 0;
  for (const { pid, cmdline } of recorded) {
    const current = await readProcess(pid);
    if (current?.cmdline !== cmdline) continue;
    // SIGINT is PostgreSQL's fast shutdown (SIGTERM would wait for its clients); others end on SIGTERM.
    process.kill(pid, /\/postgres -D /.test(cmdline) ? "SIGINT" : "SIGTERM");
    ended++;
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
  }
  await rm(file, { force: true });
  return ended;
}
