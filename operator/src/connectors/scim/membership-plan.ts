/**
 * What to write to one SCIM Group to apply a membership delta, computed from its current member
 * ids. Pure: the caller reads the group, asks for a plan, and writes it.
 *
 * Adds carry only the members missing (scimmy duplicates an existing member on `add`), removals
 * only the members present. PATCH requests are cut into chunks of at most
 * MEMBER_CHANGES_PER_PATCH member changes: Better Auth validates the members of an `add` with one
 * query capped at 100 rows.
 */
import type { ScimQuirks } from "./config.js";
import { memberAddition, memberRemovals, missingMembers, type PatchOperation } from "./quirks.js";

/** Member additions and removals carried by one PATCH request at most. */
export const MEMBER_CHANGES_PER_PATCH = 100;

/** User ids to add to and remove from one group. */
export interface MemberDelta {
  add: readonly string[];
  remove: readonly string[];
}

export interface MembershipPlan {
  /** The operations of each PATCH request, in order; empty when the group is already so. */
  patches: PatchOperation[][];
  /** The member list after the change (for providers without PATCH: one full replace). */
  next: string[];
}

/** The plan for `delta` against `current`; undefined when nothing needs to change. */
export function planMembership(
  current: readonly string[],
  delta: MemberDelta,
  quirks: ScimQuirks,
  chunkSize: number = MEMBER_CHANGES_PER_PATCH,
): MembershipPlan | undefined {
  const removing = new Set(delta.remove);
  const adds = missingMembers(current, delta.add).filter((id) => !removing.has(id));
  const present = new Set(current);
  const removes = [...removing].filter((id) => present.has(id));
  if (adds.length === 0 && removes.length === 0) return undefined;
  const changes = [...adds.map((id) => ({ id, add: true })), ...removes.map((id) => ({ id, add: false }))];
  const patches: PatchOperation[][] = [];
  for (let start = 0; start < changes.length; start += chunkSize) {
    const chunk = changes.slice(start, start + chunkSize);
    const added = chunk.filter((c) => c.add).map((c) => c.id);
    const removed = chunk.filter((c) => !c.add).map((c) => c.id);
    patches.push([...(added.length > 0 ? [memberAddition(added)] : []), ...memberRemovals(removed, quirks)]);
  }
  const next = [...current.filter((id) => !removing.has(id)), ...adds];
  return { patches, next };
}
