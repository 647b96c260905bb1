import type { AccountStatusEntry } from "../../engine/account-status.js";
import type { ObservedAccount } from "../../engine/connector.js";
import type { TokenBucketLimiter } from "../../runtime/index.js";

/**
 * What the sync knows about one target between reconciles, kept in memory by the leader:
 * - `observed`: the target's accounts as last read (full sync) and updated by each change made;
 * - `converged`: per username, the fingerprint of the intent last made true in the target, so a
 *   reconcile only touches users whose intent changed (an event, a label move, a clock
 *   transition) or whose last attempt failed;
 * - `entries`: the status entries Users report (status.accounts[]), by username.
 * Losing it (restart, new leader) only costs a full sync.
 */
export interface TargetState {
  readonly key: string;
  observed: Map<string, ObservedAccount>;
  converged: Map<string, string>;
  entries: Map<string, { user: string; entry: AccountStatusEntry }>;
  /** User names changed since the last pass (fed by the informer handlers). */
  dirtyUsers: Set<string>;
  /** A grant or the Target changed: the next pass decides on every User. */
  decideAll: boolean;
  /** The earliest instant a decision changes by the clock alone (start/end dates, grant windows). */
  nextClock: number | undefined;
  /** Per User name, the userVersion() the last completed pass decided on. */
  processedUsers: Map<string, string>;
  /**
   * Accounts that must be read before the next plan: a create the sync made without reading
   * first (see TargetSync.presumedAbsent) failed, so what stands in the way has to be looked at.
   */
  mustObserve: Set<string>;
  /** When each pending revocation became due (ms), for the revocation latency metric. */
  revocationDueAt: Map<string, number>;
  /**
   * User names changed since the running pass took its Users: the cut lane (TargetSync.cutLane)
   * cuts the leavers among them without waiting for that pass to end.
   */
  cutCandidates: Set<string>;
  /**
   * Users the cut lane decided on while the current pass runs: that pass decided on an older
   * version of them, so it runs no operation for them but a cut (it must not re-enable an account
   * the lane just disabled); the next pass decides on them afresh.
   */
  cutDuringPass: Set<string>;
  /** Cuts running now (the lane's or a pass's), by username: another cut of the account waits for it. */
  cutsInFlight: Map<string, Promise<unknown>>;
  /** The cut lane's run in progress, if any: a pass's read waits for it (cutsQuiet). */
  cutLaneRun: Promise<unknown> | undefined;
  lastFullSync: number | undefined;
  /** The Target generation the last full sync ran for; a spec change forces a full sync. */
  fullSyncGeneration: number | undefined;
  orphans: string[];
  held: number;
  /** The release-held-changes annotation value already used to release a hold (each value releases once). */
  usedReleaseToken: string | undefined;
  /** The token bucket for spec.rateLimit, with the spec it was built from. */
  rateLimiter?: { spec: string; limiter: TokenBucketLimiter };
}

export class ProvisioningState {
  private readonly targets = new Map<string, TargetState>();
  private readonly userChangedAt = new Map<string, number>();
  /** Targets whose pass is running: the User versions it decides on, the Users waiting for its end. */
  private readonly running = new Map<
    string,
    { deciding: ReadonlyMap<string, string>; waiting: Set<string> }
  >();

  /** Records a change to a User: every Target decides on it again; `at` starts its revocation latency. */
  noteUserChange(userName: string, at: number): void {
    this.userChangedAt.set(userName, at);
    for (const state of this.targets.values()) {
      state.dirtyUsers.add(userName);
      state.cutCandidates.add(userName);
    }
  }

  /** A grant or Target changed: the Target's next pass decides on every User. */
  decideAllFor(targetKey: string): void {
    const state = this.targets.get(targetKey);
    if (state) state.decideAll = true;
  }

  lastUserChange(userName: string): number | undefined {
    return this.userChangedAt.get(userName);
  }

  forTarget(key: string): TargetState {
    let state = this.targets.get(key);
    if (!state) {
      state = {
        key,
        observed: new Map(),
        converged: new Map(),
        entries: new Map(),
        processedUsers: new Map(),
        dirtyUsers: new Set(),
        decideAll: true,
        nextClock: undefined,
        revocationDueAt: new Map(),
        cutCandidates: new Set(),
        cutDuringPass: new Set(),
        cutsInFlight: new Map(),
        cutLaneRun: undefined,
        mustObserve: new Set(),
        lastFullSync: undefined,
        fullSyncGeneration: undefined,
        orphans: [],
        held: 0,
        usedReleaseToken: undefined,
      };
      this.targets.set(key, state);
    }
    return state;
  }

  /** Forgets a target (deleted); returns the Users that had entries for it. */
  drop(key: string): string[] {
    const state = this.targets.get(key);
    this.targets.delete(key);
    return state ? [...new Set([...state.entries.values()].map((e) => e.user))] : [];
  }

  /** Every target's status entry for a username, sorted by target. */
  entriesFor(username: string): AccountStatusEntry[] {
    const out: AccountStatusEntry[] = [];
    for (const state of this.targets.values()) {
      const found = state.entries.get(username);
      if (found) out.push(found.entry);
    }
    return out.sort((a, b) => a.target.localeCompare(b.target));
  }

  /** The keys of Targets that have not yet processed this version of the User. */
  targetsBehind(userName: string, version: string, targetKeys: string[]): string[] {
    return targetKeys.filter((key) => this.targets.get(key)?.processedUsers.get(userName) !== version);
  }

  targetKeys(): string[] {
    return [...this.targets.keys()];
  }

  /** A pass of the Target started (passes of one Target never overlap; nobody waiting is lost). */
  passStarted(targetKey: string): void {
    if (!this.running.has(targetKey))
      this.running.set(targetKey, { deciding: new Map(), waiting: new Set() });
  }

  /** The running pass decides on these Users, at these versions (userVersion()). */
  passDecides(targetKey: string, versions: ReadonlyMap<string, string>): void {
    const pass = this.running.get(targetKey);
    if (pass) pass.deciding = versions;
  }

  /** Whether a pass of the Target is running now. */
  passRunning(targetKey: string): boolean {
    return this.running.has(targetKey);
  }

  /** The pass ended, however it ended: returns the Users whose status waited for it. */
  passEnded(targetKey: string): string[] {
    const pass = this.running.get(targetKey);
    this.running.delete(targetKey);
    return pass ? [...pass.waiting] : [];
  }

  /**
   * Coalesces a User's status writes across Targets: when a Target in `behind` (those that have
   * not processed this version of the User) is running a pass that decides on exactly this
   * version, the User waits for that pass to end (passEnded returns it) instead of writing a
   * status the pass is about to change. Returns false, deferring nothing, otherwise.
   */
  deferUntilPassEnds(userName: string, version: string, behind: readonly string[]): boolean {
    for (const key of behind) {
      const pass = this.running.get(key);
      if (pass?.deciding.get(userName) !== version) continue;
      pass.waiting.add(userName);
      return true;
    }
    return false;
  }
}
