/**
 * Installs what the playground needs and is missing, saying what it runs: Debian packages
 * (OpenLDAP, the LDAP and PostgreSQL clients, jq and curl for the walkthrough, Samba only for
 * --with-ad) and the SCIM demo app's npm dependencies (test/peers). kubectl cannot come from
 * Debian's archive in a usable version, so its absence is an error with a hint.
 */
import { spawn } from "node:child_process";
import { access } from "node:fs/promises";
import path from "node:path";

const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

/** A file whose absence means the Debian package must be installed. */
interface Requirement {
  file: string;
  pkg: string;
  /** Daemons the package starts on install, stopped again (the playground runs its own). */
  services?: string[];
}

const BASE: Requirement[] = [
  { file: "/usr/sbin/slapd", pkg: "slapd", services: ["slapd"] },
  { file: "/usr/bin/ldapsearch", pkg: "ldap-utils" },
  { file: `${PG_BIN}/initdb`, pkg: "postgresql-15", services: ["postgresql"] },
  { file: "/usr/bin/psql", pkg: "postgresql-client-15" },
  { file: "/usr/bin/jq", pkg: "jq" },
  { file: "/usr/bin/curl", pkg: "curl" },
];

const AD: Requirement[] = [
  { file: "/usr/sbin/samba", pkg: "samba", services: ["samba-ad-dc", "smbd", "nmbd"] },
  { file: "/usr/bin/samba-tool", pkg: "samba-ad-dc", services: ["samba-ad-dc"] },
  { file: "/usr/sbin/winbindd", pkg: "winbind", services: ["winbind"] },
  { file: "/usr/bin/kinit", pkg: "krb5-user" },
];

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** Runs a command with inherited output (the user sees apt and npm progress); rejects on failure. */
function runVisible(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "inherit", "inherit"], ...options });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited with ${code}`)),
    );
  });
}

async function missing(requirements: Requirement[]): Promise<Requirement[]> {
  const result: Requirement[] = [];
  for (const r of requirements) if (!(await exists(r.file))) result.push(r);
  return result;
}

async function installPackages(needed: Requirement[], say: (line: string) => void): Promise<void> {
  const packages = [...new Set(needed.map((r) => r.pkg))];
  const command = `apt-get install -y --no-install-recommends ${packages.join(" ")}`;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages; run as root: apt-get update && ${command}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  say(`installing: apt-get update && ${command}`);
  await runVisible("apt-get", ["update", "-qq"], { env });
  await runVisible("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], { env });
  const services = [...new Set(needed.flatMap((r) => r.services ?? []))];
  if (services.length > 0) {
    say(
      `stopping the daemons Debian started on install (the playground runs its own): ${services.join(" ")}`,
    );
    for (const service of services) await runVisible("service", [service, "stop"]).catch(() => undefined);
  }
}

async function commandOnPath(name: string): Promise<boolean> {
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  for (const dir of dirs) if (await exists(path.join(dir, name))) return true;
  return false;
}

/** Makes sure every program and package the playground starts is present; installs what is not. */
export async function ensurePrerequisites(options: {
  withAd: boolean;
  peersDir: string;
  say: (line: string) => void;
}): Promise<void> {
  const { say } = options;
  const needed = await missing([...BASE, ...(options.withAd ? AD : [])]);
  if (needed.length > 0) await installPackages(needed, say);
  if (!(await commandOnPath("kubectl"))) {
    throw new Error(
      "kubectl is not on PATH: install kubectl 1.27 or later (https://kubernetes.io/docs/tasks/tools/)",
    );
  }
  if (!(await exists(path.join(options.peersDir, "node_modules")))) {
    say(`installing the SCIM demo app's dependencies: (cd ${options.peersDir} && npm ci)`);
    await runVisible("npm", ["ci", "--no-audit", "--no-fund"], { cwd: options.peersDir });
  }
}
