/**
 * Account operations other than leaving: create, update, role membership, enable, adopt. Each is
 * idempotent and touches only roles carrying Roster's marker (create and adopt excepted, which
 * check for themselves). Multi-statement writes go as one script = one implicit transaction.
 */
import type { AttributeValue, DesiredAccount } from "../../engine/connector.js";
import { ConflictError, TerminalError } from "../../errors.js";
import { changedProperties, descriptiveAttributes, mergeDescriptive, roleProperties } from "./attributes.js";
import {
  memberships,
  readRole,
  requireOwnedRole,
  withGrantedRoles,
  type OperationContext,
} from "./catalog.js";
import type { PostgresConnectorConfig } from "./config.js";
import { sqlState } from "./errors.js";
import { adoptedComment, formatRoleComment, parseRoleComment } from "./marker.js";
import { passwordForServer } from "./scram.js";
import type { Queryable } from "./session.js";
import {
  alterRoleSql,
  commentOnRoleSql,
  createRoleSql,
  grantRolesSql,
  revokeRolesSql,
  script,
} from "./sql.js";

/** Sorted, de-duplicated role names. */
export function roleSet(roles: readonly string[]): string[] {
  return [...new Set(roles)].sort();
}

/** The statements creating an account: the role, its marker comment and its grants. */
export async function createAccountStatements(
  config: PostgresConnectorConfig,
  account: DesiredAccount,
): Promise<string[]> {
  const properties = roleProperties(account.attributes);
  const connectionLimit = properties.connectionLimit ?? config.connectionLimit;
  const validUntil = account.validUntil ?? properties.validUntil;
  const password = account.password === undefined ? undefined : await passwordForServer(account.password);
  const comment = formatRoleComment({
    owner: account.ownerMarker,
    attributes: descriptiveAttributes(account.attributes),
  });
  const create = createRoleSql(account.username, {
    login: account.enabled,
    ...(password !== undefined ? { password } : {}),
    ...(connectionLimit !== undefined ? { connectionLimit } : {}),
    ...(validUntil !== undefined ? { validUntil } : {}),
  });
  const grant = grantRolesSql(roleSet(account.roles), account.username);
  return [create, commentOnRoleSql(account.username, comment), ...(grant !== undefined ? [grant] : [])];
}

/**
 * Decides about a role that already exists where `account` was to be created: ours (same marker)
 * is success, anything else a ConflictError.
 */
export async function existingAccount(client: Queryable, account: DesiredAccount): Promise<{ id: string }> {
  const row = await readRole(client, account.username);
  const owner = parseRoleComment(row?.comment).owner;
  if (row && owner === account.ownerMarker) return { id: row.name };
  const whose = owner === undefined ? "without Roster's marker" : "owned by another Roster marker";
  throw new ConflictError("RoleExists", `role ${JSON.stringify(account.username)} already exists ${whose}`);
}

export async function createAccount(
  ctx: OperationContext,
  client: Queryable,
  account: DesiredAccount,
): Promise<{ id: string }> {
  const statements = await createAccountStatements(ctx.config, account);
  try {
    await withGrantedRoles(ctx, client, account.roles, () => client.query(script(statements)));
    return { id: account.username };
  } catch (err) {
    if (sqlState(err) === "42710") return existingAccount(client, account);
    throw err;
  }
}

export async function updateAccount(
  client: Queryable,
  username: string,
  set: Record<string, AttributeValue | null>,
  validUntil: string | null | undefined,
): Promise<{ id: string }> {
  const row = await requireOwnedRole(client, username, "update");
  const wanted = roleProperties(set);
  if (validUntil !== undefined) wanted.validUntil = validUntil ?? "infinity";
  const current = parseRoleComment(row.comment);
  const comment = formatRoleComment({
    ...current,
    owner: current.owner as string,
    attributes: mergeDescriptive(current.attributes, set),
  });
  const statements = [
    alterRoleSql(username, changedProperties(row, wanted)),
    comment !== row.comment ? commentOnRoleSql(username, comment) : undefined,
  ];
  const text = script(statements);
  if (text) await client.query(text);
  return { id: row.name };
}

export async function addRoles(
  ctx: OperationContext,
  client: Queryable,
  username: string,
  roles: readonly string[],
): Promise<{ id: string }> {
  const row = await requireOwnedRole(client, username, "grant roles to");
  const held = new Set((await memberships(client, username)).map((m) => m.role));
  const toGrant = roleSet(roles).filter((role) => !held.has(role));
  const grant = grantRolesSql(toGrant, username);
  if (grant) await withGrantedRoles(ctx, client, toGrant, () => client.query(grant));
  return { id: row.name };
}

/** Revokes only memberships Roster granted; the same membership granted by someone else stays. */
export async function removeRoles(
  ctx: OperationContext,
  client: Queryable,
  username: string,
  roles: readonly string[],
): Promise<{ id: string }> {
  const row = await requireOwnedRole(client, username, "revoke roles from");
  const wanted = new Set(roles);
  const held = (await memberships(client, username)).filter((m) => wanted.has(m.role));
  const theirs = held.filter((m) => !m.ours).map((m) => m.role);
  if (theirs.length > 0)
    ctx.logger?.info({ username, roles: theirs }, "leaving postgres memberships granted by someone else");
  const revoke = revokeRolesSql(
    held.filter((m) => m.ours).map((m) => m.role),
    username,
  );
  if (revoke) await client.query(revoke);
  return { id: row.name };
}

export async function enableAccount(client: Queryable, username: string): Promise<{ id: string }> {
  const row = await requireOwnedRole(client, username, "enable");
  const alter = alterRoleSql(username, changedProperties(row, { login: true }));
  if (alter) await client.query(alter);
  return { id: row.name };
}

/** Stamps the marker on an existing role, keeping its former comment as the marker's note. */
export async function adoptAccount(
  client: Queryable,
  username: string,
  ownerMarker: string,
): Promise<{ id: string }> {
  const row = await readRole(client, username);
  if (!row)
    throw new TerminalError(
      "AccountNotFound",
      `role ${JSON.stringify(username)} does not exist, so it cannot be adopted`,
    );
  const comment = adoptedComment(row.comment, ownerMarker);
  if (comment !== row.comment) await client.query(commentOnRoleSql(username, comment));
  return { id: row.name };
}
