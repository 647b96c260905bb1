import type { Logger } from "pino";
import type { TargetView } from "../../engine/model.js";
import type { PlannedOperation } from "../../engine/plan.js";
import type { RosterError } from "../../errors.js";
import type { Clock, EventRecorder, KubeObject, Store } from "../../runtime/index.js";
import type { RosterMetrics } from "../metrics.js";
import { afterChange, usernameOf } from "./effects.js";
import type { TargetState } from "./target-state.js";

/**
 * What happens after each operation against a target: one structured log line (names, never
 * values), the operations metric, an Event on the User, the sync's picture of the target updated,
 * and the revocation latency observed. Events are best effort (the recorder drops them when its
 * queue is full, counted in roster_events_dropped_total); the log line is the complete record.
 */
export class OperationAudit {
  constructor(
    private readonly deps: {
      users: Store<KubeObject>;
      targets: Store<KubeObject>;
      events: EventRecorder;
      metrics: RosterMetrics;
      clock: Clock;
    },
  ) {
    deps.events.onDropped(({ type, reason }) => deps.metrics.eventDropped(type, reason));
  }

  /** One structured log line per operation (no values), metrics, and the sync's picture of the target. */
  record(
    target: TargetView,
    state: TargetState,
    outcome: {
      operation: PlannedOperation;
      error: RosterError | undefined;
      ms: number;
      id: string | undefined;
    },
    logger: Logger,
  ): void {
    const { operation, error, ms, id } = outcome;
    const username = usernameOf(operation.change);
    const targetKey = `${target.namespace}/${target.name}`;
    const change = operation.change;
    const attributes = change.op === "update" ? Object.keys(change.set) : undefined;
    const roles = change.op === "addRoles" || change.op === "removeRoles" ? change.roles : undefined;
    const result = error ? error.kind : "Success";
    logger.info(
      {
        target: targetKey,
        operation: change.op,
        account: username,
        attributes,
        roles,
        result,
        ms: Math.round(ms),
      },
      error ? `operation failed: ${error.message}` : "operation applied",
    );
    this.deps.metrics.operation(targetKey, change.op, result);
    this.event(targetKey, operation, username, error);
    if (error) return;
    const after = afterChange(state.observed.get(username), change, id);
    if (after) state.observed.set(username, after);
    else state.observed.delete(username);
    if (operation.revocation) this.deps.metrics.revoked(targetKey, state, username, this.deps.clock.now());
  }

  /** An Event per account change on the User it is for (names only: never values or passwords). */
  private event(targetKey: string, operation: PlannedOperation, username: string, error?: RosterError) {
    const regarding =
      (operation.user && this.deps.users.get(operation.user)) || this.deps.targets.get(targetKey);
    if (!regarding) return;
    const op = operation.change.op;
    void this.deps.events.record(
      regarding,
      error
        ? {
            type: "Warning",
            reason: "OperationFailed",
            action: op,
            note: `${op} of account ${username} in ${targetKey} failed: ${error.message}`,
          }
        : {
            type: "Normal",
            reason: EVENT_REASONS[op],
            action: op,
            note: `${describeOperation(operation)} in ${targetKey}.`,
          },
    );
  }
}

/** Event reasons per operation: CamelCase, stable. */
export const EVENT_REASONS: Record<PlannedOperation["change"]["op"], string> = {
  create: "AccountCreated",
  update: "AccountUpdated",
  addRoles: "RolesGranted",
  removeRoles: "RolesRevoked",
  enable: "AccountEnabled",
  disable: "AccountDisabled",
  delete: "AccountDeleted",
  adopt: "AccountAdopted",
};

/** A sentence describing an applied operation: names only, never values or passwords. */
export function describeOperation(operation: PlannedOperation): string {
  const change = operation.change;
  const username = usernameOf(change);
  switch (change.op) {
    case "create":
      return `Created account ${username}${change.account.roles.length ? ` with roles ${change.account.roles.join(", ")}` : ""}`;
    case "update":
      return `Updated ${Object.keys(change.set).sort().join(", ")} of account ${username}`;
    case "addRoles":
      return `Granted ${change.roles.join(", ")} to account ${username}`;
    case "removeRoles":
      return `Revoked ${change.roles.join(", ")} from account ${username}`;
    default:
      return `${EVENT_REASONS[change.op].replace("Account", "")} account ${username}`;
  }
}
