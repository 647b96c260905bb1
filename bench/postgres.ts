/**
 * Benchmark: N login roles (default 10,000) created through the PostgreSQL connector, compared in
 * the same run, on the same throwaway PostgreSQL 15, with `psql` running the equivalent script
 * (per role: CREATE ROLE ... LOGIN CONNECTION LIMIT, COMMENT ON ROLE with the marker, GRANT).
 *
 *   npx tsx bench/postgres.ts [--count 10000] [--passwords]
 *
 * Connector paths measured: `applyBatch` (creates in transactions of 100, chunks in parallel on
 * the pool) and plain `apply` calls pipelined with the pool's concurrency. `--passwords` gives
 * every role a password: the connector sends client-side SCRAM verifiers, psql sends plaintext
 * that the server hashes (4096 PBKDF2 rounds each, on both sides), so both do the same work.
 * Also reported: one `list()` of every managed role with memberships.
 */
import { execFile } from "node:child_process";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { PostgresConnector } from "../operator/src/connectors/postgres/index.js";
import { commentOnRoleSql, createRoleSql, grantRolesSql } from "../operator/src/connectors/postgres/sql.js";
import { formatRoleComment } from "../operator/src/connectors/postgres/marker.js";
import type { AccountChange, DesiredAccount } from "../operator/src/engine/connector.js";
import { startPostgres, type PostgresServer } from "../test/harness/postgres.js";
import { timePsqlScript } from "./lib/floors.js";

const run = promisify(execFile);
const PSQL = `${process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin"}/psql`;
const MARKER = "roster.dev/bench";
const GROUP = "bench_staff";
const POOL_SIZE = 4;

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? (process.argv[index + 1] ?? "") : undefined;
}
const COUNT = Number(option("--count") ?? 10_000);
const PASSWORDS = process.argv.includes("--passwords");

function account(prefix: string, i: number): DesiredAccount {
  const username = `${prefix}-${String(i).padStart(5, "0")}`;
  return {
    username,
    ownerMarker: MARKER,
    enabled: true,
    attributes: { displayName: `Bench Person ${i}`, connectionLimit: "2" },
    roles: [GROUP],
    ...(PASSWORDS ? { password: `Bench-${i}-Pa55` } : {}),
  };
}

async function timed(label: string, work: () => Promise<void>, roles = COUNT): Promise<number> {
  const start = performance.now();
  await work();
  const ms = performance.now() - start;
  console.log(
    `${label.padEnd(48)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${Math.round((roles / ms) * 1000)} roles/s`,
  );
  return ms;
}

async function viaBatch(connector: PostgresConnector): Promise<void> {
  const changes: AccountChange[] = Array.from({ length: COUNT }, (_, i) => ({
    op: "create",
    account: account("batch", i),
  }));
  const outcomes = await connector.applyBatch(changes);
  const failed = outcomes.filter((o) => !o.ok).length;
  if (failed > 0) throw new Error(`${failed} batched creates failed`);
}

async function viaApply(connector: PostgresConnector): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < COUNT) await connector.apply({ op: "create", account: account("single", next++) });
  };
  await Promise.all(Array.from({ length: POOL_SIZE }, worker));
}

/** The equivalent plain SQL, run by psql in one transaction. */
async function viaPsql(server: PostgresServer): Promise<void> {
  const statements: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    const a = account("psql", i);
    const comment = formatRoleComment({ owner: MARKER, attributes: { displayName: `Bench Person ${i}` } });
    const password = a.password !== undefined ? { password: a.password } : {};
    statements.push(createRoleSql(a.username, { login: true, connectionLimit: 2, ...password }));
    statements.push(commentOnRoleSql(a.username, comment));
    const grant = grantRolesSql([GROUP], a.username);
    if (grant) statements.push(grant);
  }
  await timePsqlScript(server, statements);
}

async function main(): Promise<void> {
  const server = await startPostgres();
  const connector = new PostgresConnector({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    database: server.database,
    poolSize: POOL_SIZE,
  });
  try {
    await run(
      PSQL,
      [
        "-X",
        "-q",
        "-h",
        server.host,
        "-p",
        String(server.port),
        "-U",
        server.user,
        "-c",
        `CREATE ROLE ${GROUP} NOLOGIN`,
        server.database,
      ],
      {
        env: { ...process.env, PGPASSWORD: server.password },
      },
    );
    console.log(
      `PostgreSQL 15, ${COUNT} roles each way${PASSWORDS ? ", with passwords" : ""}, pool ${POOL_SIZE}`,
    );
    const psql = await timed("psql, equivalent script in one transaction", () => viaPsql(server));
    const batch = await timed("connector applyBatch (100 per transaction)", () => viaBatch(connector));
    const single = await timed(`connector apply, ${POOL_SIZE} in flight`, () => viaApply(connector));
    let managed = 0;
    const list = async () => {
      managed = (await connector.list({ roles: [GROUP] })).filter((a) => a.owner === MARKER).length;
    };
    await timed("connector list(), one query, every managed role", list, 3 * COUNT);
    console.log(`list() returned ${managed} managed roles with memberships (psql's carry the marker too)`);
    console.log(`ratio applyBatch / psql: ${(batch / psql).toFixed(2)}x`);
    console.log(`ratio apply / psql:      ${(single / psql).toFixed(2)}x`);
  } finally {
    await connector.close();
    await server.stop();
  }
}

await main();
