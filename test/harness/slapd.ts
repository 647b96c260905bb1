/**
 * Starts a throwaway OpenLDAP server (Debian's slapd) for tests: a slapd.conf in a temp dir with
 * back_mdb, the core / cosine / inetorgperson / nis schemas and the ppolicy overlay (a default
 * policy with `pwdLockout: TRUE`, so `pwdAccountLockedTime` really refuses binds), listening on
 * 127.0.0.1 at a free port. The tree holds the base entry, ou=people and ou=groups.
 * `pause()` stops slapd keeping its data (outage tests); `resume()` starts it again on the same port.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "ldapts";
import { freePort, waitFor } from "./ports.js";

const SLAPD = process.env.SLAPD_BIN ?? "/usr/sbin/slapd";
const SCHEMA_DIR = "/etc/ldap/schema";
const MODULE_DIR = "/usr/lib/ldap";

export interface SlapdServer {
  url: string;
  port: number;
  baseDN: string;
  peopleDN: string;
  groupsDN: string;
  adminDN: string;
  adminPassword: string;
  /** Stops slapd, keeping its database, so clients see the server down. */
  pause(): Promise<void>;
  /** Starts a paused slapd again on the same port and waits until it answers. */
  resume(): Promise<void>;
  /** Suspends the slapd process (SIGSTOP): connections stay open but nothing answers. */
  freeze(): void;
  /** Lets a frozen slapd run again (SIGCONT). */
  thaw(): void;
  stop(): Promise<void>;
}

function slapdConf(dir: string, baseDN: string, adminDN: string, adminPassword: string): string {
  return [
    ...["core", "cosine", "inetorgperson", "nis"].map((name) => `include ${SCHEMA_DIR}/${name}.schema`),
    `modulepath ${MODULE_DIR}`,
    "moduleload back_mdb.la",
    "moduleload ppolicy.la",
    `pidfile ${join(dir, "slapd.pid")}`,
    `argsfile ${join(dir, "slapd.args")}`,
    "sizelimit unlimited",
    "database mdb",
    "maxsize 1073741824",
    `suffix "${baseDN}"`,
    `rootdn "${adminDN}"`,
    `rootpw ${adminPassword}`,
    `directory ${join(dir, "data")}`,
    "dbnosync",
    "index objectClass eq",
    "index uid,cn,mail eq,sub",
    "index member,uniqueMember,memberUid eq",
    "overlay ppolicy",
    `ppolicy_default "cn=default,ou=policies,${baseDN}"`,
    "",
  ].join("\n");
}

function baseLdif(baseDN: string): string {
  const dc = /^dc=([^,]+)/i.exec(baseDN)?.[1] ?? "roster";
  return `dn: ${baseDN}
objectClass: dcObject
objectClass: organization
o: ${dc}
dc: ${dc}

dn: ou=people,${baseDN}
objectClass: organizationalUnit
ou: people

dn: ou=groups,${baseDN}
objectClass: organizationalUnit
ou: groups

dn: ou=policies,${baseDN}
objectClass: organizationalUnit
ou: policies

dn: cn=default,ou=policies,${baseDN}
objectClass: organizationalRole
objectClass: pwdPolicy
cn: default
pwdAttribute: userPassword
pwdLockout: TRUE
pwdMaxFailure: 0
`;
}

async function runToEnd(cmd: string, args: string[], input?: string): Promise<void> {
  const child = spawn(cmd, args, { stdio: ["pipe", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input ?? "");
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`${cmd} exited with ${code}: ${stderr.trim()}`);
}

export async function startSlapd(options: { baseDN?: string } = {}): Promise<SlapdServer> {
  const dir = await mkdtemp(join(tmpdir(), "roster-slapd-"));
  await mkdir(join(dir, "data"));
  const baseDN = options.baseDN ?? "dc=roster,dc=test";
  const adminDN = `cn=admin,${baseDN}`;
  const adminPassword = `pw-${Math.random().toString(36).slice(2)}`;
  const confFile = join(dir, "slapd.conf");
  await writeFile(confFile, slapdConf(dir, baseDN, adminDN, adminPassword));
  // The base tree is loaded offline, before the server starts.
  await runToEnd("/usr/sbin/slapadd", ["-f", confFile, "-q"], baseLdif(baseDN));
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let stderr = "";

  const start = async () => {
    stderr = "";
    const proc = spawn(SLAPD, ["-f", confFile, "-h", `${url}/`, "-d", "0"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    proc.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child = proc;
    await waitFor(`slapd on ${url}`, async () => {
      if (proc.exitCode !== null) throw new Error(`slapd exited with ${proc.exitCode}: ${stderr.trim()}`);
      const client = new Client({ url, connectTimeout: 1000, timeout: 2000 });
      try {
        await client.bind(adminDN, adminPassword);
        return true;
      } finally {
        await client.unbind().catch(() => undefined);
      }
    });
  };
  const halt = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    proc.kill("SIGCONT");
    const exited = new Promise((resolve) => proc.once("exit", resolve));
    proc.kill("SIGTERM");
    await exited;
  };

  await start();
  return {
    url,
    port,
    baseDN,
    peopleDN: `ou=people,${baseDN}`,
    groupsDN: `ou=groups,${baseDN}`,
    adminDN,
    adminPassword,
    pause: halt,
    resume: start,
    freeze: () => child?.kill("SIGSTOP"),
    thaw: () => child?.kill("SIGCONT"),
    async stop() {
      await halt();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` with a client bound as the server's administrator (for fixtures and inspection). */
export async function withSlapdAdmin<T>(server: SlapdServer, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url: server.url, timeout: 10_000 });
  try {
    await client.bind(server.adminDN, server.adminPassword);
    return await fn(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** Whether a simple bind as `dn` with `password` succeeds (false on invalid credentials / locked). */
export async function canBind(url: string, dn: string, password: string): Promise<boolean> {
  const client = new Client({
    url,
    timeout: 10_000,
    tlsOptions: url.startsWith("ldaps:") ? { rejectUnauthorized: false } : undefined,
  });
  try {
    await client.bind(dn, password);
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 49) return false;
    throw err;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/**
 * The groups (cn, sorted) under the server's groupsDN that list `uid=<username>,<peopleDN>` as a
 * member, read straight from the directory. For test assertions; the username is a plain test name.
 */
export async function groupsOf(server: SlapdServer, username: string): Promise<string[]> {
  return withSlapdAdmin(server, async (client) => {
    const { searchEntries } = await client.search(server.groupsDN, {
      filter: `(member=uid=${username},${server.peopleDN})`,
      attributes: ["cn"],
    });
    return searchEntries.map((e) => String(e.cn)).sort();
  });
}
