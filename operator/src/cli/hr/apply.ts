/**
 * Applying an import plan to the cluster: one server-side apply request per User (Kubernetes has
 * no batch write), a bounded number in flight. Leavers are written before moves and hires, so
 * revocations land before grants of access. A User that fails is reported and the others are
 * still written; failures are reported in plan order, whatever order the requests finish in.
 */
import { mapConcurrently } from "../../runtime/batching.js";
import type { KubeClient } from "../../runtime/index.js";
import { applyUser } from "../cluster.js";
import { messageOf } from "../command.js";
import type { ImportPlan } from "./diff.js";
import { userManifest } from "./manifest.js";
import type { Person } from "./people.js";

/**
 * Apply requests in flight at once. Each User is its own round trip, so several at once hide the
 * latency; a small fixed number keeps one import from crowding the API server, whose capacity for
 * writes is shared with the controllers (Roster's among them) reacting to these very Users.
 */
export const USER_WRITES_IN_FLIGHT = 8;

/** The people the plan writes, phase by phase: leavers first, then moves and hires. */
export function writePhases(plan: ImportPlan): Person[][] {
  return [
    plan.leavers.map((leaver) => leaver.person),
    [...plan.moves, ...plan.hires].map((change) => change.person),
  ];
}

/** A User the server refused: its name and the server's reason (which names the field). */
export interface UserWriteFailure {
  name: string;
  message: string;
}

/**
 * Applies every person of the plan; resolves with the failures, in plan order. `onFailures` is
 * called after each phase with that phase's failures, so errors are printed as phases finish.
 */
export async function applyPlan(
  client: KubeClient,
  plan: ImportPlan,
  onFailures: (failures: readonly UserWriteFailure[]) => void,
): Promise<UserWriteFailure[]> {
  const all: UserWriteFailure[] = [];
  for (const phase of writePhases(plan)) {
    const outcomes = await mapConcurrently(phase, USER_WRITES_IN_FLIGHT, async (person) => {
      try {
        await applyUser(client, userManifest(person));
        return undefined;
      } catch (err) {
        return { name: person.name, message: messageOf(err) };
      }
    });
    const failures = outcomes.filter((f): f is UserWriteFailure => f !== undefined);
    onFailures(failures);
    all.push(...failures);
  }
  return all;
}
