/**
 * Batch membership changes: one catalog read checks every account's marker, one read gets their
 * current memberships, then per role one GRANT role TO a, b, c (or REVOKE role FROM a, b, c). The
 * same rules as addRoles / removeRoles for one account: a membership held already (by any grantor)
 * is not granted again; only memberships Roster granted are revoked. A role whose write the server
 * refuses sends the changes touching it back to `apply`, which settles each on its own.
 */
import type { BatchOptions } from "../../engine/connector.js";
import { isRosterError } from "../../errors.js";
import {
  membershipOutcomes,
  roleDeltas,
  type Apply,
  type BatchHandler,
  type MembershipChange,
  type RoleDelta,
} from "../shared/batch.js";
import {
  membershipsOf,
  readOwnedRoles,
  withGrantedRoles,
  type Membership,
  type OperationContext,
} from "./catalog.js";
import { inContext, runBulk, type Pending } from "./bulk.js";
import { sqlState } from "./errors.js";
import type { Queryable } from "./session.js";
import { grantRolesSql, revokeRolesSql } from "./sql.js";

type MembershipOp = MembershipChange["op"];

const ACTION: Record<MembershipOp, string> = { addRoles: "grant roles to", removeRoles: "revoke roles from" };

/** Members of `role` to grant to (holding it from no grantor) or revoke from (holding it from Roster). */
export function membersToWrite(
  op: MembershipOp,
  delta: RoleDelta,
  held: ReadonlyMap<string, Membership[]>,
): { write: string[]; theirs: string[] } {
  const holding = (name: string) => (held.get(name) ?? []).find((m) => m.role === delta.role);
  const names = [...new Set(op === "addRoles" ? delta.add : delta.remove)];
  if (op === "addRoles") return { write: names.filter((n) => !holding(n)), theirs: [] };
  return {
    write: names.filter((n) => holding(n)?.ours === true),
    theirs: names.filter((n) => holding(n)?.ours === false),
  };
}

/** Writes one role's delta; false when the server refused it (the caller settles those changes alone). */
async function writeDelta(
  ctx: OperationContext,
  client: Queryable,
  op: MembershipOp,
  delta: RoleDelta,
  held: ReadonlyMap<string, Membership[]>,
): Promise<boolean> {
  const { write, theirs } = membersToWrite(op, delta, held);
  if (theirs.length > 0)
    ctx.logger?.info(
      { role: delta.role, usernames: theirs },
      "leaving postgres memberships granted by someone else",
    );
  try {
    const statement = (op === "addRoles" ? grantRolesSql : revokeRolesSql)([delta.role], write);
    if (statement) await withGrantedRoles(ctx, client, [delta.role], () => client.query(statement));
    return true;
  } catch (err) {
    if (!isRosterError(err) && sqlState(err) === undefined) throw err;
    ctx.logger?.debug(
      { role: delta.role, op, err: (err as Error).message },
      "postgres batch membership write refused",
    );
    return false;
  }
}

async function writeMemberships(
  ctx: OperationContext,
  client: Queryable,
  op: MembershipOp,
  changes: MembershipChange[],
): Promise<Pending[]> {
  const names = changes.map((c) => c.username);
  const { owned, refused } = await readOwnedRoles(client, names, ACTION[op], "refuse");
  const writable = changes.filter((c) => owned.has(c.username));
  const held = await membershipsOf(client, [...owned.keys()]);
  const refusedRoles = new Set<string>();
  for (const delta of roleDeltas(writable))
    if (!(await writeDelta(ctx, client, op, delta, held))) refusedRoles.add(delta.role);
  const accountErrors = new Map([...refused].map(([name, error]) => [name, inContext(op, name, error)]));
  const outcomes = membershipOutcomes(changes, accountErrors, new Map(), (name) => owned.get(name)?.name);
  return changes.map((change, i) =>
    owned.has(change.username) && change.roles.some((r) => refusedRoles.has(r)) ? undefined : outcomes[i],
  );
}

/** The batch handler of `addRoles` or `removeRoles` changes. */
export function membershipHandler(ctx: OperationContext, apply: Apply, op: MembershipOp): BatchHandler {
  return (changes, options: BatchOptions) =>
    // dispatchBatch hands this handler only changes of its own operation.
    runBulk(ctx, apply, op, changes, options, (client) =>
      writeMemberships(ctx, client, op, changes as MembershipChange[]),
    );
}
