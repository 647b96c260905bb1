/**
 * End-to-end benchmark of Roster: the local API server and the operator as separate child
 * processes, real OpenLDAP, PostgreSQL and the Better Auth SCIM app, birthright grants by label
 * selector to every target. Scenarios (issue 10): initial convergence against each target's native
 * floor, revocation latency (one at a time, then many at once), a no-op full resync, memory, and
 * the API server's own share. Prints a table and writes bench/results/<date>-<users>.json.
 *
 *   npm run bench -- [--users 1000,10000] [--targets ldap,postgres,scim] [--quick] [--profile] [--heap]
 *
 * The operator and the API server run compiled (tsconfig.build.json into node_modules/.cache), as in
 * production; --tsx runs them through tsx instead. --profile runs the operator under --cpu-prof
 * (profiles written to $TMPDIR/roster-bench-profiles/<users>/); --heap writes a heap snapshot of the
 * operator at each phase ($TMPDIR/roster-bench-heap/<users>/) and prints what holds the memory
 * (the snapshot pauses the operator, so time figures of a --heap run are not comparable).
 */
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { performance } from "node:perf_hooks";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { format } from "prettier";
import { buildForBench } from "./lib/build.js";
import { startBenchKube } from "./lib/kube.js";
import { nativeFloor, type FloorResult } from "./lib/native-floors.js";
import { summariseHeap } from "./lib/heap-summary.js";
import { metricSum, startOperatorChild } from "./lib/operator.js";
import { person, TEAM_LABEL, teamCount, teamRole } from "./lib/people.js";
import { machineSize, processStats, untilIdle } from "./lib/processes.js";
import { evaluateGoals, formatResult, type PhaseUsage, type SizeResult } from "./lib/report.js";
import {
  convergence,
  noopResync,
  revokeAtOnce,
  revokeOneByOne,
  untilProvisioned,
  type BenchEnv,
  type RevocationResult,
} from "./lib/scenarios.js";
import { TARGET_KINDS, TARGET_STARTERS, type BenchTarget, type TargetKind } from "./lib/targets.js";

const NAMESPACE = "bench";
const CONCURRENCY = 4;
const log = (line: string) => process.stderr.write(`${line}\n`);

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "1000,10000" },
    targets: { type: "string", default: TARGET_KINDS.join(",") },
    quick: { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    heap: { type: "boolean", default: false },
    tsx: { type: "boolean", default: false },
  },
});
const sizes = values.quick ? [200] : values.users.split(",").map(Number);
const kinds = values.targets.split(",").map((k) => {
  if (!(TARGET_KINDS as readonly string[]).includes(k)) throw new Error(`unknown target ${k}`);
  return k as TargetKind;
});

/** Per target and team: a birthright grant selecting the team's Users by label. */
function grantManifests(count: number): string {
  const grants: string[] = [];
  for (const kind of kinds) {
    for (let team = 0; team < teamCount(count); team += 1) {
      grants.push(`apiVersion: roster.dev/v1alpha1
kind: AccessGrant
metadata: { name: birthright-${kind}-${team}, namespace: ${NAMESPACE} }
spec:
  target: ${kind}
  subjects: { selector: { matchLabels: { ${TEAM_LABEL}: t${team} } } }
  roles: [${teamRole(team)}]
`);
    }
  }
  return grants.join("---\n");
}

async function measureFloors(count: number): Promise<Partial<Record<TargetKind, FloorResult>>> {
  const floors: Partial<Record<TargetKind, FloorResult>> = {};
  for (const kind of kinds) {
    log(`floor ${kind}: ${count} accounts...`);
    floors[kind] = await nativeFloor(kind, count, CONCURRENCY, atOnceCount(count));
    log(
      `  ${floors[kind].seconds.toFixed(2)} s; disabling ${atOnceCount(count)}: ${floors[kind].revocation.seconds.toFixed(2)} s`,
    );
  }
  return floors;
}

async function runSize(count: number, compiledRoot: string | undefined): Promise<SizeResult> {
  const loadBefore = loadavg();
  const floors = await measureFloors(count);
  log(`starting the API server, targets and operator for ${count} users`);
  const kube = await startBenchKube(compiledRoot);
  const targets: BenchTarget[] = [];
  const stops = running;
  stops.push(() => kube.stop());
  try {
    targets.push(...(await Promise.all(kinds.map((k) => TARGET_STARTERS[k](count)))));
    stops.push(...targets.map((t) => () => t.stop()));
    await kube.apply(`apiVersion: v1\nkind: Namespace\nmetadata: { name: ${NAMESPACE} }\n`);
    await kube.apply(
      [...targets.map((t) => t.manifests(NAMESPACE, CONCURRENCY)), grantManifests(count)].join("---\n"),
    );
    const profileDir = values.profile ? join(tmpdir(), "roster-bench-profiles", `${count}`) : undefined;
    if (profileDir) await mkdir(profileDir, { recursive: true });
    const heapDir = values.heap ? join(tmpdir(), "roster-bench-heap", `${count}`) : undefined;
    if (heapDir) await mkdir(heapDir, { recursive: true });
    const startOperator = () =>
      startOperatorChild(kube.kubeconfigPath, {
        ...(profileDir ? { profileDir } : {}),
        ...(heapDir ? { heapDir } : {}),
        ...(compiledRoot ? { compiledRoot } : {}),
      });
    let operator = await startOperator();
    stops.unshift(() => operator.stop());
    const env: BenchEnv = {
      kube,
      targets,
      namespace: NAMESPACE,
      log,
      // The operator of the moment (it is restarted for the cold start).
      get operator() {
        return operator;
      },
    };
    const usage: PhaseUsage[] = [];
    const snapshot = async (phase: string, settle = true) => {
      const idleAfterSeconds = settle ? await untilIdle(operator.child.pid) : 0;
      const metrics = await operator.metrics();
      const mib = (name: string) => metricSum(metrics, name) / 2 ** 20;
      usage.push({
        phase,
        idleAfterSeconds,
        operator: await processStats(operator.child.pid),
        operatorHeap: {
          usedMiB: mib("nodejs_heap_size_used_bytes"),
          totalMiB: mib("nodejs_heap_size_total_bytes"),
          externalMiB: mib("nodejs_external_memory_bytes"),
          trims: metricSum(metrics, "roster_heap_trims_total"),
        },
        apiServer: await processStats(kube.child.pid),
      });
      if (heapDir) {
        const file = await operator.heapSnapshot(phase.replace(/\W+/g, "-"));
        log(`heap snapshot (${phase}):\n${await summariseHeap(file, 25)}`);
      }
    };
    await snapshot("start", false);
    log(`1. convergence of ${count} users`);
    const conv = await convergence(env, count, 3 * 3600_000);
    await snapshot("converged");
    const revocation: RevocationResult[] = [];
    const oneByOne = Math.min(100, count / 10);
    log(`2. revocation: ${oneByOne} one at a time`);
    revocation.push(await revokeOneByOne(env, range(0, oneByOne)));
    log(`   p50/p99 ${revocation[0]!.latency.p50.toFixed(3)}/${revocation[0]!.latency.p99.toFixed(3)} s`);
    const atOnce = atOnceCount(count);
    log(`   then ${atOnce} at once`);
    revocation.push(await revokeAtOnce(env, range(oneByOne, oneByOne + atOnce), 3600_000));
    log(`   p50/p99 ${revocation[1]!.latency.p50.toFixed(3)}/${revocation[1]!.latency.p99.toFixed(3)} s`);
    await snapshot("after revocation");
    log("3. no-op full resync");
    const resync = await noopResync(env);
    await snapshot("after resync");
    const active = count - oneByOne - atOnce;
    log(`4. cold start: the operator restarted against empty targets (${active} active users)`);
    await operator.stop();
    const fresh = await Promise.all(kinds.map((k) => TARGET_STARTERS[k](count)));
    stops.push(...fresh.map((t) => () => t.stop()));
    await kube.apply(fresh.map((t) => t.manifests(NAMESPACE, CONCURRENCY)).join("---\n"));
    const coldStartedAt = performance.now();
    operator = await startOperator();
    const cold = await untilProvisioned(env, fresh, active, coldStartedAt, 3 * 3600_000);
    await snapshot("cold converged");
    const ratios: Partial<Record<TargetKind, number>> = {};
    const coldRatios: Partial<Record<TargetKind, number>> = {};
    for (const kind of kinds) {
      ratios[kind] = conv.perTargetSeconds[kind]! / floors[kind]!.seconds;
      // The floor scaled to the accounts the cold start creates (revoked people get none).
      coldRatios[kind] = cold[kind]! / ((floors[kind]!.seconds * active) / count);
    }
    const result = {
      date: new Date().toISOString(),
      users: count,
      targets: kinds,
      machine: {
        ...(await machineSize()),
        node: process.version,
        loadBefore,
        loadAfter: loadavg(),
        uptime: execFileSync("uptime", { encoding: "utf8" }).trim(),
      },
      floors,
      convergence: conv,
      ratios,
      coldStart: { accounts: active, perTargetSeconds: cold, ratios: coldRatios },
      revocation,
      resync,
      usage,
    };
    return { ...result, goals: evaluateGoals(result) };
  } finally {
    await stopAll();
  }
}

/** Stops of everything started for the current size, newest first. */
const running: Array<() => Promise<void>> = [];

async function stopAll(): Promise<void> {
  while (running.length > 0) {
    const stop = running.shift()!;
    await stop().catch((err: unknown) => log(`stop failed: ${String(err)}`));
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping every process started`);
    void stopAll().then(() => process.exit(130));
  });
}

/** Users terminated at once in the revocation scenario: 1,000 at 10,000 users, a tenth below. */
function atOnceCount(count: number): number {
  return count >= 10_000 ? 1000 : Math.max(10, count / 10);
}

function range(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => person(from + i).username);
}

let compiledRoot: string | undefined;
if (!values.tsx) {
  log("compiling the operator and the local API server (tsconfig.build.json)");
  compiledRoot = await buildForBench();
}
for (const count of sizes) {
  const result = await runSize(count, compiledRoot);
  console.log(formatResult(result));
  await mkdir("bench/results", { recursive: true });
  const file = `bench/results/${result.date.slice(0, 10)}-${values.quick ? "quick" : count}.json`;
  // Formatted as the repository's prettier check expects.
  await writeFile(file, await format(JSON.stringify(result), { parser: "json" }));
  console.log(`result written to ${file}\n`);
}
