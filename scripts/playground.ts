/**
 * The local playground, the README's first command (`npm start`): installs what is missing,
 * starts Roster's local API server (HTTPS, state kept in the data directory), OpenLDAP,
 * PostgreSQL, the Better Auth SCIM app (and Samba AD with --with-ad), applies the CRDs and the
 * manifests of manifests/playground/, runs the operator in-process, and shows a live view of the
 * Users and their accounts. Ctrl-C stops everything it started.
 *
 *   npm start -- [--with-ad] [--data-dir DIR] [--port N] [--no-view]
 *
 * `startPlayground(options)` does the same programmatically (the integration test uses it).
 */
import { chmod, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import pino from "pino";
import { OperatorConfig, startOperator } from "../operator/src/main.js";
import { startLocalKube, type LocalKube } from "../test/harness/localkube.js";
import { installCrds } from "../test/harness/roster.js";
import { applyAll, createMissing } from "./playground/apply.js";
import { CleanupStack } from "./playground/cleanup.js";
import { ensurePrerequisites } from "./playground/install.js";
import { loadManifests, rolesOf, TARGET_NAMES } from "./playground/manifests.js";
import {
  databasePortsIn,
  descendantsOf,
  endLeftovers,
  isAlive,
  listProcesses,
  postmasterOn,
  recordProcesses,
  type ProcessInfo,
} from "./playground/processes.js";
import {
  environmentScript,
  seedDirectories,
  startTargetSystems,
  templateValues,
  type TargetSystems,
} from "./playground/systems.js";
import { startLiveView } from "./playground/view.js";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const MANIFESTS = path.join(REPO, "manifests", "playground");
const PEERS = path.join(REPO, "test", "peers");
export const DEFAULT_DATA_DIR = path.join(REPO, ".data", "playground");

export interface PlaygroundOptions {
  /** Everything the playground keeps: API server state, kubeconfig, env.sh, operator.log. */
  dataDir?: string;
  /** Port of the local API server (HTTPS); 0 picks a free one. Default: 6443. */
  port?: number;
  withAd?: boolean;
  /** Install missing Debian packages and test/peers' npm dependencies. Default: true. */
  install?: boolean;
  /** Progress lines. Default: stdout. */
  say?: (line: string) => void;
  /** Aborting stops the start-up after the step that runs, and stops what was started. */
  signal?: AbortSignal;
  operatorLogLevel?: string;
  /**
   * Emptied at start, once what a killed playground left running is ended. The test harnesses
   * create the servers' working directories in os.tmpdir(): the CLI points TMPDIR here so that
   * they live in the data directory too.
   */
  scratchDir?: string;
}

export interface Playground {
  kubeconfigPath: string;
  /** A shell file with KUBECONFIG and the local servers' connection variables. */
  envPath: string;
  kube: LocalKube;
  systems: TargetSystems;
  /** The operating-system processes the playground started that still run. */
  processes(): Promise<ProcessInfo[]>;
  stop(): Promise<void>;
}

/** Refuses a second playground on the same data directory; the lock is removed on stop. */
async function takeLock(dataDir: string, stack: CleanupStack): Promise<void> {
  const file = path.join(dataDir, "playground.pid");
  const holder = Number(await readFile(file, "utf8").catch(() => "0"));
  if (holder && holder !== process.pid && isAlive(holder)) {
    throw new Error(`another playground (pid ${holder}) is running with ${dataDir}; stop it first`);
  }
  await writeFile(file, String(process.pid));
  stack.push("release the data directory", () => rm(file, { force: true }));
}

/** The processes started after `baseline` (pids that were children before): children, and the detached PostgreSQL servers. */
async function startedProcesses(baseline: Set<number>, postgresPort: number): Promise<ProcessInfo[]> {
  const all = await listProcesses();
  const children = descendantsOf(process.pid, all).filter((p) => !baseline.has(p.pid));
  const ports = [postgresPort, ...databasePortsIn(children)];
  const postmasters = ports.map((port) => postmasterOn(port, all)).filter((p) => p !== undefined);
  return [...children, ...postmasters, ...postmasters.flatMap((p) => descendantsOf(p.pid, all))];
}

async function startKube(dataDir: string, port: number, stack: CleanupStack) {
  const kube = await startLocalKube({
    tls: true,
    dataDir: path.join(dataDir, "kube"),
    server: { port },
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "EADDRINUSE") throw new Error(`port ${port} is in use: choose another with --port`);
    throw err;
  });
  stack.push("stop the API server", () => kube.stop());
  const kubeconfigPath = path.join(dataDir, "kubeconfig");
  await writeFile(kubeconfigPath, kube.server.kubeconfig(), { mode: 0o600 });
  await installCrds(kube);
  return { kube, kubeconfigPath };
}

async function applyManifests(kube: LocalKube, systems: TargetSystems, say: (line: string) => void) {
  const names: string[] = [TARGET_NAMES.ldap, TARGET_NAMES.postgres, TARGET_NAMES.scim];
  if (systems.ad) names.push(TARGET_NAMES.ad);
  await seedDirectories(systems, {
    ldap: await rolesOf(MANIFESTS, TARGET_NAMES.ldap),
    ad: await rolesOf(MANIFESTS, TARGET_NAMES.ad),
  });
  const manifests = await loadManifests(MANIFESTS, names, templateValues(systems));
  await applyAll(kube, manifests.infrastructure);
  const created = await createMissing(kube, manifests.seed);
  say(created.length > 0 ? `created ${created.join(", ")}` : "grants and users kept from the last run");
}

async function runOperator(kube: LocalKube, dataDir: string, level: string, stack: CleanupStack) {
  const destination = pino.destination({ dest: path.join(dataDir, "operator.log"), sync: true });
  const logger = pino({ level, base: { component: "roster" } }, destination);
  const config = OperatorConfig.parse({
    httpPort: 0,
    httpHost: "127.0.0.1",
    leaderElection: { enabled: false },
  });
  const operator = await startOperator(config, { kubeConfig: kube.kubeConfig, logger });
  stack.push("stop the operator", async () => {
    await operator.stop();
    destination.end();
  });
}

export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const dataDir = path.resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const say = options.say ?? ((line: string) => process.stdout.write(`${line}\n`));
  const checkpoint = () => options.signal?.throwIfAborted();
  const stack = new CleanupStack();
  await mkdir(dataDir, { recursive: true });
  try {
    await takeLock(dataDir, stack);
    const leftovers = await endLeftovers(path.join(dataDir, "processes.json"));
    if (leftovers > 0) say(`ended ${leftovers} processes a previous playground left running`);
    if (options.scratchDir) {
      await rm(options.scratchDir, { recursive: true, force: true });
      await mkdir(options.scratchDir, { recursive: true });
      await chmod(options.scratchDir, 0o755); // PostgreSQL runs as the postgres user and must reach its directory
    }
    if (options.install ?? true)
      await ensurePrerequisites({ withAd: options.withAd ?? false, peersDir: PEERS, say });
    checkpoint();
    const baseline = new Set(descendantsOf(process.pid, await listProcesses()).map((p) => p.pid));
    say("starting the local API server");
    const { kube, kubeconfigPath } = await startKube(dataDir, options.port ?? 6443, stack);
    checkpoint();
    say(`starting OpenLDAP, PostgreSQL, the SCIM app${options.withAd ? " and Samba AD" : ""}`);
    const systems = await startTargetSystems(stack, options.withAd ?? false);
    const processes = () =>
      startedProcesses(baseline, systems.postgres.port).then((ps) => ps.filter((p) => isAlive(p.pid)));
    checkpoint();
    await applyManifests(kube, systems, say);
    await runOperator(kube, dataDir, options.operatorLogLevel ?? "info", stack);
    const envPath = path.join(dataDir, "env.sh");
    await writeFile(envPath, environmentScript(systems, kubeconfigPath), { mode: 0o600 });
    await recordProcesses(path.join(dataDir, "processes.json"), await processes());
    return {
      kubeconfigPath,
      envPath,
      kube,
      systems,
      processes,
      async stop() {
        const errors = await stack.unwind((step) => say(step));
        if (errors.length > 0) throw new AggregateError(errors, errors.map((e) => e.message).join("; "));
        await rm(path.join(dataDir, "processes.json"), { force: true });
      },
    };
  } catch (err) {
    await stack.unwind((step) => say(step));
    throw err;
  }
}

/** Whether the postgres OS user can reach `dir` (every ancestor searchable by others). */
async function reachableByOthers(dir: string): Promise<boolean> {
  for (let current = dir; ; current = path.dirname(current)) {
    const mode = await stat(current).then(
      (s) => s.mode,
      () => 0o755, // not created yet: mkdir makes it 0755
    );
    if ((mode & 0o001) === 0) return false;
    if (current === path.dirname(current)) return true;
  }
}

function parseCli(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      "with-ad": { type: "boolean", default: false },
      "data-dir": { type: "string" },
      port: { type: "string", default: "6443" },
      "no-view": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port ${values.port} is not a port`);
  return {
    help: values.help,
    view: !values["no-view"],
    options: {
      dataDir: path.resolve(values["data-dir"] ?? DEFAULT_DATA_DIR),
      port,
      withAd: values["with-ad"],
    },
  };
}

const USAGE = `usage: npm start -- [--with-ad] [--data-dir DIR] [--port N] [--no-view]
  --with-ad      also start Samba AD (an Active Directory domain controller) and a Target for it
  --data-dir     where everything is kept (default .data/playground in the checkout)
  --port         port of the local Kubernetes API server (default 6443)
  --no-view      no live view of users and accounts (only the connection details)`;

function instructions(playground: Playground, dataDir: string): string {
  const rel = (p: string) => {
    const relative = path.relative(process.cwd(), p);
    return relative.startsWith("..") ? p : relative;
  };
  return [
    "Roster playground is running. In another shell:",
    `  export KUBECONFIG=${playground.kubeconfigPath}`,
    `  source ${rel(playground.envPath)}   # KUBECONFIG plus settings for ldapsearch, psql and scim (curl)`,
    `Operator log: ${rel(path.join(dataDir, "operator.log"))}. Ctrl-C stops everything.`,
  ].join("\n");
}

async function main(): Promise<void> {
  const cli = parseCli(process.argv.slice(2));
  if (cli.help) return void process.stdout.write(`${USAGE}\n`);
  const scratchDir = path.join(cli.options.dataDir, "run");
  const say = (line: string) => process.stdout.write(`${line}\n`);
  if (await reachableByOthers(cli.options.dataDir)) process.env.TMPDIR = scratchDir;
  else
    say(
      `note: the postgres user cannot reach ${cli.options.dataDir}; servers keep their files in ${process.env.TMPDIR ?? "/tmp"}`,
    );
  const abort = new AbortController();
  let stopRequestedAt: number | undefined;
  let stopView = () => {};
  let playground: Playground | undefined;
  const stop = () => {
    // Wrappers (npm, tsx) may relay the same Ctrl-C again: only a later one means "leave at once".
    if (stopRequestedAt !== undefined) {
      if (Date.now() - stopRequestedAt > 2000) process.exit(130);
      return;
    }
    stopRequestedAt = Date.now();
    say("\nstopping...");
    stopView();
    // During start-up, startPlayground stops what it started and rejects; main's caller exits.
    if (!playground) return abort.abort();
    playground.stop().then(
      () => process.exit(0),
      (err: unknown) => (console.error((err as Error).message), process.exit(1)),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    playground = await startPlayground({ ...cli.options, scratchDir, signal: abort.signal, say });
  } catch (err) {
    if (abort.signal.aborted) return process.exit(130);
    throw err;
  }
  const text = instructions(playground, cli.options.dataDir);
  if (!cli.view) return void say(text);
  stopView = startLiveView(playground.kube.kubeConfig, process.stdout, { title: text }).stop;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(`playground: ${(err as Error).message}`);
    process.exit(1);
  });
}
