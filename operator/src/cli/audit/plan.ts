/**
 * The pending operations of Targets in Plan mode, or whose sync the safety limits held back,
 * from status.plan; each account is matched back to its User. Pure.
 */
import type { PlannedOperationStatus, Target } from "../../api/index.js";
import type { Snapshot } from "../cluster.js";
import type { Column, Row } from "../output.js";
import { byKey, keyOf, targetMatches, type TargetFilter } from "./common.js";

export interface TargetPlanView {
  target: string;
  mode: string;
  held: number;
  total: number;
  generatedTime: string | undefined;
  operations: Array<PlannedOperationStatus & { user: string | undefined }>;
}

export const PLAN_COLUMNS: Column[] = [
  { header: "TARGET", key: "target" },
  { header: "MODE", key: "mode" },
  { header: "OPERATION", key: "operation" },
  { header: "ACCOUNT", key: "account" },
  { header: "USER", key: "user" },
  { header: "ROLES", key: "roles" },
  { header: "ATTRIBUTES", key: "attributes" },
];

function pending(target: Target): boolean {
  const plan = target.status?.plan;
  if (!plan) return false;
  return target.spec.mode === "Plan" || (target.status?.counts?.held ?? 0) > 0;
}

export function planViews(snapshot: Snapshot, filter?: TargetFilter): TargetPlanView[] {
  const userOf = new Map(snapshot.users.map((u) => [u.spec.username, u.metadata.name]));
  return snapshot.targets
    .filter((t) => targetMatches(filter, keyOf(t)) && pending(t))
    .map((t) => {
      const plan = t.status?.plan;
      return {
        target: keyOf(t),
        mode: t.spec.mode ?? "Enforce",
        held: t.status?.counts?.held ?? 0,
        total: plan?.total ?? 0,
        generatedTime: plan?.generatedTime,
        operations: (plan?.operations ?? []).map((op) => ({ ...op, user: userOf.get(op.username) })),
      };
    })
    .sort((a, b) => byKey(a.target, b.target));
}

/** One row per operation, in plan order (revocations first, as they would run). */
export function planRows(views: readonly TargetPlanView[]): Row[] {
  return views.flatMap((view) =>
    view.operations.map((op) => ({
      target: view.target,
      mode: view.held > 0 ? `${view.mode} (held)` : view.mode,
      operation: op.operation,
      account: op.username,
      user: op.user,
      roles: op.roles ?? [],
      attributes: op.attributes ?? [],
    })),
  );
}

/** Lines under the table: when each plan was made, and plans longer than status shows. */
export function planNotes(views: readonly TargetPlanView[]): string[] {
  return views.map((v) => {
    const shown = v.operations.length < v.total ? `${v.operations.length} of ${v.total}` : `${v.total}`;
    const held = v.held > 0 ? `, ${v.held} held back by the safety limits` : "";
    return `${v.target}: ${shown} operation(s)${held}, computed ${v.generatedTime ?? "at an unknown time"}`;
  });
}
