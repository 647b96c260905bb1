/**
 * The SCIM 2.0 connector (RFC 7643 / 7644): Roster accounts are SCIM Users found by userName,
 * owned when their externalId carries Roster's marker; roles are SCIM Groups by displayName.
 * What the provider supports (PATCH, filters, ETags, Groups) is discovered once, not assumed.
 * Bulk paths: `observeMany` reads each managed group once per call; `applyBatch` (batch.ts)
 * coalesces membership changes into one read and few PATCHes per group.
 *
 * Not expressible in SCIM core and therefore not written: `validUntil` (the engine's own expiry
 * still disables the account). `password` is sent on create when given (RFC 7643 §4.1.1).
 */
import type { Logger } from "pino";
import type {
  AccountChange,
  ApplyResult,
  BatchOptions,
  BatchOutcome,
  Connector,
  DesiredAccount,
  ListOptions,
  ObservedAccount,
} from "../../engine/connector.js";
import { TransientError } from "../../errors.js";
import { asRosterError } from "../shared/batch.js";
import { ScimAccounts, requireOwned } from "./accounts.js";
import { tokenSource } from "./auth.js";
import { applyScimBatch, type BatchSession } from "./batch.js";
import type { ScimConfig } from "./config.js";
import { discover, type ScimCapabilities } from "./discovery.js";
import { ScimGroups } from "./groups.js";
import { encodeExternalId, observedUser } from "./mapping.js";
import { ScimResources, type Resource } from "./resources.js";
import { mapConcurrently } from "../../runtime/batching.js";
import { tlsFetch, type TlsFetch } from "./tls.js";
import { ScimTransport, type TransportOptions } from "./transport.js";
import { ScimUsers } from "./users.js";

/** Users looked up at once by observeMany. */
const OBSERVE_CONCURRENCY = 8;

export interface ScimConnectorOptions extends TransportOptions {
  logger?: Logger;
}

interface Session extends BatchSession {
  capabilities: ScimCapabilities;
}

export class ScimConnector implements Connector {
  private readonly transport: ScimTransport;
  private session: Promise<Session> | undefined;
  private readonly tls: TlsFetch | undefined;

  constructor(
    private readonly config: ScimConfig,
    private readonly options: ScimConnectorOptions = {},
  ) {
    this.tls = config.tls && !options.fetch ? tlsFetch(config.tls) : undefined;
    const fetchImpl = options.fetch ?? this.tls?.fetch ?? fetch;
    const tokens = tokenSource(config.auth, fetchImpl, config.timeouts.requestMs);
    this.transport = new ScimTransport(config, tokens, { ...options, fetch: fetchImpl });
  }

  /** The provider's discovered capabilities (read once). */
  async capabilities(): Promise<ScimCapabilities> {
    return (await this.open()).capabilities;
  }

  async check(): Promise<void> {
    this.session = undefined; // re-discover: the provider may have changed
    const { users } = await this.open();
    // ServiceProviderConfig may be served without authentication (RFC 7644 §4): prove the credentials.
    await this.transport.request("GET", users.resources.endpoint, { query: { startIndex: 1, count: 1 } });
  }

  async list(options: ListOptions = {}): Promise<ObservedAccount[]> {
    const { users, groups } = await this.open();
    const all = await users.listAll(options.signal);
    const members = await groups.members(options.roles ?? [], options.signal);
    return Promise.all(all.map((user) => this.observed(users, user, members, options.signal)));
  }

  async observe(username: string, options: ListOptions = {}): Promise<ObservedAccount | undefined> {
    const { users, groups } = await this.open();
    const user = await users.find(username, options.signal);
    if (!user) return undefined;
    return this.observed(
      users,
      user,
      await groups.members(options.roles ?? [], options.signal),
      options.signal,
    );
  }

  async observeMany(
    usernames: readonly string[],
    options: ListOptions = {},
  ): Promise<Map<string, ObservedAccount>> {
    const { users, groups } = await this.open();
    const observed = new Map<string, ObservedAccount>();
    if (usernames.length === 0) return observed;
    // The groups are read once, while the users are looked up.
    const [found, members] = await Promise.all([
      mapConcurrently([...new Set(usernames)], OBSERVE_CONCURRENCY, (username) =>
        users.find(username, options.signal),
      ),
      groups.members(options.roles ?? [], options.signal),
    ]);
    for (const user of found) {
      if (user === undefined) continue;
      const account = await this.observed(users, user, members, options.signal);
      observed.set(account.username, account);
    }
    return observed;
  }

  /** See Connector.applyBatch: memberships coalesced per group, creates posted concurrently. */
  async applyBatch(changes: readonly AccountChange[], options: BatchOptions): Promise<BatchOutcome[]> {
    let session: Session;
    try {
      session = await this.open();
    } catch (err) {
      const error = asRosterError(err);
      return changes.map(() => ({ ok: false, error }));
    }
    return applyScimBatch(session, changes, options, (change) => this.apply(change));
  }

  async apply(change: AccountChange): Promise<ApplyResult> {
    const session = await this.open();
    switch (change.op) {
      case "create":
        return this.create(session, change.account);
      case "adopt":
        return this.adopt(session, change.username, change.ownerMarker);
      case "delete":
        return this.remove(session, change.username);
      default:
        return this.changeOwned(session, change);
    }
  }

  async close(): Promise<void> {
    this.session = undefined;
    await this.tls?.close();
  }

  private open(): Promise<Session> {
    this.session ??= discover(this.transport).then(
      (capabilities) => {
        const users = new ScimUsers(
          new ScimResources(this.transport, this.config, capabilities, "/Users"),
          capabilities,
        );
        const groupResources = new ScimResources(this.transport, this.config, capabilities, "/Groups");
        const groups = new ScimGroups(groupResources, this.config, capabilities);
        const accounts = new ScimAccounts(users, this.config, this.options.logger);
        return { capabilities, users, groups, accounts };
      },
      (err: unknown) => {
        this.session = undefined; // try discovery again next time
        throw err;
      },
    );
    return this.session;
  }

  private async observed(
    users: ScimUsers,
    user: Resource,
    members: Map<string, Set<string>>,
    signal?: AbortSignal,
  ): Promise<ObservedAccount> {
    const account = observedUser(user);
    const manager = account.attributes.manager;
    if (typeof manager === "string")
      account.attributes.manager = await users.managerUserName(manager, signal);
    const roles = [...members].filter(([, ids]) => ids.has(account.id)).map(([role]) => role);
    return { ...account, roles };
  }

  /** Creates the account, or accepts it as created when it exists with our marker; then adds its roles. */
  private async create({ accounts, groups }: Session, account: DesiredAccount): Promise<ApplyResult> {
    const id = await accounts.create(account);
    for (const role of account.roles) await groups.addMember(role, id);
    return { id };
  }

  private async adopt(
    { users, accounts }: Session,
    username: string,
    ownerMarker: string,
  ): Promise<ApplyResult> {
    const user = await accounts.existing(username, "adopt");
    await users.modify(
      String(user.id),
      {},
      { externalId: encodeExternalId(ownerMarker, username, this.config.externalId) },
    );
    return { id: String(user.id) };
  }

  private async remove({ users }: Session, username: string): Promise<ApplyResult> {
    const user = await users.find(username);
    if (!user) return { id: undefined };
    requireOwned(user, "delete");
    await users.resources.delete(String(user.id));
    users.forget(username);
    return { id: undefined };
  }

  private async changeOwned(
    session: Session,
    change: Exclude<AccountChange, { op: "create" | "adopt" | "delete" }>,
  ): Promise<ApplyResult> {
    const { users, groups, accounts } = session;
    if (change.op === "addRoles" || change.op === "removeRoles") {
      const id = await accounts.memberId(change.username, change.op);
      for (const role of change.roles)
        await (change.op === "addRoles" ? groups.addMember(role, id) : groups.removeMember(role, id));
      return { id };
    }
    // The user's own resource (the cut of a revocation among them): a read of moments ago will do.
    const knownId = change.op === "disable" ? change.knownId : undefined;
    return accounts.withOwnedId(
      change.username,
      change.op,
      async (id) => {
        if (change.op === "update") await this.update(users, id, change.set);
        else await users.modify(id, {}, { active: change.op === "enable" });
        return { id };
      },
      knownId,
    );
  }

  private async update(
    users: ScimUsers,
    id: string,
    set: Extract<AccountChange, { op: "update" }>["set"],
  ): Promise<void> {
    const wire = await users.toWire(set);
    // Retried: the manager's own account may be created later in the same sync.
    if ("manager" in wire && wire.manager === undefined)
      throw new TransientError(
        "ManagerNotProvisioned",
        "the manager has no account in this SCIM provider yet",
      );
    await users.modify(id, wire as Record<string, string | null>);
  }
}
