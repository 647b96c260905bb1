/**
 * Starts a throwaway Samba 4 Active Directory domain controller for tests: `samba-tool domain
 * provision` into a temp dir (realm ROSTER.TEST, no DNS, loopback only, every state / lock / pid /
 * log directory inside the temp dir so a system Samba is never touched), then `samba -i -M single`
 * serving only LDAP. Samba listens on the fixed ports 389 / 636 of 127.0.0.1, so only one DC can
 * run on a machine at a time: a second start in the same process is refused with a clear message;
 * a start from another process (a parallel test run) waits for the first DC to stop (up to
 * SAMBA_LOCK_WAIT_MS, default 2 minutes), then is refused. Provisioning and start take 10-20 s:
 * share one DC per test file.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, open, readFile, rm, unlink } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "ldapts";
import { waitFor } from "./ports.js";

export interface SambaDc {
  url: string;
  baseDN: string;
  realm: string;
  adminDN: string;
  adminPassword: string;
  stop(): Promise<void>;
}

const SAMBA = process.env.SAMBA_BIN ?? "/usr/sbin/samba";
const SAMBA_TOOL = process.env.SAMBA_TOOL_BIN ?? "/usr/bin/samba-tool";
const LOCK_FILE = join(tmpdir(), "roster-samba-dc.lock");
const REALM = "ROSTER.TEST";
const BASE_DN = "DC=roster,DC=test";

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** How long a start waits for a DC of another process (another test run) to finish. */
const OTHER_PROCESS_WAIT_MS = Number(process.env.SAMBA_LOCK_WAIT_MS ?? 120_000);

function refusal(holder: number, detail: string): Error {
  return new Error(
    `a Samba AD DC is already running for process ${holder} (lock ${LOCK_FILE})${detail}; ` +
      "Samba serves the fixed ports 389/636, so only one DC can run at a time: share one DC per test file",
  );
}

/** Tries once to create the lock; returns the live holder's pid when someone else holds it. */
async function tryLock(): Promise<number | undefined> {
  try {
    const handle = await open(LOCK_FILE, "wx");
    await handle.writeFile(String(process.pid));
    await handle.close();
    return undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const holder = Number(await readFile(LOCK_FILE, "utf8").catch(() => "0"));
  if (holder && processAlive(holder)) return holder;
  await unlink(LOCK_FILE).catch(() => undefined); // stale: its process is gone
  return tryLock();
}

/**
 * Takes the machine-wide DC lock. A second DC in the same process is refused at once; a DC of
 * another process (a parallel test run on a shared machine) is waited for, then refused.
 */
async function acquireLock(): Promise<void> {
  const deadline = Date.now() + OTHER_PROCESS_WAIT_MS;
  for (;;) {
    const holder = await tryLock();
    if (holder === undefined) return;
    if (holder === process.pid) throw refusal(holder, " in this process");
    if (Date.now() > deadline) throw refusal(holder, ` (waited ${OTHER_PROCESS_WAIT_MS} ms)`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function run(cmd: string, args: string[]): Promise<void> {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`${cmd} ${args[0] ?? ""} exited with ${code}: ${output.trim()}`);
}

async function provision(dir: string, adminPassword: string): Promise<string> {
  const option = (setting: string) => `--option=${setting}`;
  await run(SAMBA_TOOL, [
    "domain",
    "provision",
    `--targetdir=${dir}`,
    `--realm=${REALM}`,
    "--domain=ROSTER",
    "--server-role=dc",
    "--dns-backend=NONE",
    `--adminpass=${adminPassword}`,
    option("interfaces=lo"),
    option("bind interfaces only=yes"),
    option(`pid directory=${join(dir, "run")}`),
    option(`log file=${join(dir, "log.%m")}`),
    option("server services=ldap"),
  ]);
  return join(dir, "etc", "smb.conf");
}

async function ldapsAnswers(adminDN: string, adminPassword: string): Promise<boolean> {
  const client = new Client({
    url: "ldaps://127.0.0.1:636",
    connectTimeout: 2000,
    timeout: 5000,
    tlsOptions: { rejectUnauthorized: false },
  });
  try {
    await client.bind(adminDN, adminPassword);
    return true;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-child.pid, "SIGTERM");
  const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, "SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function startSambaDc(): Promise<SambaDc> {
  await acquireLock();
  let dir: string | undefined;
  let child: ChildProcess | undefined;
  const cleanup = async () => {
    if (child) await stopProcess(child);
    if (dir) await rm(dir, { recursive: true, force: true });
    await unlink(LOCK_FILE).catch(() => undefined);
  };
  try {
    if ((await portOpen(636)) || (await portOpen(389))) {
      throw new Error(
        "127.0.0.1:389 or :636 is already in use (a system slapd or Samba?); the Samba DC harness needs both",
      );
    }
    dir = await mkdtemp(join(tmpdir(), "roster-samba-"));
    const adminPassword = `Adm1n-${Math.random().toString(36).slice(2, 10)}!`;
    const adminDN = `CN=Administrator,CN=Users,${BASE_DN}`;
    const conf = await provision(dir, adminPassword);
    let log = "";
    const proc = spawn(SAMBA, ["-s", conf, "-i", "-M", "single"], {
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    proc.stdout?.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    proc.stderr?.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    child = proc;
    await waitFor(
      "Samba LDAPS on 127.0.0.1:636",
      async () => {
        if (proc.exitCode !== null) throw new Error(`samba exited with ${proc.exitCode}: ${log.trim()}`);
        return ldapsAnswers(adminDN, adminPassword);
      },
      90_000,
      250,
    );
    return {
      url: "ldaps://127.0.0.1:636",
      baseDN: BASE_DN,
      realm: REALM,
      adminDN,
      adminPassword,
      stop: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** Runs `fn` with a client bound (over LDAPS) as the domain administrator. */
export async function withSambaAdmin<T>(dc: SambaDc, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url: dc.url, timeout: 30_000, tlsOptions: { rejectUnauthorized: false } });
  try {
    await client.bind(dc.adminDN, dc.adminPassword);
    return await fn(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}
