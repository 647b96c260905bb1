import { ConditionType, Reason, type AccessGrantStatus } from "../../api/index.js";
import { grantSelects } from "../../engine/desired.js";
import { grantNextTransition, grantPhase, grantWindow } from "../../engine/lifecycle.js";
import {
  done,
  requeueAfter,
  setCondition,
  toKubeTime,
  type Clock,
  type Condition,
  type ConditionUpdate,
  type KubeObject,
  type ReconcileResult,
  type StatusWriter,
  type Store,
} from "../../runtime/index.js";
import { grantView, userView } from "../views.js";

export interface GrantControllerDeps {
  grants: Store<KubeObject>;
  targets: Store<KubeObject>;
  users: Store<KubeObject>;
  statusWriter: StatusWriter;
  clock: Clock;
}

/**
 * Reports an AccessGrant's state (key "namespace/name"): Active / Expired / Ready conditions,
 * how many Users it matches, when it expires and its next transition, and comes back at that
 * instant. Provisioning itself is the target syncs' job; they react to the same clock.
 */
export class GrantController {
  constructor(private readonly deps: GrantControllerDeps) {}

  readonly reconcile = async (key: string): Promise<ReconcileResult> => {
    const obj = this.deps.grants.get(key);
    if (!obj) return done;
    const grant = grantView(obj);
    const now = this.deps.clock.now();
    const phase = grantPhase(grant, now);
    const targetFound = this.deps.targets.get(`${grant.namespace}/${grant.spec.target}`) !== undefined;
    const matched = this.deps.users.list().filter((u) => grantSelects(grant, userView(u))).length;
    const updates: ConditionUpdate[] = [
      {
        type: ConditionType.Active,
        status: phase === "Active" ? "True" : "False",
        reason:
          phase === "Active"
            ? Reason.GrantActive
            : phase === "Pending"
              ? Reason.NotYetValid
              : Reason.GrantExpired,
        message:
          phase === "Active"
            ? "The grant is in force."
            : phase === "Pending"
              ? "The grant has not started yet."
              : "The grant has ended.",
      },
      {
        type: ConditionType.Expired,
        status: phase === "Expired" ? "True" : "False",
        reason: phase === "Expired" ? Reason.GrantExpired : Reason.GrantActive,
        message:
          phase === "Expired" ? "The grant has ended; its roles were revoked." : "The grant has not ended.",
      },
      targetFound
        ? {
            type: ConditionType.Ready,
            status: "True",
            reason: Reason.Reconciled,
            message: `The grant matches ${matched} users.`,
          }
        : {
            type: ConditionType.Ready,
            status: "False",
            reason: Reason.TargetNotFound,
            message: `Target ${JSON.stringify(grant.spec.target)} does not exist in namespace ${grant.namespace}.`,
          },
    ];
    await this.writeStatus(obj, updates, matched, now);
    const next = grantNextTransition(grant, now);
    return next === undefined ? done : requeueAfter(next - now);
  };

  private async writeStatus(obj: KubeObject, updates: ConditionUpdate[], matched: number, now: number) {
    const grant = grantView(obj);
    const previous = obj.status as AccessGrantStatus | undefined;
    const generation = obj.metadata?.generation;
    const at = { now, ...(generation !== undefined ? { observedGeneration: generation } : {}) };
    let conditions = (previous?.conditions ?? []) as Condition[];
    for (const update of updates) conditions = setCondition(conditions, update, at);
    const status: AccessGrantStatus = { conditions, matchedUsers: matched };
    if (generation !== undefined) status.observedGeneration = generation;
    const { until } = grantWindow(grant);
    if (until !== undefined) status.expiresAt = toKubeTime(until);
    const next = grantNextTransition(grant, now);
    if (next !== undefined) status.nextTransitionTime = toKubeTime(next);
    await this.deps.statusWriter.write(obj, status as Record<string, unknown>);
  }
}
