/**
 * Starts a throwaway PostgreSQL 15 server for tests: initdb into a temp dir (as the `postgres`
 * OS user, since initdb refuses root), listening on 127.0.0.1 at a free port, with a superuser
 * password and scram-sha-256 for TCP connections. `stop()` shuts it down and removes the data.
 */
import { execFile } from "node:child_process";
import { chmod, chown, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort, waitFor } from "./ports.js";

const run = promisify(execFile);
const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  connectionString: string;
  dataDir: string;
  /** Stops the server (fast shutdown) keeping the data directory, for outage tests. */
  pause(): Promise<void>;
  /** Starts a paused server again on the same port. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

async function asPostgres(cmd: string, args: string[]): Promise<void> {
  const isRoot = process.getuid?.() === 0;
  if (isRoot) await run("runuser", ["-u", "postgres", "--", cmd, ...args]);
  else await run(cmd, args);
}

async function postgresIds(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const { stdout } = await run("id", ["postgres"]);
  const uid = Number(/uid=(\d+)/.exec(stdout)?.[1]);
  const gid = Number(/gid=(\d+)/.exec(stdout)?.[1]);
  return { uid, gid };
}

export async function startPostgres(): Promise<PostgresServer> {
  const root = await mkdtemp(join(tmpdir(), "roster-pg-"));
  const dataDir = join(root, "data");
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const pwfile = join(root, "pwfile");
  await writeFile(pwfile, `${password}\n`);
  const ids = await postgresIds();
  if (ids) {
    await chown(root, ids.uid, ids.gid);
    await chown(pwfile, ids.uid, ids.gid);
  }
  await chmod(root, 0o700);
  await asPostgres(`${PG_BIN}/initdb`, [
    "-D",
    dataDir,
    "-U",
    "postgres",
    `--pwfile=${pwfile}`,
    "--auth-local=trust",
    "--auth-host=scram-sha-256",
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
  ]);
  const port = await freePort();
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = () =>
    asPostgres(`${PG_BIN}/pg_ctl`, ["-D", dataDir, "-o", options, "-l", join(root, "log"), "-w", "start"]);
  const stopServer = () => asPostgres(`${PG_BIN}/pg_ctl`, ["-D", dataDir, "-m", "fast", "-w", "stop"]);
  await start();
  const server: PostgresServer = {
    host: "127.0.0.1",
    port,
    user: "postgres",
    password,
    database: "postgres",
    connectionString: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    dataDir,
    pause: stopServer,
    resume: start,
    async stop() {
      await stopServer().catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
  await waitFor("postgres to accept connections", async () => {
    const client = new pg.Client({ connectionString: server.connectionString });
    await client.connect();
    await client.end();
    return true;
  });
  return server;
}
