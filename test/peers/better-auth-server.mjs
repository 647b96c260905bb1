// A real third-party SCIM 2.0 service provider for Roster's tests: Better Auth with its SCIM
// plugin, on PostgreSQL through `pg`. Nothing here is Roster code; it only wires the framework up.
//
//   node test/peers/better-auth-server.mjs --port P --database-url URL --token T
//
// Runs Better Auth's migrations, serves SCIM under /api/auth/scim/v2/ on 127.0.0.1:P with the
// static bearer token T, and prints one line `READY <baseURL>` on stdout when it accepts requests.
import { createServer } from "node:http";
import process from "node:process";
import { parseArgs } from "node:util";
import { betterAuth } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import { toNodeHandler } from "better-auth/node";
import { scim } from "@better-auth/scim";
import pg from "pg";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    "database-url": { type: "string" },
    token: { type: "string" },
  },
});
if (!values.port || !values["database-url"] || !values.token) {
  process.stderr.write("usage: better-auth-server.mjs --port P --database-url URL --token T" + "\n");
  process.exit(2);
}

const origin = `http://127.0.0.1:${values.port}`;
const pool = new pg.Pool({ connectionString: values["database-url"], max: 20 });
const auth = betterAuth({
  baseURL: origin,
  secret: "roster-test-peer-secret-not-a-real-secret-0123456789",
  database: pool,
  telemetry: { enabled: false },
  plugins: [
    scim({
      connections: [
        { id: "roster", credentials: [{ type: "bearer", id: "roster-ci", token: values.token }] },
      ],
    }),
  ],
});

const { runMigrations } = await getMigrations(auth.options);
await runMigrations();

const server = createServer(toNodeHandler(auth));
server.listen(Number(values.port), "127.0.0.1", () => {
  process.stdout.write(`READY ${origin}/api/auth/scim/v2\n`);
});

const shutdown = () => server.close(() => pool.end().finally(() => process.exit(0)));
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
