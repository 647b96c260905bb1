/**
 * The orchestration both directory connectors share (OpenLDAP, Active Directory): finding an
 * account by username, ownership checks, idempotent create / converge, roles member by member,
 * delete and adopt, and the bulk paths (`observeMany`, `applyBatch`, see ldap-directory-batch.ts).
 * A vendor subclass supplies how entries look (the abstract members).
 */
import type { Change, Entry } from "ldapts";
import type {
  AccountChange,
  ApplyResult,
  AttributeValue,
  BatchOptions,
  BatchOutcome,
  Connector,
  DesiredAccount,
  ListOptions,
  ObservedAccount,
} from "../../engine/connector.js";
import { ConflictError, TerminalError } from "../../errors.js";
import { asRosterError } from "./batch.js";
import { assignEntries, LOOKUP_CHUNK, pickAccount, type AccountLookup } from "./ldap-account-lookup.js";
import { chunked, mapConcurrently } from "../../runtime/batching.js";
import { applyDirectoryBatch, type Resolution } from "./ldap-directory-batch.js";
import { valuesOf } from "./ldap-entry.js";
import { ignoringResults, LdapResult, ldapResultCode } from "./ldap-errors.js";
import { equalityFilter } from "./ldap-escape.js";
import { GroupDirectory, memberKey, type GroupSchema } from "./ldap-groups.js";
import type { LdapTransport } from "./ldap-transport.js";

export interface DirectoryScope {
  /** "LDAP" / "Active Directory", for messages. */
  vendor: string;
  usersBaseDN: string;
  groupsBaseDN: string;
  /** Filter selecting every account in scope. */
  accountsFilter: string;
  attributes: string[];
  binaryAttributes?: string[];
  pageSize: number;
}

export abstract class DirectoryConnector implements Connector {
  protected readonly groups: GroupDirectory;

  protected constructor(
    protected readonly transport: LdapTransport,
    protected readonly scope: DirectoryScope,
    private readonly groupSchema: GroupSchema,
  ) {
    this.groups = new GroupDirectory(transport, groupSchema);
  }

  /** The filter selecting one account by username. */
  protected abstract accountFilter(username: string): string;
  /** One filter selecting the accounts of all these usernames (an OR of their naming values). */
  protected abstract accountsFilterFor(usernames: readonly string[]): string;
  /**
   * Normalized forms of the values `accountFilter(username)` compares (e.g. lower-cased uid), and
   * the same forms read from an entry: a bulk search's entries are matched to usernames by them.
   */
  protected abstract usernameKeys(username: string): string[];
  protected abstract entryKeys(entry: Entry): string[];
  /** The account an entry describes (roles filled in by the caller). */
  protected abstract observed(entry: Entry): ObservedAccount;
  /** The value representing the account in a group's member attribute. */
  protected abstract memberValue(dn: string, username: string): string;
  /** Adds the entry of a new account and sets its password and lock state; returns its DN and id. */
  protected abstract addAccount(account: DesiredAccount): Promise<{ dn: string; id: string }>;
  /** Enables or disables the account (idempotent). */
  protected abstract setEnabled(entry: Entry, enabled: boolean): Promise<void>;
  /**
   * Disables the account at `dn` without reading it first, when the directory allows it; false
   * when disabling needs the entry (Active Directory rewrites userAccountControl from its value).
   * Used for a disable by `knownId`: the DN the sync last saw the account owned with.
   */
  protected disableAt(_dn: string): Promise<boolean> {
    return Promise.resolve(false);
  }
  /** Modifications for an update of mapped attributes (and validUntil where supported). */
  protected abstract updateChanges(
    set: Record<string, AttributeValue | null>,
    validUntil: string | null | undefined,
  ): Change[];
  /** Modifications that stamp Roster's marker on an adopted account. */
  protected abstract markerChanges(entry: Entry, marker: string): Change[];

  protected async find(username: string): Promise<Entry | undefined> {
    const found = await this.transport.search(this.scope.usersBaseDN, {
      scope: "sub",
      filter: this.accountFilter(username),
      attributes: this.scope.attributes,
      ...(this.scope.binaryAttributes ? { binaryAttributes: this.scope.binaryAttributes } : {}),
    });
    return this.pick(found, username);
  }

  private pick(found: readonly Entry[], username: string): Entry | undefined {
    return pickAccount(found, username, (entry) => this.observed(entry).username, this.scope.usersBaseDN);
  }

  /**
   * What `find` gives for each username (its entry, none, or its error), with one search per
   * LOOKUP_CHUNK usernames, `concurrency` searches at once. When the server returned an entry our
   * keys cannot place (it matched by rules the keys do not model), that chunk's usernames are
   * looked up one by one instead, so the answer never differs from `find`.
   */
  protected async findMany(
    usernames: readonly string[],
    concurrency = 1,
  ): Promise<Map<string, AccountLookup>> {
    const chunks = chunked([...new Set(usernames)], LOOKUP_CHUNK);
    const found = await mapConcurrently(chunks, concurrency, (chunk) => this.findChunk(chunk));
    return new Map(found.flatMap((chunk) => [...chunk]));
  }

  private async findChunk(chunk: readonly string[]): Promise<Map<string, AccountLookup>> {
    const result = new Map<string, AccountLookup>();
    const entries = await this.transport.search(this.scope.usersBaseDN, {
      scope: "sub",
      filter: this.accountsFilterFor(chunk),
      attributes: this.scope.attributes,
      pageSize: this.scope.pageSize,
      ...(this.scope.binaryAttributes ? { binaryAttributes: this.scope.binaryAttributes } : {}),
    });
    const { candidates, unassigned } = assignEntries(
      chunk,
      entries,
      (username) => this.usernameKeys(username),
      (entry) => this.entryKeys(entry),
    );
    for (const username of chunk) {
      const lookup = unassigned
        ? () => this.find(username)
        : async () => this.pick(candidates.get(username) ?? [], username);
      result.set(
        username,
        await lookup().then(
          (entry) => ({ entry }),
          (err) => ({ error: asRosterError(err) }),
        ),
      );
    }
    return result;
  }

  private async findOwned(username: string): Promise<Entry> {
    return this.owned(username, await this.find(username));
  }

  /** The entry itself when it is an account Roster owns; else the error apply gives for it. */
  private owned(username: string, entry: Entry | undefined): Entry {
    if (!entry)
      throw new TerminalError(
        "AccountNotFound",
        `no ${this.scope.vendor} account "${username}" under ${this.scope.usersBaseDN}`,
      );
    if (this.observed(entry).owner === undefined) {
      throw new ConflictError(
        "Unowned",
        `account ${entry.dn} carries no Roster marker; Roster will not change it`,
      );
    }
    return entry;
  }

  async list(options: ListOptions = {}): Promise<ObservedAccount[]> {
    const entries = await this.transport.search(this.scope.usersBaseDN, {
      scope: "sub",
      filter: this.scope.accountsFilter,
      attributes: this.scope.attributes,
      pageSize: this.scope.pageSize,
      signal: options.signal,
      ...(this.scope.binaryAttributes ? { binaryAttributes: this.scope.binaryAttributes } : {}),
    });
    const roles = options.roles ?? (await this.allRoles());
    const members = await this.groups.membersByRole(roles);
    return entries.map((entry) => this.observedWithRoles(entry, roles, members));
  }

  private observedWithRoles(
    entry: Entry,
    roles: readonly string[],
    members: ReadonlyMap<string, ReadonlySet<string>>,
  ): ObservedAccount {
    const observed = this.observed(entry);
    const key = memberKey(this.groupSchema, this.memberValue(entry.dn, observed.username));
    observed.roles = roles.filter((role) => members.get(role)?.has(key));
    return observed;
  }

  /**
   * What `observe` reports for each username, from one search per LOOKUP_CHUNK usernames and one
   * read of each role's members (roles whose group cannot be found are reported by no one, as
   * with observe). Rejects with the error observe would give for the first username that fails.
   */
  async observeMany(
    usernames: readonly string[],
    options: ListOptions = {},
  ): Promise<Map<string, ObservedAccount>> {
    const entries = new Map<string, Entry>();
    for (const [username, lookup] of await this.findMany(usernames)) {
      if ("error" in lookup) throw lookup.error;
      if (lookup.entry) entries.set(username, lookup.entry);
    }
    const result = new Map<string, ObservedAccount>();
    if (entries.size === 0) return result;
    const roles = options.roles ?? [...new Set(await this.allRoles())].sort();
    const members = roles.length === 0 ? new Map() : await this.groups.readableMembersByRole(roles);
    for (const [username, entry] of entries) {
      result.set(username, this.observedWithRoles(entry, roles, members));
    }
    return result;
  }

  private async allRoles(): Promise<string[]> {
    const groups = await this.transport.search(this.scope.groupsBaseDN, {
      scope: "sub",
      filter: equalityFilter("objectClass", this.groupSchema.objectClass),
      attributes: ["cn"],
      pageSize: this.scope.pageSize,
    });
    return groups.flatMap((group) => valuesOf(group, "cn").slice(0, 1));
  }

  async observe(username: string, options: ListOptions = {}): Promise<ObservedAccount | undefined> {
    const entry = await this.find(username);
    if (!entry) return undefined;
    const observed = this.observed(entry);
    observed.roles = await this.groups.rolesOf(this.memberValue(entry.dn, observed.username), options.roles);
    return observed;
  }

  async apply(request: AccountChange): Promise<ApplyResult> {
    switch (request.op) {
      case "create":
        return this.create(request.account);
      case "update": {
        const entry = await this.findOwned(request.username);
        const changes = this.updateChanges(request.set, request.validUntil);
        if (changes.length > 0) await this.transport.modify(entry.dn, changes);
        return { id: this.observed(entry).id };
      }
      case "addRoles":
      case "removeRoles":
        return this.changeRoles(request.username, request.roles, request.op === "addRoles");
      case "disable":
        if (request.knownId !== undefined && (await this.disabledByKnownDN(request.knownId)))
          return { id: request.knownId };
        return this.setEnabledOf(request.username, false);
      case "enable":
        return this.setEnabledOf(request.username, true);
      case "delete":
        return this.remove(request.username);
      case "adopt":
        return this.adopt(request.username, request.ownerMarker);
    }
  }

  private async setEnabledOf(username: string, enabled: boolean): Promise<ApplyResult> {
    const entry = await this.findOwned(username);
    await this.setEnabled(entry, enabled);
    return { id: this.observed(entry).id };
  }

  /**
   * A revocation's disable at the DN the sync last saw the account owned with: no lookup first.
   * False (look the account up and check its ownership as usual) when the directory needs the
   * entry to disable, or when no entry is at that DN any more (renamed or deleted meanwhile).
   */
  private async disabledByKnownDN(dn: string): Promise<boolean> {
    try {
      return await this.disableAt(dn);
    } catch (err) {
      if (ldapResultCode(err) === LdapResult.noSuchObject) return false;
      throw err;
    }
  }

  private async create(account: DesiredAccount): Promise<ApplyResult> {
    const { dn, id } = await this.createEntry(account, await this.find(account.username));
    for (const role of account.roles)
      await this.groups.addMember(role, this.memberValue(dn, account.username));
    return { id };
  }

  /**
   * A create up to its roles: adds the entry (or converges `existing`, what a lookup of the
   * username found), including when another writer added it meanwhile.
   */
  private async createEntry(
    account: DesiredAccount,
    existing: Entry | undefined,
  ): Promise<{ dn: string; id: string }> {
    if (existing) return this.converge(existing, account);
    try {
      return await this.addAccount(account);
    } catch (err) {
      if (ldapResultCode(err) !== LdapResult.entryAlreadyExists) throw err;
      const raced = await this.find(account.username);
      if (!raced) throw err;
      return this.converge(raced, account);
    }
  }

  /**
   * Create of an account that already exists: ours -> finish what a failed earlier create may
   * have left undone (enabled state; the caller adds the roles), so retrying a create is safe;
   * anyone else's -> conflict. An initial password is only set by the create that adds the entry.
   */
  private async converge(entry: Entry, account: DesiredAccount): Promise<{ dn: string; id: string }> {
    const observed = this.observed(entry);
    if (observed.owner !== account.ownerMarker) {
      const holder =
        observed.owner === undefined ? "carries no Roster marker" : "is owned by another Roster marker";
      throw new ConflictError("Unowned", `account ${entry.dn} already exists and ${holder}`);
    }
    if (observed.enabled !== account.enabled) await this.setEnabled(entry, account.enabled);
    return { dn: entry.dn, id: observed.id };
  }

  private async changeRoles(username: string, roles: string[], add: boolean): Promise<ApplyResult> {
    const entry = await this.findOwned(username);
    const member = this.memberValue(entry.dn, username);
    for (const role of roles) {
      if (add) await this.groups.addMember(role, member);
      else await this.groups.removeMember(role, member);
    }
    return { id: this.observed(entry).id };
  }

  /** Deletes an owned account after taking it out of its groups (no dangling member values). */
  private async remove(username: string): Promise<ApplyResult> {
    const entry = await this.find(username);
    if (!entry) return { id: undefined };
    await this.findOwned(username);
    const member = this.memberValue(entry.dn, username);
    for (const role of await this.groups.rolesOf(member, undefined))
      await this.groups.removeMember(role, member);
    await ignoringResults([LdapResult.noSuchObject], () => this.transport.del(entry.dn));
    return { id: undefined };
  }

  private async adopt(username: string, marker: string): Promise<ApplyResult> {
    const entry = await this.find(username);
    if (!entry)
      throw new TerminalError(
        "AccountNotFound",
        `no account "${username}" to adopt under ${this.scope.usersBaseDN}`,
      );
    const { owner, id } = this.observed(entry);
    if (owner === marker) return { id };
    if (owner !== undefined)
      throw new ConflictError("OwnedByOther", `account ${entry.dn} is owned by another Roster marker`);
    await this.transport.modify(entry.dn, this.markerChanges(entry, marker));
    return { id };
  }

  /**
   * The batch contract of engine/connector.ts: creates and membership changes coalesced into one
   * member write per group (ldap-directory-batch.ts), everything else through `apply`.
   */
  applyBatch(changes: readonly AccountChange[], options: BatchOptions): Promise<BatchOutcome[]> {
    return applyDirectoryBatch(
      {
        apply: (change) => this.apply(change),
        groups: this.groups,
        ownedAccounts: (usernames, concurrency) => this.ownedAccounts(usernames, concurrency),
        createEntries: (accounts, concurrency) => this.createEntries(accounts, concurrency),
      },
      changes,
      options,
    );
  }

  /** For each username, its member value and id when Roster owns it, else apply's error. */
  private async ownedAccounts(
    usernames: readonly string[],
    concurrency: number,
  ): Promise<Map<string, Resolution>> {
    const resolved = new Map<string, Resolution>();
    for (const [username, lookup] of await this.findMany(usernames, concurrency)) {
      try {
        if ("error" in lookup) throw lookup.error;
        const entry = this.owned(username, lookup.entry);
        const account = { member: this.memberValue(entry.dn, username), id: this.observed(entry).id };
        resolved.set(username, { ok: true, account });
      } catch (err) {
        resolved.set(username, { ok: false, error: asRosterError(err) });
      }
    }
    return resolved;
  }

  /** createEntry for each account (at most `concurrency` at once), after one bulk lookup. */
  private async createEntries(
    accounts: readonly DesiredAccount[],
    concurrency: number,
  ): Promise<Resolution[]> {
    const lookups = await this.findMany(
      accounts.map((account) => account.username),
      concurrency,
    );
    return mapConcurrently(accounts, concurrency, async (account): Promise<Resolution> => {
      try {
        const lookup = lookups.get(account.username) ?? { entry: undefined };
        if ("error" in lookup) throw lookup.error;
        const { dn, id } = await this.createEntry(account, lookup.entry);
        return { ok: true, account: { member: this.memberValue(dn, account.username), id } };
      } catch (err) {
        return { ok: false, error: asRosterError(err) };
      }
    });
  }

  check(): Promise<void> {
    return this.transport.check();
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
