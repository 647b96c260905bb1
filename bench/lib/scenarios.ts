/**
 * The scenarios of the end-to-end benchmark, each measured from the outside: the benchmark writes
 * to the API server and reads the result back from the targets themselves.
 */
import { performance } from "node:perf_hooks";
import { inParallel, type BenchKube } from "./kube.js";
import { metricSum, type OperatorChild } from "./operator.js";
import { person, userObject } from "./people.js";
import { percentiles, type Percentiles } from "./stats.js";
import type { ActivityCount, BenchTarget, TargetKind } from "./targets.js";
import { countWatchEvents } from "./watch.js";

export interface BenchEnv {
  kube: BenchKube;
  operator: OperatorChild;
  targets: BenchTarget[];
  namespace: string;
  log(line: string): void;
}

const API_WRITE_CONCURRENCY = 32;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (fromMs: number) => (performance.now() - fromMs) / 1000;

// ---------------------------------------------------------------- 1. initial convergence

export interface ConvergenceResult {
  users: number;
  apiWriteSeconds: number;
  perTargetSeconds: Partial<Record<TargetKind, number>>;
  totalSeconds: number;
  /** Requests the operator sent to targets behind a counting proxy (SCIM), by method. */
  requests: Partial<Record<TargetKind, Record<string, number>>>;
  /** Their mean duration by method, ms (how long the application took to answer). */
  requestMeanMs?: Partial<Record<TargetKind, Record<string, number>>>;
}

/**
 * Polls every target until it holds `expected` provisioned people; per target, seconds since
 * `start` (a performance.now() value) when it did. Rejects after `timeoutMs`.
 */
export async function untilProvisioned(
  env: Pick<BenchEnv, "log">,
  targets: readonly BenchTarget[],
  expected: number,
  start: number,
  timeoutMs: number,
): Promise<Partial<Record<TargetKind, number>>> {
  const done: Partial<Record<TargetKind, number>> = {};
  await Promise.all(
    targets.map(async (target) => {
      let last = -1;
      let lastLog = performance.now();
      while (performance.now() - start < timeoutMs) {
        const pollStarted = performance.now();
        const provisioned = await target.provisioned(expected).catch(() => last);
        const pollMs = performance.now() - pollStarted;
        if (provisioned >= expected) {
          done[target.kind] = seconds(start);
          env.log(`  ${target.kind}: all ${expected} provisioned after ${done[target.kind]!.toFixed(1)} s`);
          return;
        }
        if (performance.now() - lastLog > 15_000) {
          env.log(`  ${target.kind}: ${provisioned}/${expected} after ${seconds(start).toFixed(0)} s`);
          lastLog = performance.now();
        }
        last = provisioned;
        // At least as long as the poll took, so the benchmark's reads never take more than half
        // of the target's time.
        await sleep(Math.max(expected > 2000 ? 500 : 200, pollMs));
      }
      throw new Error(`${target.kind}: not converged after ${timeoutMs} ms (${last}/${expected})`);
    }),
  );
  return done;
}

/** Creates `count` Users as fast as the API server takes them, then waits until every target holds every account. */
export async function convergence(
  env: BenchEnv,
  count: number,
  timeoutMs: number,
): Promise<ConvergenceResult> {
  const start = performance.now();
  const converged = untilProvisioned(env, env.targets, count, start, timeoutMs);
  const indexes = Array.from({ length: count }, (_, i) => i);
  await inParallel(indexes, API_WRITE_CONCURRENCY, async (i) => {
    await env.kube.request("POST", "/apis/roster.dev/v1alpha1/users", userObject(person(i)));
  });
  const apiWriteSeconds = seconds(start);
  env.log(`  ${count} Users written to the API server in ${apiWriteSeconds.toFixed(1)} s`);
  const done = await converged;
  const requests = Object.fromEntries(
    env.targets.flatMap((t) => (t.requestCounts ? [[t.kind, t.requestCounts()]] : [])),
  ) as ConvergenceResult["requests"];
  const requestMeanMs = Object.fromEntries(
    env.targets.flatMap((t) => {
      const timings = t.requestTimings?.();
      if (!timings) return [];
      return [
        [t.kind, Object.fromEntries(Object.entries(timings).map(([m, x]) => [m, x.totalMs / x.count]))],
      ];
    }),
  ) as ConvergenceResult["requestMeanMs"];
  return {
    users: count,
    apiWriteSeconds,
    perTargetSeconds: done,
    totalSeconds: seconds(start),
    requests,
    requestMeanMs,
  };
}

// ---------------------------------------------------------------- 2. revocation latency

export interface RevocationResult {
  mode: "one-at-a-time" | "at-once";
  users: number;
  /** API write to the last target confirming, seconds. */
  latency: Percentiles;
  perTarget: Partial<Record<TargetKind, Percentiles>>;
  /** Mean duration of one confirmation poll (the measurement's resolution). */
  pollSeconds: number;
  /** Roster's own histogram (roster_revocation_latency_seconds) for the same revocations: mean, seconds. */
  rosterReportedMeanSeconds: number | undefined;
  /** At once only: from the first write sent to the last one accepted by the API server, seconds. */
  apiWriteSeconds?: number;
  /**
   * At once only: per user, from the API server accepting its write (the answer received) to the
   * last target confirming, seconds: `latency` less the time the write queued behind the others.
   */
  latencyFromAccepted?: Percentiles;
  /** The operator's requests to proxied targets (SCIM) during the scenario, by method: count and mean ms. */
  targetRequests?: Partial<Record<TargetKind, Record<string, { count: number; meanMs: number }>>>;
}

/**
 * The pause between two polls of a target: at least as long as the last poll took, so the
 * benchmark's own reads take at most half of the target's time (paging 10,000 SCIM users is 100
 * requests to a single-process app, which would otherwise slow down the very writes measured).
 */
function observerPause(lastPollMs: number, minimumMs: number): number {
  return Math.max(minimumMs, lastPollMs);
}

/** Starts a window over the proxied targets' request timings; the returned function reports it. */
function requestWindow(env: BenchEnv): () => RevocationResult["targetRequests"] {
  const before = new Map(env.targets.map((t) => [t.kind, t.requestTimings?.()]));
  return () => {
    const out: NonNullable<RevocationResult["targetRequests"]> = {};
    for (const target of env.targets) {
      const after = target.requestTimings?.();
      if (!after) continue;
      const start = before.get(target.kind) ?? {};
      const byMethod: Record<string, { count: number; meanMs: number }> = {};
      for (const [method, t] of Object.entries(after)) {
        const count = t.count - (start[method]?.count ?? 0);
        const totalMs = t.totalMs - (start[method]?.totalMs ?? 0);
        if (count > 0) byMethod[method] = { count, meanMs: totalMs / count };
      }
      out[target.kind] = byMethod;
    }
    return out;
  };
}

function terminate(env: BenchEnv, username: string): Promise<unknown> {
  return env.kube.request(
    "PATCH",
    `/apis/roster.dev/v1alpha1/users/${username}`,
    { spec: { state: "Terminated" } },
    "application/merge-patch+json",
  );
}

async function rosterRevocationMean(env: BenchEnv, run: () => Promise<void>): Promise<number | undefined> {
  const read = async () => {
    const text = await env.operator.metrics();
    return {
      sum: metricSum(text, "roster_revocation_latency_seconds_sum"),
      count: metricSum(text, "roster_revocation_latency_seconds_count"),
    };
  };
  const before = await read();
  await run();
  const after = await read();
  const count = after.count - before.count;
  return count > 0 ? (after.sum - before.sum) / count : undefined;
}

/** Terminates each user and waits until every target shows it revoked before the next. */
export async function revokeOneByOne(env: BenchEnv, usernames: string[]): Promise<RevocationResult> {
  const totals: number[] = [];
  const perTarget = new Map<TargetKind, number[]>(env.targets.map((t) => [t.kind, []]));
  let polls = 0;
  let pollTime = 0;
  const requests = requestWindow(env);
  const mean = await rosterRevocationMean(env, async () => {
    for (const username of usernames) {
      const t0 = performance.now();
      await terminate(env, username);
      const confirmed = await Promise.all(
        env.targets.map(async (target) => {
          for (;;) {
            const p0 = performance.now();
            const revoked = await target.isRevoked(username);
            const pollMs = performance.now() - p0;
            polls += 1;
            pollTime += pollMs;
            if (revoked) return [target.kind, seconds(t0)] as const;
            await sleep(observerPause(pollMs, 5));
          }
        }),
      );
      for (const [kind, s] of confirmed) perTarget.get(kind)!.push(s);
      totals.push(Math.max(...confirmed.map(([, s]) => s)));
    }
  });
  return {
    mode: "one-at-a-time",
    users: usernames.length,
    latency: percentiles(totals),
    perTarget: Object.fromEntries([...perTarget].map(([k, v]) => [k, percentiles(v)])),
    pollSeconds: pollTime / Math.max(1, polls) / 1000,
    rosterReportedMeanSeconds: mean,
    targetRequests: requests(),
  };
}

/** Terminates all users at once (parallel writes) and records, per user, when each target shows it revoked. */
export async function revokeAtOnce(
  env: BenchEnv,
  usernames: string[],
  timeoutMs: number,
): Promise<RevocationResult> {
  const sentAt = new Map<string, number>();
  const acceptedAt = new Map<string, number>();
  const requests = requestWindow(env);
  const confirmedAt = new Map<TargetKind, Map<string, number>>(env.targets.map((t) => [t.kind, new Map()]));
  let apiWriteSeconds: number | undefined;
  let polls = 0;
  let pollTime = 0;
  const mean = await rosterRevocationMean(env, async () => {
    const start = performance.now();
    let writing = true;
    const pollers = env.targets.map(async (target) => {
      const confirmed = confirmedAt.get(target.kind)!;
      while (confirmed.size < usernames.length) {
        if (performance.now() - start > timeoutMs)
          throw new Error(`${target.kind}: revocations not confirmed`);
        const pending = new Set(usernames.filter((u) => !confirmed.has(u) && (sentAt.has(u) || writing)));
        const p0 = performance.now();
        const revoked = await target.revokedAmong(pending);
        const now = performance.now();
        polls += 1;
        pollTime += now - p0;
        for (const u of revoked) if (!confirmed.has(u)) confirmed.set(u, now);
        await sleep(observerPause(now - p0, 20));
      }
    });
    await inParallel(usernames, API_WRITE_CONCURRENCY, async (username) => {
      sentAt.set(username, performance.now());
      await terminate(env, username);
      acceptedAt.set(username, performance.now());
    });
    apiWriteSeconds = seconds(start);
    writing = false;
    await Promise.all(pollers);
  });
  const latencyOf = (kind: TargetKind, u: string) => (confirmedAt.get(kind)!.get(u)! - sentAt.get(u)!) / 1000;
  const totals = usernames.map((u) => Math.max(...env.targets.map((t) => latencyOf(t.kind, u))));
  const queued = (u: string) => (acceptedAt.get(u)! - sentAt.get(u)!) / 1000;
  return {
    mode: "at-once",
    users: usernames.length,
    latency: percentiles(totals),
    perTarget: Object.fromEntries(
      env.targets.map((t) => [t.kind, percentiles(usernames.map((u) => latencyOf(t.kind, u)))]),
    ),
    pollSeconds: pollTime / Math.max(1, polls) / 1000,
    rosterReportedMeanSeconds: mean,
    ...(apiWriteSeconds !== undefined ? { apiWriteSeconds } : {}),
    latencyFromAccepted: percentiles(usernames.map((u, i) => Math.max(0, totals[i]! - queued(u)))),
    targetRequests: requests(),
  };
}

// ---------------------------------------------------------------- 3. no-op full resync

export interface ResyncResult {
  wallSeconds: number;
  targets: Partial<Record<TargetKind, ActivityCount>>;
  /** Writes to the API server other than the benchmark's own spec bumps. */
  apiWrites: number;
  apiWritesByResource: Record<string, number>;
  operationsRun: number;
}

/** Waits until the API server has taken no write for `quietMs` (earlier work, e.g. status writes, has drained). */
async function apiQuiet(env: BenchEnv, quietMs: number, timeoutMs: number): Promise<void> {
  const start = performance.now();
  let last = await env.kube.resourceVersion();
  let since = performance.now();
  while (performance.now() - since < quietMs && performance.now() - start < timeoutMs) {
    await sleep(500);
    const now = await env.kube.resourceVersion();
    if (now !== last) [last, since] = [now, performance.now()];
  }
}

interface TargetObject {
  metadata: { generation?: number };
  spec: { syncIntervalSeconds?: number };
  status?: { observedGeneration?: number };
}

/**
 * Changes each Target's spec (syncIntervalSeconds + 1), which makes the next pass a full sync of
 * every account, and waits until every Target's status shows that generation processed.
 */
export async function noopResync(env: BenchEnv): Promise<ResyncResult> {
  await apiQuiet(env, 5000, 300_000);
  const windows = await Promise.all(env.targets.map((t) => t.startActivityWindow()));
  const rv0 = await env.kube.resourceVersion();
  const watches = ["users", "targets", "accessgrants"].map((r) =>
    countWatchEvents(env.kube, `/apis/roster.dev/v1alpha1/${r}`, rv0),
  );
  watches.push(
    countWatchEvents(env.kube, "/api/v1/secrets", rv0),
    countWatchEvents(env.kube, "/api/v1/events", rv0),
  );
  const ops0 = metricSum(await env.operator.metrics(), "roster_operations_total");
  const path = (kind: string) => `/apis/roster.dev/v1alpha1/namespaces/${env.namespace}/targets/${kind}`;
  const start = performance.now();
  const generations = new Map<string, number>();
  for (const target of env.targets) {
    const current = (await env.kube.request("GET", path(target.kind))) as TargetObject;
    const bumped = (await env.kube.request(
      "PATCH",
      path(target.kind),
      { spec: { syncIntervalSeconds: (current.spec.syncIntervalSeconds ?? 3600) + 1 } },
      "application/merge-patch+json",
    )) as TargetObject;
    generations.set(target.kind, bumped.metadata.generation ?? 0);
  }
  for (const target of env.targets) {
    for (;;) {
      const obj = (await env.kube.request("GET", path(target.kind))) as TargetObject;
      if ((obj.status?.observedGeneration ?? 0) >= generations.get(target.kind)!) break;
      await sleep(50);
    }
  }
  const wallSeconds = seconds(start);
  await sleep(3000);
  const apiWrites = (await env.kube.resourceVersion()) - rv0 - env.targets.length;
  const counted = await Promise.all(watches.map((w) => w.stop()));
  const apiWritesByResource: Record<string, number> = {};
  for (const c of counted) apiWritesByResource[c.resource] = c.events;
  apiWritesByResource.targets = (apiWritesByResource.targets ?? 0) - env.targets.length;
  const operationsRun = metricSum(await env.operator.metrics(), "roster_operations_total") - ops0;
  const activity = await Promise.all(windows.map((finish) => finish()));
  return {
    wallSeconds,
    targets: Object.fromEntries(env.targets.map((t, i) => [t.kind, activity[i]!])),
    apiWrites,
    apiWritesByResource,
    operationsRun,
  };
}
