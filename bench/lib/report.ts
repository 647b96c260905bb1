/**
 * The result of one benchmark run at one size, the goals it is held against, and its printed form.
 */
import type { FloorResult } from "./native-floors.js";
import { IDLE_WINDOW_MS, type ProcessStats } from "./processes.js";
import type { ConvergenceResult, ResyncResult, RevocationResult } from "./scenarios.js";
import type { Percentiles } from "./stats.js";
import type { TargetKind } from "./targets.js";

export interface PhaseUsage {
  phase: string;
  /** Seconds waited after the phase for the operator to go idle (steady state) before reading. */
  idleAfterSeconds?: number;
  operator: ProcessStats;
  /** The operator's V8 heap as it reports it (prom-client's nodejs_* gauges), MiB. */
  /** The operator's V8 heap, and how many idle heap trims it ran so far (operator/src/runtime/heap-trim.ts). */
  operatorHeap?: { usedMiB: number; totalMiB: number; externalMiB: number; trims?: number };
  apiServer: ProcessStats;
}

export interface SizeResult {
  date: string;
  users: number;
  targets: TargetKind[];
  machine: {
    cpus: number;
    memTotalGiB: number;
    node: string;
    loadBefore: number[];
    loadAfter: number[];
    uptime: string;
  };
  floors: Partial<Record<TargetKind, FloorResult>>;
  convergence: ConvergenceResult;
  ratios: Partial<Record<TargetKind, number>>;
  /**
   * The operator restarted against empty targets with every User already in the API server:
   * seconds from starting the process to every active person's account read back, and the ratio
   * to the native floor scaled to the same number of accounts.
   */
  coldStart: {
    accounts: number;
    perTargetSeconds: Partial<Record<TargetKind, number>>;
    ratios: Partial<Record<TargetKind, number>>;
  };
  revocation: RevocationResult[];
  resync: ResyncResult;
  usage: PhaseUsage[];
  goals: Goal[];
}

export interface Goal {
  goal: string;
  measured: string;
  pass: boolean;
  /** Whether the goal is stated for this size (revocation and RSS goals are stated at 10,000 users). */
  applies: boolean;
}

const RSS_GOAL_MB = 200;
const REVOCATION_P99_GOAL_S = 1;
const FLOOR_RATIO_GOAL = 1.5;

export function evaluateGoals(r: Omit<SizeResult, "goals">): Goal[] {
  const atTenThousand = r.users >= 10_000;
  const goals: Goal[] = [];
  for (const rev of r.revocation) {
    goals.push({
      goal: `revocation p99 <= ${REVOCATION_P99_GOAL_S} s (${rev.mode}, ${rev.users} users)`,
      measured: `${rev.latency.p99.toFixed(3)} s`,
      pass: rev.latency.p99 <= REVOCATION_P99_GOAL_S,
      applies: atTenThousand,
    });
  }
  for (const [kind, ratio] of Object.entries(r.ratios)) {
    goals.push({
      goal: `convergence ${kind} <= ${FLOOR_RATIO_GOAL} x native floor (from the first User write)`,
      measured: `${ratio.toFixed(2)} x`,
      pass: ratio <= FLOOR_RATIO_GOAL,
      applies: true,
    });
  }
  for (const [kind, ratio] of Object.entries(r.coldStart.ratios)) {
    goals.push({
      goal: `convergence ${kind} <= ${FLOOR_RATIO_GOAL} x native floor (cold start)`,
      measured: `${ratio.toFixed(2)} x`,
      pass: ratio <= FLOOR_RATIO_GOAL,
      applies: true,
    });
  }
  const targetWrites = Object.values(r.resync.targets).reduce((s, a) => s + a.writes, 0);
  goals.push({
    goal: "no-op resync: zero writes to the targets",
    measured: `${targetWrites}`,
    pass: targetWrites === 0,
    applies: true,
  });
  const { targets: targetObjectWrites = 0, ...others } = r.resync.apiWritesByResource;
  const otherWrites = Object.values(others).reduce((s, n) => s + n, 0);
  goals.push({
    goal: "no-op resync: zero API writes (beyond one Target status per bumped Target)",
    measured: `${otherWrites} + ${targetObjectWrites} Target (${r.resync.apiWrites} by resourceVersion)`,
    pass: otherWrites === 0 && targetObjectWrites <= r.targets.length,
    applies: true,
  });
  const steady = r.usage.filter((u) => u.phase !== "start").map((u) => u.operator.rssMiB * 1.048576);
  const rssMB = Math.max(...steady);
  goals.push({
    goal: `operator RSS <= ${RSS_GOAL_MB} MB`,
    measured: `${rssMB.toFixed(0)} MB`,
    pass: rssMB <= RSS_GOAL_MB,
    applies: atTenThousand,
  });
  return goals;
}

const f = (n: number | undefined, digits = 2) =>
  n === undefined || Number.isNaN(n) ? "-" : n.toFixed(digits);
const pct = (p: Percentiles) => `${f(p.p50, 3)} / ${f(p.p95, 3)} / ${f(p.p99, 3)} / ${f(p.max, 3)}`;

export function formatResult(r: SizeResult): string {
  const lines: string[] = [];
  lines.push(`== Roster benchmark: ${r.users} users, targets ${r.targets.join(", ")} (${r.date})`);
  lines.push(
    `machine: ${r.machine.cpus} cores, ${f(r.machine.memTotalGiB, 1)} GiB, node ${r.machine.node}; ${r.machine.uptime}`,
  );
  lines.push(
    "",
    "1. initial convergence (seconds, from the first User write to every account read back from the target)",
  );
  lines.push(`   Users written to the API server in ${f(r.convergence.apiWriteSeconds)} s`);
  lines.push("   target     roster    floor   ratio  floor method");
  for (const kind of r.targets) {
    const floor = r.floors[kind];
    lines.push(
      `   ${kind.padEnd(9)} ${f(r.convergence.perTargetSeconds[kind]).padStart(7)} ${f(floor?.seconds).padStart(8)} ${f(r.ratios[kind]).padStart(7)}  ${floor?.method ?? ""}`,
    );
  }
  lines.push(`   all targets: ${f(r.convergence.totalSeconds)} s`);
  for (const [kind, counts] of Object.entries(r.convergence.requests ?? {})) {
    const means = r.convergence.requestMeanMs?.[kind as TargetKind] ?? {};
    const timing = Object.entries(means)
      .map(([method, ms]) => `${method} ${f(ms, 0)} ms`)
      .join(", ");
    lines.push(
      `   ${kind} requests by the operator: ${JSON.stringify(counts)}${timing ? `; mean ${timing}` : ""}`,
    );
  }
  lines.push(
    "",
    `1b. cold start (seconds, from starting the operator with every User present to each of the ${r.coldStart.accounts} active accounts read back)`,
  );
  lines.push("   target     roster  ratio to the floor scaled to the same accounts");
  for (const kind of r.targets) {
    lines.push(
      `   ${kind.padEnd(9)} ${f(r.coldStart.perTargetSeconds[kind]).padStart(7)}  ${f(r.coldStart.ratios[kind]).padStart(6)}`,
    );
  }
  lines.push("", "2. revocation latency (seconds, API write -> last target confirms; p50 / p95 / p99 / max)");
  for (const rev of r.revocation) {
    lines.push(
      `   ${rev.mode} (${rev.users}): ${pct(rev.latency)}   [poll ${f(rev.pollSeconds * 1000, 1)} ms; Roster's own histogram mean ${f(rev.rosterReportedMeanSeconds, 3)} s]`,
    );
    if (rev.apiWriteSeconds !== undefined)
      lines.push(
        `      the API server accepted the last of the ${rev.users} writes after ${f(rev.apiWriteSeconds, 3)} s`,
      );
    if (rev.latencyFromAccepted)
      lines.push(
        `      from each write's acceptance instead of its sending: ${pct(rev.latencyFromAccepted)}`,
      );
    for (const [kind, p] of Object.entries(rev.perTarget)) {
      const floor = r.floors[kind as TargetKind]?.revocation;
      const native =
        rev.mode === "at-once" && floor?.users === rev.users
          ? `   [native floor: all ${floor.users} disabled in ${f(floor.seconds, 3)} s, ${floor.method}]`
          : "";
      const sent = rev.targetRequests?.[kind as TargetKind];
      const requests = sent
        ? `   [operator's requests: ${Object.entries(sent)
            .map(([method, t]) => `${t.count} ${method} (mean ${f(t.meanMs, 0)} ms)`)
            .join(", ")}]`
        : "";
      lines.push(`      ${kind.padEnd(9)} ${pct(p)}${native}${requests}`);
    }
  }
  lines.push(
    "",
    `3. no-op full resync: ${f(r.resync.wallSeconds)} s wall, ${r.resync.operationsRun} operations run`,
  );
  for (const [kind, a] of Object.entries(r.resync.targets)) {
    lines.push(`   ${kind.padEnd(9)} writes ${a.writes}, reads ${a.reads ?? "n/a"} (${a.detail})`);
  }
  lines.push(
    `   API server: ${r.resync.apiWrites} writes by resourceVersion; by resource ${JSON.stringify(r.resync.apiWritesByResource)}`,
  );
  lines.push("", "4./5. resources (RSS MiB now / peak, CPU seconds since start)");
  lines.push(
    `   (read once the operator is idle: under 3% of a core for ${IDLE_WINDOW_MS / 1000} s; 'idle after' is the wait)`,
  );
  lines.push(
    "   phase            idle after  operator rss  peak   cpu  heap used/total trims     API server rss  peak   cpu",
  );
  for (const u of r.usage) {
    const o = u.operator;
    const a = u.apiServer;
    const heap = u.operatorHeap ? `${f(u.operatorHeap.usedMiB, 0)}/${f(u.operatorHeap.totalMiB, 0)}` : "-";
    lines.push(
      `   ${u.phase.padEnd(16)} ${f(u.idleAfterSeconds ?? 0, 1).padStart(9)}s ${f(o.rssMiB, 0).padStart(13)} ${f(o.peakRssMiB, 0).padStart(5)} ${f(o.cpuSeconds, 1).padStart(6)}  ${heap.padStart(15)} ${String(u.operatorHeap?.trims ?? "-").padStart(5)}     ${f(a.rssMiB, 0).padStart(10)} ${f(a.peakRssMiB, 0).padStart(5)} ${f(a.cpuSeconds, 1).padStart(6)}`,
    );
  }
  lines.push("", "goals");
  for (const g of r.goals) {
    const verdict = g.pass ? "PASS" : "MISS";
    lines.push(
      `   ${(g.applies ? verdict : `(${verdict})`).padEnd(7)} ${g.goal}: ${g.measured}${g.applies ? "" : "  [goal stated at 10,000 users]"}`,
    );
  }
  return lines.join("\n");
}
