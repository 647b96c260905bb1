import type { TargetStatus } from "../../api/index.js";
import { Reason } from "../../api/index.js";
import type { Connector, ObservedAccount } from "../../engine/connector.js";
import { desiredState, type TargetDesiredState } from "../../engine/desired.js";
import { isDestructive, massChangeGuard } from "../../engine/guard.js";
import type { TargetView } from "../../engine/model.js";
import { ownerMarker } from "../../engine/ownership.js";
import { planTarget, type PlannedOperation, type TargetPlan } from "../../engine/plan.js";
import { isRosterError, withContext } from "../../errors.js";
import {
  done,
  requeueAfter,
  resultFromError,
  toKubeTime,
  type Clock,
  type EventRecorder,
  type KubeClient,
  type KubeObject,
  type ReconcileContext,
  type ReconcileResult,
  type StatusWriter,
  type Store,
} from "../../runtime/index.js";
import type { ConnectorPool } from "../connector-pool.js";
import type { RosterMetrics } from "../metrics.js";
import { grantView, targetView, userVersion, userView } from "../views.js";
import { cutAhead, cutsQuiet, settledCuts } from "./cut-ahead.js";
import { executePlan, type ExecuteOptions, type ExecutionReport } from "./execute.js";
import { rateLimitFor } from "./rate-limit.js";
import { presumedAbsent, readAll, readSome } from "./target-reads.js";
import { usernameOf } from "./effects.js";
import { recordOutcomes } from "./outcomes.js";
import { ensurePasswordSecret } from "./passwords.js";
import { changedUsernames, restrictTo } from "./scope.js";
import { OperationAudit } from "./audit.js";
import { keepUnfinishedDirty, noteNextClock, noteRevocationsDue } from "./pass-bookkeeping.js";
import { concurrencyOf, syncIntervalMs, unusedReleaseToken } from "./target-spec.js";
import {
  connectionVerdict,
  planStatus,
  previousPlan,
  syncVerdict,
  targetStatus,
  type SyncVerdict,
} from "./target-status.js";
import type { ProvisioningState, TargetState } from "./target-state.js";

export interface TargetSyncDeps {
  client: KubeClient;
  targets: Store<KubeObject>;
  users: Store<KubeObject>;
  grants: Store<KubeObject>;
  pool: ConnectorPool;
  state: ProvisioningState;
  statusWriter: StatusWriter;
  clock: Clock;
  metrics: RosterMetrics;
  /** Records an Event on the User (or the Target, for orphans) for each account change. */
  events: EventRecorder;
  /** A User's status entries changed: rewrite its status. */
  onUserChanged: (userName: string) => void;
}

/**
 * Reconciles one Target (key "namespace/name"): desired → observe → plan → guard → execute →
 * status. A full sync (first pass, period elapsed, spec changed, Observe/Plan mode) reads every
 * account in bulk. Otherwise a pass only looks at accounts whose intent changed: it cuts the
 * leavers' access first (cut-ahead.ts), then reads the changed accounts in bulk (target-reads.ts;
 * joiners never seen since the last full sync are not read, their create is the check), plans
 * and executes in waves (execute.ts). Nothing is ever pruned after a failed read.
 */
export class TargetSync {
  private readonly audit: OperationAudit;

  constructor(private readonly deps: TargetSyncDeps) {
    this.audit = new OperationAudit(deps);
  }

  readonly reconcile = async (key: string, ctx: ReconcileContext): Promise<ReconcileResult> => {
    const state = this.deps.state.forTarget(key);
    const dirtyBefore = new Set(state.dirtyUsers);
    const decideAllBefore = state.decideAll;
    this.deps.state.passStarted(key);
    try {
      return await this.pass(key, ctx);
    } catch (err) {
      // Whatever failed, the Users this pass took are decided on again: no change is ever dropped.
      for (const name of dirtyBefore) state.dirtyUsers.add(name);
      state.decideAll ||= decideAllBefore;
      throw err;
    } finally {
      // Users whose status write waited for this pass (ProvisioningState.deferUntilPassEnds).
      for (const user of this.deps.state.passEnded(key)) this.deps.onUserChanged(user);
    }
  };

  /**
   * The cut lane (its own queue, so it runs beside a pass): while a pass of this Target runs, cuts
   * the access of Users who left after it took its Users, instead of letting them wait for its
   * end (a full sync of a large target takes minutes). Plans from the sync's picture of the target
   * like the cut ahead of the read (cut-ahead.ts); the pass after this one decides on these Users
   * in full. Does nothing when no pass runs: the next pass cuts first anyway.
   */
  readonly cutLane = async (key: string, ctx: ReconcileContext): Promise<ReconcileResult> => {
    const state = this.deps.state.forTarget(key);
    const obj = this.deps.targets.get(key);
    if (!obj || !this.deps.state.passRunning(key) || state.cutCandidates.size === 0) return done;
    const names = [...state.cutCandidates];
    state.cutCandidates.clear();
    for (const name of names) state.cutDuringPass.add(name);
    const target = targetView(obj);
    const now = this.deps.clock.now();
    const users = names
      .map((name) => this.deps.users.get(name))
      .filter((u): u is KubeObject => u !== undefined);
    const desired = this.desired(target, users, now);
    const usernames = [...desired.accounts.keys()];
    noteRevocationsDue(state, desired, usernames, now, this.lastUserChange);
    const run = this.laneCut(key, obj, target, state, desired, usernames, ctx, now);
    state.cutLaneRun = run;
    try {
      await run;
    } finally {
      if (state.cutLaneRun === run) state.cutLaneRun = undefined;
    }
    return done;
  };

  /** The lane's cut itself: best effort, since these Users stay dirty and the next pass cuts them first. */
  private async laneCut(
    key: string,
    obj: KubeObject,
    target: TargetView,
    state: TargetState,
    desired: TargetDesiredState,
    usernames: string[],
    ctx: ReconcileContext,
    now: number,
  ): Promise<void> {
    try {
      const connector = await this.deps.pool.connectorFor(key, obj);
      await this.cutFirst(obj, target, state, desired, usernames, connector, ctx, now);
    } catch (err) {
      ctx.logger.debug({ err }, "cut lane could not run");
    }
  }

  private async pass(key: string, ctx: ReconcileContext): Promise<ReconcileResult> {
    const obj = this.deps.targets.get(key);
    if (!obj) return this.forget(key);
    const target = targetView(obj);
    const state = this.deps.state.forTarget(key);
    const now = this.deps.clock.now();
    let connector: Connector;
    try {
      connector = await this.deps.pool.connectorFor(key, obj);
    } catch (err) {
      return this.failed(obj, state, connectionVerdict(err), err, ctx);
    }
    const full = this.fullSyncDue(obj, target, state, now);
    const userObjs = this.usersToDecide(state, full, now);
    this.deps.state.passDecides(key, new Map(userObjs.map((u) => [u.metadata?.name ?? "", userVersion(u)])));
    const desired = this.desired(target, userObjs, now);
    noteNextClock(state, desired, userObjs.length === this.deps.users.list().length);
    const usernames = full ? [...desired.accounts.keys()] : changedUsernames(desired, state);
    if (!full && usernames.length === 0) {
      this.markProcessed(state, userObjs, []);
      return this.finish(obj, target, state, undefined, ctx);
    }
    noteRevocationsDue(state, desired, usernames, now, this.lastUserChange);
    const cut = full ? 0 : await this.cutFirst(obj, target, state, desired, usernames, connector, ctx, now);
    const presumed = full ? new Set<string>() : presumedAbsent(state, target, desired, usernames);
    await cutsQuiet(state);
    let observed: ObservedAccount[];
    try {
      observed = full
        ? await readAll(connector, state, desired)
        : await readSome(
            connector,
            state,
            usernames.filter((u) => !presumed.has(u)),
            desired,
          );
    } catch (err) {
      if (!full) this.markUnread(state, desired, usernames, err, now);
      for (const user of userObjs) state.dirtyUsers.add(user.metadata?.name ?? "");
      return this.failed(obj, state, connectionVerdict(err), err, ctx);
    }
    const scoped = full ? desired : restrictTo(desired, usernames);
    const plan = planTarget({ target, desired: scoped, observed, markerFor: this.markerFor, now });
    if (full) {
      state.orphans = plan.orphans;
      state.lastFullSync = now;
      state.fullSyncGeneration = obj.metadata?.generation;
      for (const username of state.entries.keys())
        if (!desired.accounts.has(username)) state.entries.delete(username);
    }
    const report = await this.run(obj, target, state, plan, connector, ctx, cut);
    for (const { operation } of report.failed) {
      const username = usernameOf(operation.change);
      if (presumed.has(username)) state.mustObserve.add(username);
    }
    const changedUsers = recordOutcomes({
      state,
      desired,
      usernames,
      plan,
      notDone: [...report.failed.map((f) => f.operation), ...report.skipped, ...report.notRun],
      failures: report.failed,
      syncedAt: toKubeTime(now),
    });
    this.markProcessed(state, userObjs, changedUsers);
    keepUnfinishedDirty(state, desired, usernames);
    return this.finish(obj, target, state, report, ctx);
  }

  /**
   * The Users this pass decides on: all of them for a full sync, after a grant or Target change,
   * or when a clock transition (start/end date, grant window) is due; otherwise only the Users
   * whose objects changed since the last pass. This keeps an event-driven pass O(changed users).
   */
  private usersToDecide(state: TargetState, full: boolean, now: number): KubeObject[] {
    const clockDue = state.nextClock !== undefined && now >= state.nextClock;
    // This pass takes every User changed so far: the cut lane's candidates start afresh.
    state.cutCandidates.clear();
    state.cutDuringPass.clear();
    if (full || clockDue || state.decideAll) {
      state.decideAll = false;
      state.dirtyUsers.clear();
      return this.deps.users.list();
    }
    const names = [...state.dirtyUsers];
    state.dirtyUsers.clear();
    return names.map((name) => this.deps.users.get(name)).filter((u): u is KubeObject => u !== undefined);
  }

  /**
   * Records which version of each User this pass decided on, and asks for the status of Users
   * whose entries or processed version changed: a User is only Ready once every Target has
   * processed its current version.
   */
  private markProcessed(state: TargetState, users: KubeObject[], changedUsers: string[]): void {
    const notify = new Set(changedUsers);
    for (const obj of users) {
      const name = obj.metadata?.name ?? "";
      const version = userVersion(obj);
      if (state.processedUsers.get(name) === version) continue;
      state.processedUsers.set(name, version);
      notify.add(name);
    }
    for (const user of notify) this.deps.onUserChanged(user);
  }

  /** How this Target's operations run: its concurrency and rate limit, each result audited. */
  private executeOptions(
    obj: KubeObject,
    target: TargetView,
    state: TargetState,
    ctx: ReconcileContext,
  ): ExecuteOptions & { onResult: NonNullable<ExecuteOptions["onResult"]> } {
    const throttle = rateLimitFor(state, obj, this.deps.clock);
    return {
      concurrency: concurrencyOf(obj),
      signal: ctx.signal,
      ...(throttle ? { throttle } : {}),
      onResult: (operation, error, ms, id) =>
        this.audit.record(target, state, { operation, error, ms, id }, ctx.logger),
    };
  }

  /** A failed read leaves every account in scope Pending with the error, so status shows the delay. */
  private markUnread(
    state: TargetState,
    desired: TargetDesiredState,
    usernames: string[],
    err: unknown,
    now: number,
  ): void {
    const readError = isRosterError(err) ? err : withContext("reading the target failed", err);
    const changedUsers = recordOutcomes({
      state,
      desired,
      usernames,
      plan: { operations: [], conflicts: [], orphans: [] },
      notDone: [],
      failures: [],
      readError,
      syncedAt: toKubeTime(now),
    });
    for (const user of new Set(changedUsers)) this.deps.onUserChanged(user);
  }

  private readonly lastUserChange = (userName: string): number | undefined =>
    this.deps.state.lastUserChange(userName);

  private readonly markerFor = (userName: string): string => {
    const user = this.deps.users.get(userName);
    return ownerMarker(user?.metadata?.uid ?? userName);
  };

  private desired(target: TargetView, userObjs: KubeObject[], now: number): TargetDesiredState {
    const users = userObjs.map(userView);
    const grants = this.deps.grants.byIndex("namespace", target.namespace).map(grantView);
    return desiredState(target, users, grants, now);
  }

  private fullSyncDue(obj: KubeObject, target: TargetView, state: TargetState, now: number): boolean {
    if (target.mode !== "Enforce") return true;
    if (state.lastFullSync === undefined) return true;
    if (state.fullSyncGeneration !== obj.metadata?.generation) return true;
    return now - state.lastFullSync >= syncIntervalMs(obj);
  }

  /** Runs the leavers' cut before the read (cut-ahead.ts), unless a held sync is being released. */
  private async cutFirst(
    obj: KubeObject,
    target: TargetView,
    state: TargetState,
    desired: TargetDesiredState,
    usernames: string[],
    connector: Connector,
    ctx: ReconcileContext,
    now: number,
  ): Promise<number> {
    if (target.mode !== "Enforce" || unusedReleaseToken(obj, state) !== undefined) return 0;
    const { onResult, ...execute } = this.executeOptions(obj, target, state, ctx);
    return cutAhead({
      target,
      state,
      desired,
      usernames,
      connector,
      markerFor: this.markerFor,
      now,
      execute: { ...execute, onSuccess: onResult },
    });
  }

  /**
   * Applies the plan as the Target's mode and the mass-change guard allow (`alreadyCut`:
   * disables/deletes this pass already ran ahead of the read, counted against the guard).
   */
  private async run(
    obj: KubeObject,
    target: TargetView,
    state: TargetState,
    plan: TargetPlan,
    connector: Connector,
    ctx: ReconcileContext,
    alreadyCut = 0,
  ): Promise<ExecutionReport & { notRun: PlannedOperation[] }> {
    const empty = { succeeded: [], failed: [], skipped: [] };
    if (target.mode !== "Enforce") return { ...empty, notRun: plan.operations };
    const releaseToken = unusedReleaseToken(obj, state);
    const released = releaseToken !== undefined;
    const guard = massChangeGuard(plan.operations, state.observed.size, target, released, alreadyCut);
    if (released && guard.destructive > 0) state.usedReleaseToken = releaseToken;
    const held = guard.held ? plan.operations.filter(isDestructive) : [];
    state.held = held.length;
    const allowed = guard.held ? plan.operations.filter((o) => !isDestructive(o)) : plan.operations;
    if (guard.held) ctx.logger.warn({ destructive: guard.destructive, limit: guard.limit }, guard.message);
    // Users the cut lane decided on meanwhile changed after this pass decided: only cuts run.
    const outdated = (o: PlannedOperation) =>
      !isDestructive(o) && o.user !== undefined && state.cutDuringPass.has(o.user);
    await settledCuts(
      state,
      allowed.map((o) => usernameOf(o.change)),
    );
    // A disable the cut lane made while this pass read is not made again.
    const disabledMeanwhile = (o: PlannedOperation) =>
      o.change.op === "disable" && state.observed.get(o.change.username)?.enabled === false;
    const runnable = allowed.filter((o) => !outdated(o) && !disabledMeanwhile(o));
    await this.attachPasswords(obj, target, runnable);
    const report = await executePlan(connector, runnable, this.executeOptions(obj, target, state, ctx));
    return { ...report, notRun: [...held, ...allowed.filter(outdated)] };
  }

  private async attachPasswords(obj: KubeObject, target: TargetView, ops: PlannedOperation[]): Promise<void> {
    if (!target.generatePassword) return;
    for (const operation of ops) {
      if (operation.change.op !== "create") continue;
      const password = await ensurePasswordSecret(this.deps.client, obj, operation.change.account.username);
      operation.change.account.password = password;
    }
  }

  private async finish(
    obj: KubeObject,
    target: TargetView,
    state: TargetState,
    report: (ExecutionReport & { notRun: PlannedOperation[] }) | undefined,
    ctx: ReconcileContext,
  ): Promise<ReconcileResult> {
    const now = this.deps.clock.now();
    const failure = report?.failed[0]?.error;
    const verdict = syncVerdict(target, state, failure);
    const planShown =
      target.mode === "Plan"
        ? planStatus(report?.notRun ?? [], now)
        : state.held > 0
          ? planStatus(report?.notRun ?? [], now)
          : undefined;
    await this.writeStatus(obj, state, verdict, planShown ?? previousPlan(obj, target, state));
    this.deps.metrics.targetCounts(`${target.namespace}/${target.name}`, state);
    const transient = report?.failed.find((f) => f.error.kind === "Transient");
    if (transient) return resultFromError(transient.error);
    if (report && report.failed.length > 0)
      ctx.logger.warn({ failed: report.failed.length }, "some operations failed terminally");
    const nextFull = (state.lastFullSync ?? now) + syncIntervalMs(obj) - now;
    const nextClock = state.nextClock !== undefined ? state.nextClock - now : Infinity;
    return requeueAfter(Math.max(0, Math.min(nextFull, nextClock)));
  }

  private async writeStatus(
    obj: KubeObject,
    state: TargetState,
    verdict: SyncVerdict,
    plan: TargetStatus["plan"] | undefined,
  ): Promise<void> {
    const status = targetStatus({
      previous: obj.status as TargetStatus | undefined,
      state,
      verdict,
      plan,
      generation: obj.metadata?.generation,
      now: this.deps.clock.now(),
    });
    await this.deps.statusWriter.write(obj, status as Record<string, unknown>);
  }

  private async failed(
    obj: KubeObject,
    state: TargetState,
    connected: SyncVerdict["connected"],
    err: unknown,
    ctx: ReconcileContext,
  ): Promise<ReconcileResult> {
    const error = isRosterError(err) ? err : withContext("target unreachable", err);
    const message = connected.ok ? error.message : connected.message;
    const verdict: SyncVerdict = { connected, synced: { ok: false, reason: Reason.SyncFailed, message } };
    await this.writeStatus(obj, state, verdict, (obj.status as TargetStatus | undefined)?.plan);
    ctx.logger.debug({ reason: error.reason }, "target not reachable");
    return resultFromError(error);
  }

  private async forget(key: string): Promise<ReconcileResult> {
    for (const user of this.deps.state.drop(key)) this.deps.onUserChanged(user);
    await this.deps.pool.release(key);
    return done;
  }
}
