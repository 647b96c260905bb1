/**
 * Benchmark: N users (default 10,000) created through the SCIM connector, compared in the same
 * run, against the same server, with a raw loop of POST /Users at the same concurrency.
 *
 *   npx tsx bench/scim.ts [--count 10000] [--concurrency 8] [--peer better-auth|scimmy|both]
 *
 * The connector's create is one POST (userName is unique, so a uniqueness conflict is resolved by
 * the marker afterwards; no roles here). The raw loop POSTs the same resource bodies. Both keep C
 * requests in flight (the connector's transport is configured with the same concurrency). The
 * machine is shared and its load drifts, so the two sides run interleaved in blocks of 500 users,
 * alternating which goes first, and each side's block times are summed.
 */
import { performance } from "node:perf_hooks";
import { parseScimConfig, ScimConnector } from "../operator/src/connectors/scim/index.js";
import type { DesiredAccount } from "../operator/src/engine/connector.js";
import { startBetterAuthScim, startScimmyServer, type ScimPeer } from "../test/harness/scim.js";
import { rawScim, timePool } from "./lib/floors.js";

const MARKER = "roster.dev/bench";

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? (process.argv[index + 1] ?? "") : undefined;
}
const COUNT = Number(option("--count") ?? 10_000);
const CONCURRENCY = Number(option("--concurrency") ?? 8);
const PEER = option("--peer") ?? "both";

function account(prefix: string, i: number): DesiredAccount {
  const username = `${prefix}-${String(i).padStart(5, "0")}`;
  return {
    username,
    ownerMarker: `${MARKER}#${username}`,
    enabled: true,
    roles: [],
    attributes: {
      displayName: `Bench Person ${i}`,
      givenName: "Bench",
      familyName: `Person ${i}`,
      email: `${username}@bench.example.com`,
      employeeNumber: String(i),
      department: "Benchmarks",
    },
  };
}

/** The same resource the connector sends, written out by hand for the raw loop. */
function rawBody(i: number): Record<string, unknown> {
  const a = account("raw", i);
  const attrs = a.attributes as Record<string, string>;
  return {
    schemas: [
      "urn:ietf:params:scim:schemas:core:2.0:User",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    ],
    userName: a.username,
    externalId: a.ownerMarker,
    active: true,
    displayName: attrs.displayName,
    name: { givenName: attrs.givenName, familyName: attrs.familyName },
    emails: [{ value: attrs.email, type: "work", primary: true }],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
      employeeNumber: attrs.employeeNumber,
      department: attrs.department,
    },
  };
}

const BLOCK = 500;

/** Runs `task(from..to-1)` with `concurrency` in flight; returns the elapsed seconds. */
async function timed(
  from: number,
  to: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<number> {
  return (await timePool(from, to, concurrency, task)) / 1000;
}

async function benchPeer(peer: ScimPeer): Promise<void> {
  const connector = new ScimConnector(
    parseScimConfig({
      baseURL: peer.baseURL,
      auth: { type: "bearer", token: peer.token },
      concurrency: CONCURRENCY,
    }),
  );
  await connector.check();
  const viaConnectorOne = async (i: number) => {
    await connector.apply({ op: "create", account: account("conn", i) });
  };
  const rawOne = async (i: number) => {
    await rawScim(peer, "POST", "/Users", rawBody(i), 201);
  };
  let viaConnector = 0;
  let raw = 0;
  for (let from = 0, block = 0; from < COUNT; from += BLOCK, block += 1) {
    const to = Math.min(COUNT, from + BLOCK);
    const runConnector = async () => (viaConnector += await timed(from, to, CONCURRENCY, viaConnectorOne));
    const runRaw = async () => (raw += await timed(from, to, CONCURRENCY, rawOne));
    if (block % 2 === 0) await runConnector().then(runRaw);
    else await runRaw().then(runConnector);
  }
  const listStart = performance.now();
  const listed = await connector.list();
  const listSeconds = (performance.now() - listStart) / 1000;
  const rate = (s: number) => `${(COUNT / s).toFixed(0)} users/s`;
  console.log(`${peer.name}: ${COUNT} users, concurrency ${CONCURRENCY}`);
  console.log(`  connector apply(create): ${viaConnector.toFixed(2)} s (${rate(viaConnector)})`);
  console.log(`  raw POST loop:           ${raw.toFixed(2)} s (${rate(raw)})`);
  console.log(`  ratio connector / raw:   ${(viaConnector / raw).toFixed(2)}`);
  console.log(`  connector list() of ${listed.length} users: ${listSeconds.toFixed(2)} s`);
}

const starters: Record<string, () => Promise<ScimPeer>> = {
  "better-auth": startBetterAuthScim,
  scimmy: () => startScimmyServer(),
};
for (const name of PEER === "both" ? Object.keys(starters) : [PEER]) {
  const start = starters[name];
  if (!start) throw new Error(`unknown peer ${name}`);
  const peer = await start();
  try {
    await benchPeer(peer);
  } finally {
    await peer.stop();
  }
}
