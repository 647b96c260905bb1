/**
 * The OpenLDAP connector.
 *
 * - Accounts: entries `<rdnAttribute>=<username>,<usersBaseDN>` of `objectClasses`
 *   (inetOrgPerson by default; posixAccount added with a never-reused uidNumber when `posix` is
 *   set). The account id is the entry's DN.
 * - Ownership marker: one value `roster-owner:<marker>` of `ownerAttribute` (default
 *   `businessCategory`, a multi-valued inetOrgPerson attribute from the stock schema that people
 *   entries rarely use). Other values of that attribute are left alone.
 * - Disable: the ppolicy overlay's `pwdAccountLockedTime: 000001010000Z`, which makes slapd refuse
 *   every bind of the account until the attribute is removed (enable). This needs the ppolicy
 *   overlay on the database with a default policy that has `pwdLockout: TRUE` (with
 *   `pwdMaxFailure: 0` failed binds never lock anyone); without it slapd ignores the attribute.
 *   A password change through the password-modify operation clears the lock, so a disabled
 *   account is locked again after its password is set.
 * - Passwords: the Password Modify extended operation (RFC 3062); slapd hashes them.
 * - Roles: groups found by cn under `groupsBaseDN` (groupOfNames by default); membership is
 *   changed one member value at a time. Removing the last member of a groupOfNames /
 *   groupOfUniqueNames swaps in `emptyGroupPlaceholder` (the empty DN by default) in the same
 *   atomic modify; that placeholder then stays in the group.
 * - `validUntil` is not enforced by stock OpenLDAP; the engine disables the account at that instant.
 */
import { Attribute, Change, type Entry } from "ldapts";
import type { Logger } from "pino";
import type {
  AccountChange,
  ApplyResult,
  Connector,
  DesiredAccount,
  ListOptions,
  ObservedAccount,
} from "../../engine/connector.js";
import { ConflictError, TerminalError } from "../../errors.js";
import { parseConfig } from "../shared/ldap-config.js";
import { valuesOf } from "../shared/ldap-entry.js";
import { LdapResult, ldapResultCode } from "../shared/ldap-errors.js";
import { equalityFilter } from "../shared/ldap-escape.js";
import { GroupDirectory, memberKey, type GroupSchema } from "../shared/ldap-groups.js";
import { markerValue } from "../shared/ldap-marker.js";
import { passwordModifyRequest, PASSWORD_MODIFY_OID } from "../shared/ldap-password-modify.js";
import { LdapTransport } from "../shared/ldap-transport.js";
import { LdapConnectorConfig, type LdapConnectorInput } from "./config.js";
import {
  accountFilter,
  accountsFilter,
  LOCK_ATTRIBUTE,
  newEntry,
  observedFrom,
  PERMANENT_LOCK,
  readAttributes,
  updateModifications,
  userDN,
} from "./mapping.js";
import { counterDN, UidNumberAllocator } from "./posix.js";

const MEMBER_ATTRIBUTE = {
  groupOfNames: "member",
  groupOfUniqueNames: "uniqueMember",
  posixGroup: "memberUid",
};

function groupSchema(config: LdapConnectorConfig): GroupSchema {
  const posixGroup = config.groupObjectClass === "posixGroup";
  return {
    groupsBaseDN: config.groupsBaseDN,
    objectClass: config.groupObjectClass,
    memberAttribute: MEMBER_ATTRIBUTE[config.groupObjectClass],
    memberIsDN: !posixGroup,
    emptyPlaceholder: posixGroup ? undefined : config.emptyGroupPlaceholder,
    pageSize: config.pageSize,
    rangeSize: undefined,
  };
}

const change = (operation: "add" | "delete" | "replace", type: string, values: string[]) =>
  new Change({ operation, modification: new Attribute({ type, values }) });

export class LdapConnector implements Connector {
  private readonly transport: LdapTransport;
  private readonly groups: GroupDirectory;
  private readonly uidNumbers: UidNumberAllocator | undefined;

  constructor(
    private readonly config: LdapConnectorConfig,
    logger?: Logger,
  ) {
    this.transport = new LdapTransport(config, logger);
    this.groups = new GroupDirectory(this.transport, groupSchema(config));
    this.uidNumbers = config.posix
      ? new UidNumberAllocator(
          this.transport,
          counterDN(config.posix, config.usersBaseDN),
          config.posix.firstUidNumber,
        )
      : undefined;
  }

  /** The value that represents an account in its groups' member attribute. */
  private memberValue(dn: string, username: string): string {
    return this.config.groupObjectClass === "posixGroup" ? username : dn;
  }

  private async find(username: string): Promise<Entry | undefined> {
    const found = await this.transport.search(this.config.usersBaseDN, {
      scope: "sub",
      filter: accountFilter(this.config, username),
      attributes: readAttributes(this.config),
    });
    if (found.length > 1) {
      throw new TerminalError(
        "AmbiguousAccount",
        `${found.length} entries under ${this.config.usersBaseDN} hold ${this.config.rdnAttribute} "${username}"`,
      );
    }
    return found[0];
  }

  /** The entry of an account Roster owns; throws when absent (terminal) or unowned (conflict). */
  private async findOwned(username: string): Promise<Entry> {
    const entry = await this.find(username);
    if (!entry)
      throw new TerminalError("AccountNotFound", `no account "${username}" under ${this.config.usersBaseDN}`);
    if (observedFrom(this.config, entry, []).owner === undefined) {
      throw new ConflictError(
        "Unowned",
        `account ${entry.dn} carries no Roster marker; Roster will not change it`,
      );
    }
    return entry;
  }

  async list(options: ListOptions = {}): Promise<ObservedAccount[]> {
    const entries = await this.transport.search(this.config.usersBaseDN, {
      scope: "sub",
      filter: accountsFilter(this.config),
      attributes: readAttributes(this.config),
      pageSize: this.config.pageSize,
      signal: options.signal,
    });
    const roles = options.roles ?? (await this.allRoles());
    const members = await this.groups.membersByRole(roles);
    const schema = groupSchema(this.config);
    return entries.map((entry) => {
      const observed = observedFrom(this.config, entry, []);
      const key = memberKey(schema, this.memberValue(entry.dn, observed.username));
      observed.roles = roles.filter((role) => members.get(role)?.has(key));
      return observed;
    });
  }

  private async allRoles(): Promise<string[]> {
    const groups = await this.transport.search(this.config.groupsBaseDN, {
      scope: "sub",
      filter: equalityFilter("objectClass", this.config.groupObjectClass),
      attributes: ["cn"],
      pageSize: this.config.pageSize,
    });
    return groups.flatMap((group) => valuesOf(group, "cn").slice(0, 1));
  }

  async observe(username: string, options: ListOptions = {}): Promise<ObservedAccount | undefined> {
    const entry = await this.find(username);
    if (!entry) return undefined;
    const observed = observedFrom(this.config, entry, []);
    observed.roles = await this.groups.rolesOf(this.memberValue(entry.dn, observed.username), options.roles);
    return observed;
  }

  async apply(request: AccountChange): Promise<ApplyResult> {
    switch (request.op) {
      case "create":
        return this.create(request.account);
      case "update": {
        const entry = await this.findOwned(request.username);
        const mods = updateModifications(this.config, request.set).map((m) =>
          change("replace", m.attribute, m.values),
        );
        if (mods.length > 0) await this.transport.modify(entry.dn, mods);
        return { id: entry.dn };
      }
      case "addRoles":
      case "removeRoles":
        return this.changeRoles(request.username, request.roles, request.op === "addRoles");
      case "enable":
      case "disable": {
        const entry = await this.findOwned(request.username);
        await this.setEnabled(entry.dn, request.op === "enable");
        return { id: entry.dn };
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
    const dn = userDN(this.config, account.username);
    const uidNumber = this.uidNumbers ? await this.uidNumbers.next() : undefined;
    try {
      await this.transport.add(
        dn,
        newEntry(this.config, account, uidNumber === undefined ? undefined : { uidNumber }),
      );
    } catch (err) {
      if (ldapResultCode(err) !== LdapResult.entryAlreadyExists) throw err;
      const raced = await this.find(account.username);
      if (!raced) throw err;
      return this.converge(raced, account);
    }
    if (account.password !== undefined) await this.setPassword(dn, account.password, account.enabled);
    for (const role of account.roles)
      await this.groups.addMember(role, this.memberValue(dn, account.username));
    return { id: dn };
  }

  /**
   * Create of an account that already exists: ours -> finish what a failed earlier create may
   * have left undone (lock state, roles), so a retry is safe; anyone else's -> conflict.
   */
  private async converge(entry: Entry, account: DesiredAccount): Promise<ApplyResult> {
    const observed = observedFrom(this.config, entry, []);
    if (observed.owner !== account.ownerMarker) {
      const holder =
        observed.owner === undefined ? "carries no Roster marker" : "is owned by another Roster marker";
      throw new ConflictError("Unowned", `account ${entry.dn} already exists and ${holder}`);
    }
    if (observed.enabled !== account.enabled) await this.setEnabled(entry.dn, account.enabled);
    for (const role of account.roles)
      await this.groups.addMember(role, this.memberValue(entry.dn, account.username));
    return { id: entry.dn };
  }

  private async setPassword(dn: string, password: string, enabled: boolean): Promise<void> {
    await this.transport.exop(
      `password modify of ${dn}`,
      PASSWORD_MODIFY_OID,
      passwordModifyRequest(dn, password),
    );
    // ppolicy clears pwdAccountLockedTime when a password is reset: lock again.
    if (!enabled) await this.setEnabled(dn, false);
  }

  private async setEnabled(dn: string, enabled: boolean): Promise<void> {
    if (!enabled) {
      await this.transport.modify(dn, [change("replace", LOCK_ATTRIBUTE, [PERMANENT_LOCK])]);
      return;
    }
    try {
      await this.transport.modify(dn, [change("delete", LOCK_ATTRIBUTE, [])]);
    } catch (err) {
      if (ldapResultCode(err) !== LdapResult.noSuchAttribute) throw err;
    }
  }

  private async changeRoles(username: string, roles: string[], add: boolean): Promise<ApplyResult> {
    const entry = await this.findOwned(username);
    const member = this.memberValue(entry.dn, username);
    for (const role of roles) {
      if (add) await this.groups.addMember(role, member);
      else await this.groups.removeMember(role, member);
    }
    return { id: entry.dn };
  }

  /** Deletes an owned account after taking it out of every group (no dangling member values). */
  private async remove(username: string): Promise<ApplyResult> {
    const entry = await this.find(username);
    if (!entry) return { id: undefined };
    await this.findOwned(username);
    const member = this.memberValue(entry.dn, username);
    for (const role of await this.groups.rolesOf(member, undefined))
      await this.groups.removeMember(role, member);
    try {
      await this.transport.del(entry.dn);
    } catch (err) {
      if (ldapResultCode(err) !== LdapResult.noSuchObject) throw err;
    }
    return { id: undefined };
  }

  private async adopt(username: string, marker: string): Promise<ApplyResult> {
    const entry = await this.find(username);
    if (!entry)
      throw new TerminalError(
        "AccountNotFound",
        `no account "${username}" to adopt under ${this.config.usersBaseDN}`,
      );
    const owner = observedFrom(this.config, entry, []).owner;
    if (owner === marker) return { id: entry.dn };
    if (owner !== undefined)
      throw new ConflictError("OwnedByOther", `account ${entry.dn} is owned by another Roster marker`);
    await this.transport.modify(entry.dn, [change("add", this.config.ownerAttribute, [markerValue(marker)])]);
    return { id: entry.dn };
  }

  check(): Promise<void> {
    return this.transport.check();
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

/** Parses the resolved configuration (a TerminalError lists every problem) and builds the connector. */
export function createLdapConnector(input: LdapConnectorInput, logger?: Logger): LdapConnector {
  return new LdapConnector(parseConfig("ldap", LdapConnectorConfig, input), logger);
}
