/**
 * Roster's ownership rules over SCIM Users: creating an account (a userName conflict is ours
 * only when our marker is on the account), and finding the account a change may touch.
 * Shared by the connector's `apply` and its batch paths, so both give the same outcomes.
 */
import type { Logger } from "pino";
import type { DesiredAccount } from "../../engine/connector.js";
import { ConflictError, TerminalError, TransientError } from "../../errors.js";
import type { ScimConfig } from "./config.js";
import { encodeExternalId, observedUser, userResource, type ScimAttributes } from "./mapping.js";
import type { Resource } from "./resources.js";
import type { ScimUsers } from "./users.js";

/**
 * How long ownership established by a read is trusted for enabling or disabling an account: the
 * pass that decides on a change reads the account (observe / observeMany) just before, so the
 * change need not look it up again. A stale id answers 404 and is then looked up afresh.
 */
export const RECENT_READ_MS = 30_000;

/**
 * How long ownership established by a read is trusted for a membership change: the pass that
 * plans it has just read the account. Kept short, since a stale id would make a removal a no-op.
 */
export const RECENT_MEMBER_READ_MS = 5_000;

export class ScimAccounts {
  constructor(
    private readonly users: ScimUsers,
    private readonly config: ScimConfig,
    private readonly logger: Logger | undefined,
  ) {}

  /**
   * Creates the user without memberships and returns its id; an existing user with our marker
   * counts as created, anyone else's is a ConflictError.
   */
  async create(account: DesiredAccount): Promise<string> {
    const externalId = encodeExternalId(account.ownerMarker, account.username, this.config.externalId);
    const wire = await this.users.toWire(account.attributes);
    if ("manager" in wire && wire.manager === undefined)
      this.logger?.warn(
        { username: account.username },
        "manager has no SCIM account yet; created without one",
      );
    const attributes = Object.fromEntries(
      Object.entries(wire).filter(([, v]) => typeof v === "string"),
    ) as ScimAttributes;
    try {
      const body = userResource({
        userName: account.username,
        externalId,
        active: account.enabled,
        attributes,
        password: account.password,
      });
      const created = await this.users.resources.create(body);
      this.users.remember(created);
      return String(created.id);
    } catch (err) {
      // userName is unique (RFC 7643 §4.1.1), so the POST itself is the existence check: on a
      // uniqueness conflict (an earlier create, a retried POST whose answer was lost, a concurrent
      // create, or someone else's account) the account is ours only if its marker says so.
      const raced = err instanceof ConflictError ? await this.users.find(account.username) : undefined;
      if (!raced) throw err;
      return ownedBy(raced, account.ownerMarker, "create");
    }
  }

  /** The user `op` may change: it must exist (TerminalError) and carry a marker (ConflictError). */
  async owned(username: string, op: string): Promise<Resource> {
    const user = await this.existing(username, op);
    requireOwned(user, op);
    return user;
  }

  /**
   * Runs `write` against the user `op` may change, by id: the id from a read of the last
   * RECENT_READ_MS when there was one, else the sync's `knownId`, else looked up now (the same
   * errors as `owned`). An id that proves stale (the user is gone: 404) is looked up afresh and
   * `write` runs again.
   * Only for writes to the user's own resource, where a stale id cannot succeed silently.
   */
  async withOwnedId<T>(
    username: string,
    op: string,
    write: (id: string) => Promise<T>,
    /** The id the sync last saw the account owned with (a revocation's cut): used like a recent read. */
    knownId?: string,
  ): Promise<T> {
    const last = this.users.recentlyRead(username, RECENT_READ_MS);
    const id = last?.owner !== undefined ? last.id : knownId;
    if (id === undefined) return write(String((await this.owned(username, op)).id));
    try {
      return await write(id);
    } catch (err) {
      if (!isGone(err)) throw err;
      this.users.forget(username);
      return write(String((await this.owned(username, op)).id));
    }
  }

  /**
   * The id to add to or remove from groups for the user `op` is about: from a read of the last
   * RECENT_MEMBER_READ_MS (the pass that planned the change), else looked up now (as `owned`).
   */
  async memberId(username: string, op: string): Promise<string> {
    const last = this.users.recentlyRead(username, RECENT_MEMBER_READ_MS);
    if (last?.owner !== undefined) return last.id;
    return String((await this.owned(username, op)).id);
  }

  /** The user `op` is about; TerminalError when there is none. */
  async existing(username: string, op: string): Promise<Resource> {
    const user = await this.users.find(username);
    if (!user)
      throw new TerminalError("AccountNotFound", `cannot ${op} SCIM user "${username}": it does not exist`);
    return user;
  }
}

/** The id of `user` when Roster owns it with `marker`; ConflictError otherwise. */
function ownedBy(user: Resource, marker: string, op: string): string {
  const { id, username, owner } = observedUser(user);
  if (owner !== marker)
    throw new ConflictError(
      "AccountNotOwned",
      `cannot ${op} SCIM user "${username}": it exists and is not owned by Roster`,
    );
  return id;
}

/** ConflictError unless `user` carries Roster's marker. */
export function requireOwned(user: Resource, op: string): void {
  const { username, owner } = observedUser(user);
  if (owner === undefined)
    throw new ConflictError(
      "AccountNotOwned",
      `cannot ${op} SCIM user "${username}": it is not owned by Roster`,
    );
}

/** Whether a write failed because the user it addressed no longer exists. */
function isGone(err: unknown): boolean {
  return (
    (err instanceof TerminalError && err.reason === "NotFound") ||
    (err instanceof TransientError && err.reason === "AccountVanished")
  );
}
