/**
 * The connector contract: the only way the engine talks to a target system (directory, SCIM app,
 * database). Modelled on crossplane's external client: few methods, each idempotent.
 *
 * Contract for every implementation:
 * - Accounts are identified by `username` (Roster's account name); `id` is the target's own
 *   stable identifier (DN, objectGUID, SCIM id, role name) reported back for status.
 * - `ownerMarker` is an opaque string chosen by the engine. Connectors persist it on accounts they
 *   create (LDAP attribute, SCIM externalId, PostgreSQL COMMENT ON ROLE) and report it back as
 *   `owner`. An account whose `owner` is undefined is not Roster's: the engine never asks to modify
 *   or delete it except through an explicit `adopt` change.
 * - `roles` are entitlement names (group names, SCIM group displayNames, PostgreSQL role names).
 *   Membership is changed member by member; a connector never rewrites a whole member list.
 * - Every change is idempotent: creating an account that exists with our marker, adding a role
 *   already held, disabling a disabled account, deleting an account already gone all succeed.
 * - Failures are classified by throwing TransientError (retry), TerminalError (stop, report) or
 *   ConflictError (an unowned account stands in the way), from ../errors.ts. Secrets never appear
 *   in messages.
 */

import type { RosterError } from "../errors.js";

/** A value a target attribute can take; `null` in an update clears the attribute. */
export type AttributeValue = string | string[];

export interface ObservedAccount {
  /** The target's stable identifier (DN / objectGUID / SCIM id / role name). */
  id: string;
  username: string;
  /** Roster's ownership marker as stored on the account, or undefined when the account has none. */
  owner: string | undefined;
  enabled: boolean;
  /** The account's attributes, restricted to those the connector maps (target attribute names). */
  attributes: Record<string, AttributeValue>;
  /** Roles (groups / roles) the account currently holds, among the roles the connector manages. */
  roles: string[];
}

export interface DesiredAccount {
  username: string;
  ownerMarker: string;
  enabled: boolean;
  attributes: Record<string, AttributeValue>;
  roles: string[];
  /** An initial password, when the Target asks for one; never logged. */
  password?: string;
  /** When the target itself should stop the account (defence in depth), RFC 3339. */
  validUntil?: string;
}

/** One idempotent operation against a target. */
export type AccountChange =
  | { op: "create"; account: DesiredAccount }
  | { op: "update"; username: string; set: Record<string, AttributeValue | null>; validUntil?: string | null }
  | { op: "addRoles"; username: string; roles: string[] }
  | { op: "removeRoles"; username: string; roles: string[] }
  | { op: "enable"; username: string }
  | {
      op: "disable";
      username: string;
      /**
       * The account's id when the sync last saw it owned by Roster (set for the cut of a
       * revocation, planned from that picture). A connector may address the account by it rather
       * than look it up first, so a revocation does not wait for a read; when the id no longer
       * exists it must look the account up (and check its ownership) as usual.
       */
      knownId?: string;
    }
  | { op: "delete"; username: string }
  /** Stamp Roster's marker on a pre-existing account that an adopt rule matched. */
  | { op: "adopt"; username: string; ownerMarker: string };

export type AccountOperation = AccountChange["op"];

export interface ApplyResult {
  /** The target's id of the account after the change (undefined after a delete). */
  id: string | undefined;
}

/** The outcome of one change of a batch: what `apply` would have returned or thrown. */
export type BatchOutcome = { ok: true; result: ApplyResult } | { ok: false; error: RosterError };

export interface ListOptions {
  signal?: AbortSignal;
  /** Roles (groups) Roster manages in this target; membership of other groups is not reported. */
  roles?: string[];
}

/** How a batch may be run. */
export interface BatchOptions {
  /** Changes the connector may have in flight at once (the Target's `spec.concurrency`). */
  concurrency: number;
}

export interface Connector {
  /** Reads every account in the connector's scope, in bulk (paged internally), with roles. */
  list(options?: ListOptions): Promise<ObservedAccount[]>;
  /** Reads one account by username; undefined when it does not exist. */
  observe(username: string, options?: ListOptions): Promise<ObservedAccount | undefined>;
  /** Applies one change; idempotent; throws a classified RosterError on failure. */
  apply(change: AccountChange): Promise<ApplyResult>;
  /** Checks connectivity and credentials (Target `Connected` condition). */
  check(): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;
  /**
   * Optional: applies changes of many different accounts faster than one `apply` each: creates in
   * one transaction, membership changes coalesced into one write per group, disables together.
   * Callers put at most one change per account in a batch, so the order inside it is free. The
   * outcome of every change is exactly what `apply` alone would give (same ownership checks,
   * same idempotence), reported in input order; never rejects.
   */
  applyBatch?(changes: readonly AccountChange[], options: BatchOptions): Promise<BatchOutcome[]>;
  /**
   * Optional: reads many accounts by username in few round trips, with what `observe` would
   * report for each; usernames that do not exist are absent from the map. Rejects like `observe`.
   */
  observeMany?(usernames: readonly string[], options?: ListOptions): Promise<Map<string, ObservedAccount>>;
}
