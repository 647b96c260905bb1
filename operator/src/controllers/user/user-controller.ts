import { ConditionType, Reason, type UserStatus } from "../../api/index.js";
import { userConditions, type AccountStatusEntry } from "../../engine/account-status.js";
import { userNextTransition } from "../../engine/desired.js";
import {
  done,
  hasFinalizer,
  requeueAfter,
  setCondition,
  toKubeTime,
  type Clock,
  type Condition,
  type FinalizerHelper,
  type KubeObject,
  type ReconcileResult,
  type StatusWriter,
  type Store,
} from "../../runtime/index.js";
import { ABANDON_ANNOTATION, USER_FINALIZER } from "../resources.js";
import { userStatusUnchanged } from "./cached-user.js";
import type { ProvisioningState } from "../sync/target-state.js";
import { grantView, userVersion, userView } from "../views.js";

export interface UserControllerDeps {
  users: Store<KubeObject>;
  grants: Store<KubeObject>;
  targets: Store<KubeObject>;
  state: ProvisioningState;
  statusWriter: StatusWriter;
  finalizers: FinalizerHelper;
  clock: Clock;
}

/** How often a User being deleted is checked again while targets still have to revoke. */
const DELETION_RECHECK_MS = 30_000;

/**
 * Reconciles a User's finalizer and status (key: the User's name). The accounts themselves are
 * the target syncs' job; this controller reports them (status.accounts[] and Ready / Reconciling
 * / Stalled) and holds a deleted User until every Target has applied its leavePolicy — or the
 * Target is gone, or released with the roster.dev/released annotation — so deletion never wedges.
 */
export class UserController {
  constructor(private readonly deps: UserControllerDeps) {}

  readonly reconcile = async (key: string): Promise<ReconcileResult> => {
    const obj = this.deps.users.get(key);
    if (!obj) return done;
    const user = userView(obj);
    if (user.deleting) return this.finalize(obj, user.spec.username);
    if (!hasFinalizer(obj, USER_FINALIZER)) {
      await this.deps.finalizers.add(obj);
      return done;
    }
    // A status already shown waits for a running pass that is about to change it: one write per
    // User for passes of several Targets, not one per Target (the pass's end enqueues it again).
    if (
      obj.status !== undefined &&
      this.deps.state.deferUntilPassEnds(key, userVersion(obj), this.targetsBehind(obj))
    )
      return done;
    const next = await this.writeStatus(obj, this.deps.state.entriesFor(user.spec.username));
    // Come back when the clock changes this User's access, so nextTransitionTime moves on.
    return next === undefined ? done : requeueAfter(next - this.deps.clock.now());
  };

  private async finalize(obj: KubeObject, username: string): Promise<ReconcileResult> {
    if (!hasFinalizer(obj, USER_FINALIZER)) return done;
    const entries = this.deps.state.entriesFor(username);
    const outstanding = entries.filter((entry) => !this.settled(entry));
    if (outstanding.length === 0) {
      await this.deps.finalizers.remove(obj);
      return done;
    }
    await this.writeStatus(obj, entries);
    return requeueAfter(DELETION_RECHECK_MS);
  }

  /** An account no longer holds the User's deletion: revoked, not Roster's, retained, or its Target released. */
  private settled(entry: AccountStatusEntry): boolean {
    if (entry.state === "Disabled" || entry.state === "Deleted" || entry.state === "Conflict") return true;
    const target = this.deps.targets.get(entry.target);
    if (!target) return true;
    if (target.metadata?.annotations?.[ABANDON_ANNOTATION] !== undefined) return true;
    const leavePolicy = (target.spec as { leavePolicy?: { type?: string } } | undefined)?.leavePolicy?.type;
    return leavePolicy === "Retain" && entry.state === "Provisioned";
  }

  /** Writes the status when it changed; returns the User's next clock transition. */
  private async writeStatus(obj: KubeObject, accounts: AccountStatusEntry[]): Promise<number | undefined> {
    const previous = obj.status as UserStatus | undefined;
    const generation = obj.metadata?.generation;
    const at = {
      now: this.deps.clock.now(),
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
    };
    let conditions = (previous?.conditions ?? []) as Condition[];
    for (const spec of this.summary(obj, accounts)) conditions = setCondition(conditions, spec, at);
    const status: UserStatus = { conditions, accounts };
    if (generation !== undefined) status.observedGeneration = generation;
    const next = userNextTransition(
      userView(obj),
      this.deps.grants.list().map(grantView),
      this.deps.clock.now(),
    );
    if (next !== undefined) status.nextTransitionTime = toKubeTime(next);
    // The cache holds status.accounts as a digest (cached-user.ts): compare in that form.
    if (!userStatusUnchanged(obj, status as Record<string, unknown>))
      await this.deps.statusWriter.write(obj, status as Record<string, unknown>);
    return next;
  }

  /** Conditions from the accounts, while deleting, or until every Target processed this version of the User. */
  private summary(obj: KubeObject, accounts: AccountStatusEntry[]) {
    const behind = this.targetsBehind(obj);
    const conditions = userConditions(accounts);
    const reconciling = (reason: string, message: string) =>
      conditions.map((c) => ({
        ...c,
        status: (c.type === ConditionType.Reconciling ? "True" : "False") as "True" | "False",
        reason,
        message,
      }));
    if (obj.metadata?.deletionTimestamp) {
      return reconciling(
        Reason.Deleting,
        "Waiting for every Target to apply its leavePolicy before the User is removed.",
      );
    }
    if (behind.length > 0 && !conditions.some((c) => c.type === "Stalled" && c.status === "True")) {
      return reconciling(Reason.Progressing, `Waiting for ${behind.join(", ")} to process this User.`);
    }
    return conditions;
  }

  /** The Targets that have not processed this version of the User yet. */
  private targetsBehind(obj: KubeObject): string[] {
    const targetKeys = this.deps.targets.list().map((t) => `${t.metadata?.namespace}/${t.metadata?.name}`);
    return this.deps.state.targetsBehind(obj.metadata?.name ?? "", userVersion(obj), targetKeys);
  }
}
