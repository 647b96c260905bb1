/**
 * The orchestration both directory connectors share (OpenLDAP, Active Directory): finding an
 * account by username, ownership checks, idempotent create / converge, roles member by member,
 * delete and adopt. A vendor subclass supplies how entries look (the abstract members).
 */
import type { Change, Entry } from "ldapts";
import type {
  AccountChange,
  ApplyResult,
  AttributeValue,
  Connector,
  DesiredAccount,
  ListOptions,
  ObservedAccount,
} from "../../engine/connector.js";
import { ConflictError, TerminalError } from "../../errors.js";
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
  /** The account an entry describes (roles filled in by the caller). */
  protected abstract observed(entry: Entry): ObservedAccount;
  /** The value representing the account in a group's member attribute. */
  protected abstract memberValue(dn: string, username: string): string;
  /** Adds the entry of a new account and sets its password and lock state; returns its DN and id. */
  protected abstract addAccount(account: DesiredAccount): Promise<{ dn: string; id: string }>;
  /** Enables or disables the account (idempotent). */
  protected abstract setEnabled(entry: Entry, enabled: boolean): Promise<void>;
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
    const exact = found.filter((entry) => this.observed(entry).username === username);
    const pick = exact.length === 1 ? exact : found;
    if (pick.length > 1) {
      throw new TerminalError(
        "AmbiguousAccount",
        `${pick.length} entries under ${this.scope.usersBaseDN} match account "${username}"`,
      );
    }
    return pick[0];
  }

  private async findOwned(username: string): Promise<Entry> {
    const entry = await this.find(username);
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
    return entries.map((entry) => {
      const observed = this.observed(entry);
      const key = memberKey(this.groupSchema, this.memberValue(entry.dn, observed.username));
      observed.roles = roles.filter((role) => members.get(role)?.has(key));
      return observed;
    });
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
      case "enable":
      case "disable": {
        const entry = await this.findOwned(request.username);
        await this.setEnabled(entry, request.op === "enable");
        return { id: this.observed(entry).id };
      }
      case "delete":
        return this.remove(request.username);
      case "adopt":
        return this.adopt(request.username, request.ownerMarker);
    }
  }

  private async create(account: DesiredAccount): Promise<ApplyResult> {
    const existing = await this.find(account.username);
    if (existing) return this.converge(existing, account);
    let created: { dn: string; id: string };
    try {
      created = await this.addAccount(account);
    } catch (err) {
      if (ldapResultCode(err) !== LdapResult.entryAlreadyExists) throw err;
      const raced = await this.find(account.username);
      if (!raced) throw err;
      return this.converge(raced, account);
    }
    for (const role of account.roles)
      await this.groups.addMember(role, this.memberValue(created.dn, account.username));
    return { id: created.id };
  }

  /**
   * Create of an account that already exists: ours -> finish what a failed earlier create may
   * have left undone (enabled state, roles), so retrying a create is safe; anyone else's -> conflict.
   * An initial password is only set by the create that adds the entry.
   */
  private async converge(entry: Entry, account: DesiredAccount): Promise<ApplyResult> {
    const observed = this.observed(entry);
    if (observed.owner !== account.ownerMarker) {
      const holder =
        observed.owner === undefined ? "carries no Roster marker" : "is owned by another Roster marker";
      throw new ConflictError("Unowned", `account ${entry.dn} already exists and ${holder}`);
    }
    if (observed.enabled !== account.enabled) await this.setEnabled(entry, account.enabled);
    for (const role of account.roles)
      await this.groups.addMember(role, this.memberValue(entry.dn, account.username));
    return { id: observed.id };
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

  check(): Promise<void> {
    return this.transport.check();
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
