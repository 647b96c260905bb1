/**
 * The PostgreSQL connector: people are login roles, their access is role membership.
 *
 * - Account = a role named after the username; enabled = LOGIN, disabled = NOLOGIN. The role
 *   name is both the contract's `username` and `id`.
 * - Ownership marker = the role comment (marker.ts); roles without it are reported, never changed.
 * - Attributes = CONNECTION LIMIT, VALID UNTIL and descriptive attributes in the comment (attributes.ts).
 * - Roles = memberships granted by the connector's login role; others' grants are left alone (queries.ts).
 * - Leave = NOLOGIN and live sessions terminated; delete = owned objects reassigned or refused (leave.ts).
 *
 * It implements the contract's optional bulk paths: `observeMany` (one query for many roles) and
 * `applyBatch` (batch.ts: creates in transactions, disables, enables and memberships coalesced).
 */
import type { Logger } from "pino";
import type {
  AccountChange,
  ApplyResult,
  BatchOptions,
  Connector,
  ListOptions,
  ObservedAccount,
} from "../../engine/connector.js";
import { TerminalError, TransientError } from "../../errors.js";
import {
  addRoles,
  adoptAccount,
  createAccount,
  enableAccount,
  removeRoles,
  updateAccount,
} from "./accounts.js";
import { applyBatch, type BatchOutcome } from "./batch.js";
import type { OperationContext } from "./catalog.js";
import { parsePostgresConfig, type PostgresConnectorConfigInput } from "./config.js";
import { deleteAccount, disableAccount } from "./leave.js";
import { changeContext, PRIVILEGES, subjectOf } from "./operations.js";
import {
  ADMIN_PRIVILEGES_SQL,
  EXISTING_ROLES_SQL,
  LIST_ROLES_SQL,
  toObservedAccount,
  toRoleRow,
  type RawRoleRow,
} from "./queries.js";
import { PostgresSession, type Queryable } from "./session.js";

export interface PostgresConnectorOptions {
  logger?: Logger;
}

function dispatch(ctx: OperationContext, client: Queryable, change: AccountChange): Promise<ApplyResult> {
  switch (change.op) {
    case "create":
      return createAccount(ctx, client, change.account);
    case "update":
      return updateAccount(client, change.username, change.set, change.validUntil);
    case "addRoles":
      return addRoles(ctx, client, change.username, change.roles);
    case "removeRoles":
      return removeRoles(ctx, client, change.username, change.roles);
    case "enable":
      return enableAccount(client, change.username);
    case "disable":
      return disableAccount(ctx, client, change.username);
    case "delete":
      return deleteAccount(ctx, client, change.username);
    case "adopt":
      return adoptAccount(client, change.username, change.ownerMarker);
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw new TransientError("Aborted", "postgres read was aborted", { cause: signal.reason });
}

export class PostgresConnector implements Connector {
  private readonly ctx: OperationContext;

  /** Parses `config` (TerminalError `InvalidConfiguration` listing every problem); connects lazily. */
  constructor(config: PostgresConnectorConfigInput, options: PostgresConnectorOptions = {}) {
    const parsed = parsePostgresConfig(config);
    this.ctx = {
      config: parsed,
      session: new PostgresSession(parsed, options.logger),
      logger: options.logger,
    };
  }

  /** Reads the roles named in `usernames`, or every role in scope when null. */
  private async query(
    context: string,
    usernames: string[] | null,
    options: ListOptions,
  ): Promise<ObservedAccount[]> {
    throwIfAborted(options.signal);
    const rows = await this.ctx.session.run(context, async (client) => {
      const result = await client.query<RawRoleRow>(LIST_ROLES_SQL, [usernames, options.roles ?? null]);
      return result.rows;
    });
    throwIfAborted(options.signal);
    return rows.map((row) => toObservedAccount(toRoleRow(row)));
  }

  /** Every role carrying Roster's marker, plus unmarked non-superuser login roles, in one query. */
  list(options: ListOptions = {}): Promise<ObservedAccount[]> {
    return this.query("postgres list of roles failed", null, options);
  }

  async observe(username: string, options: ListOptions = {}): Promise<ObservedAccount | undefined> {
    const [account] = await this.query(
      `postgres read of role ${JSON.stringify(username)} failed`,
      [username],
      options,
    );
    return account;
  }

  apply(change: AccountChange): Promise<ApplyResult> {
    const context = changeContext(change.op, subjectOf(change));
    return this.ctx.session.run(context, (client) => dispatch(this.ctx, client, change), {
      privilege: PRIVILEGES[change.op],
    });
  }

  /**
   * Applies changes of distinct accounts with few round trips (batch.ts); one outcome per change,
   * in input order, each what `apply` gives. `options` defaults to the pool size as concurrency.
   */
  applyBatch(
    changes: readonly AccountChange[],
    options: BatchOptions = { concurrency: this.ctx.config.poolSize },
  ): Promise<BatchOutcome[]> {
    return applyBatch(this.ctx, (change) => this.apply(change), changes, options);
  }

  /** Reads the roles named in `usernames` in one query; what `observe` reports for each that exists. */
  async observeMany(
    usernames: readonly string[],
    options: ListOptions = {},
  ): Promise<Map<string, ObservedAccount>> {
    if (usernames.length === 0) return new Map();
    const accounts = await this.query(
      `postgres read of ${usernames.length} roles failed`,
      [...usernames],
      options,
    );
    return new Map(accounts.map((account) => [account.username, account]));
  }

  /** Connects, authenticates, and verifies the admin role can do what the configuration asks. */
  async check(): Promise<void> {
    const { config } = this.ctx;
    await this.ctx.session.run("postgres connection check failed", async (client) => {
      const { rows } = await client.query<{
        superuser: boolean;
        create_role: boolean;
        signal_backend: boolean;
      }>(ADMIN_PRIVILEGES_SQL);
      const admin = rows[0];
      const missing = (what: string) =>
        new TerminalError(
          "PermissionDenied",
          `postgres admin role ${JSON.stringify(config.user)} lacks ${what}`,
        );
      if (!admin?.superuser && !admin?.create_role) throw missing("CREATEROLE");
      if (config.terminateSessions && !admin.superuser && !admin.signal_backend)
        throw missing("membership in pg_signal_backend, needed to end the sessions of disabled roles");
      if (config.ownedObjects.policy === "reassign")
        await this.checkRoleExists(client, config.ownedObjects.to);
    });
  }

  private async checkRoleExists(client: Queryable, role: string): Promise<void> {
    const { rows } = await client.query(EXISTING_ROLES_SQL, [[role]]);
    if (rows.length === 0)
      throw new TerminalError(
        "ReassignTargetMissing",
        `role ${JSON.stringify(role)}, which should receive the objects of deleted roles, does not exist`,
      );
  }

  async close(): Promise<void> {
    await this.ctx.session.close();
  }
}
