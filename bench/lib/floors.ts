/**
 * Native floors: the fastest way each target's own tools do a piece of provisioning work, used by
 * the per-connector benchmarks and the end-to-end suite (bench/roster.ts) to put Roster's figures
 * in proportion. Each function returns the elapsed milliseconds of the work alone.
 */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { jsonClient, type JsonClient } from "../../test/harness/http-json.js";

const run = promisify(execFile);
const PSQL = `${process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin"}/psql`;

export interface LdapAdmin {
  url: string;
  adminDN: string;
  adminPassword: string;
}

/** `ldapadd` of an LDIF (adds, or changetype records) over one connection; throws on any failure. */
export async function timeLdapadd(server: LdapAdmin, ldif: string): Promise<number> {
  const started = performance.now();
  const child = spawn("ldapadd", ["-x", "-H", server.url, "-D", server.adminDN, "-w", server.adminPassword], {
    stdio: ["pipe", "ignore", "inherit"],
  });
  child.stdin.end(ldif);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`ldapadd exited with ${code}`);
  return performance.now() - started;
}

export interface PsqlServer {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** Runs SQL statements (one per entry, without the `;`) with psql in one transaction. */
export async function timePsqlScript(server: PsqlServer, statements: string[]): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "roster-bench-sql-"));
  try {
    const file = join(dir, "script.sql");
    await writeFile(file, statements.map((s) => `${s};`).join("\n") + "\n");
    const args = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-h", server.host, "-p", String(server.port)];
    const started = performance.now();
    await run(PSQL, [...args, "-U", server.user, "-d", server.database, "-f", file], {
      env: { ...process.env, PGPASSWORD: server.password },
      maxBuffer: 16 * 1024 * 1024,
    });
    return performance.now() - started;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs `task(i)` for i in [from, to) with `concurrency` in flight; returns the elapsed milliseconds. */
export async function timePool(
  from: number,
  to: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<number> {
  let next = from;
  const start = performance.now();
  const worker = async () => {
    while (next < to) await task(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - start;
}

export interface ScimEndpoint {
  baseURL: string;
  token: string;
}

/** One raw SCIM request with the bearer token; throws unless the status is (one of) `expected`. Returns the parsed body. */
export async function rawScim(
  peer: ScimEndpoint,
  method: string,
  path: string,
  body: unknown,
  expected: number | number[],
): Promise<unknown> {
  const answer = await scimClient(peer).request(method, path, body, "application/scim+json");
  if (![expected].flat().includes(answer.status))
    throw new Error(`raw ${method} ${path} answered ${answer.status}: ${answer.text}`);
  return answer.body;
}

const scimClients = new Map<string, JsonClient>();

/** One keep-alive client per endpoint, so the floor pays no connection setup per request. */
function scimClient(peer: ScimEndpoint): JsonClient {
  const key = `${peer.baseURL} ${peer.token}`;
  let client = scimClients.get(key);
  if (!client) {
    client = jsonClient(peer.baseURL, { authorization: `Bearer ${peer.token}`, accept: "*/*" });
    scimClients.set(key, client);
  }
  return client;
}
