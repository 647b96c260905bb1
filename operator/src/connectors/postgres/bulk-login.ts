/**
 * Batch disable and enable: one catalog read checks every role's marker, one script switches
 * LOGIN for all the owned roles that need it, and (disable) one query ends their live sessions
 * after the NOLOGIN committed, as disableAccount / enableAccount do for one role.
 */
import type { AccountChange, BatchOptions, BatchOutcome } from "../../engine/connector.js";
import type { Apply, BatchHandler } from "../shared/batch.js";
import { changedProperties, type RoleRow } from "./attributes.js";
import { readOwnedRoles, type OperationContext } from "./catalog.js";
import { failed, runBulk, type Pending } from "./bulk.js";
import { terminateSessionsOf } from "./terminate.js";
import { subjectOf } from "./operations.js";
import type { Queryable } from "./session.js";
import { alterRoleSql, script } from "./sql.js";

/** One ALTER ROLE per role whose LOGIN differs from `login`, as one script (one transaction). */
async function setLogin(client: Queryable, rows: Iterable<RoleRow>, login: boolean): Promise<void> {
  const text = script([...rows].map((row) => alterRoleSql(row.name, changedProperties(row, { login }))));
  if (text) await client.query(text);
}

/** Disables: owned roles NOLOGIN and their sessions ended; a missing role is done already. */
async function disableAll(ctx: OperationContext, client: Queryable, names: string[]): Promise<Pending[]> {
  const { owned, refused } = await readOwnedRoles(client, names, "disable", "skip");
  await setLogin(client, owned.values(), false);
  const stuck = await terminateSessionsOf(ctx, client, [...owned.keys()]);
  return names.map((name): BatchOutcome => {
    const error = refused.get(name) ?? stuck.get(name);
    if (error) return failed("disable", name, error);
    return { ok: true, result: { id: owned.get(name)?.name } };
  });
}

/** Enables: owned roles LOGIN; a missing role is an error, as for enableAccount. */
async function enableAll(client: Queryable, names: string[]): Promise<Pending[]> {
  const { owned, refused } = await readOwnedRoles(client, names, "enable", "refuse");
  await setLogin(client, owned.values(), true);
  return names.map((name): BatchOutcome => {
    const error = refused.get(name);
    return error ? failed("enable", name, error) : { ok: true, result: { id: owned.get(name)?.name } };
  });
}

/** The batch handler of `disable` changes. */
export function disableHandler(ctx: OperationContext, apply: Apply): BatchHandler {
  return (changes: AccountChange[], options: BatchOptions) =>
    runBulk(ctx, apply, "disable", changes, options, (client) =>
      disableAll(ctx, client, changes.map(subjectOf)),
    );
}

/** The batch handler of `enable` changes. */
export function enableHandler(ctx: OperationContext, apply: Apply): BatchHandler {
  return (changes: AccountChange[], options: BatchOptions) =>
    runBulk(ctx, apply, "enable", changes, options, (client) => enableAll(client, changes.map(subjectOf)));
}
