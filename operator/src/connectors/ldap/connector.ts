/**
 * The OpenLDAP connector.
 *
 * - Accounts: entries `<rdnAttribute>=<username>,<usersBaseDN>` of `objectClasses`
 *   (inetOrgPerson by default; posixAccount added with a never-reused uidNumber when `posix` is
 *   set). The account id is the entry's DN.
 * - Ownership marker: one value `roster-owner:<marker>` of `ownerAttribute` (default
 *   `businessCategory`, a multi-valued inetOrgPerson attribute from the stock schema that people
 *   entries rarely use). Other values of that attribute are left alone and not reported as marker.
 * - Disable (`disable.method` PasswordPolicyLock, the default): the ppolicy overlay's `pwdAccountLockedTime: 000001010000Z`, which makes slapd refuse
 *   every bind of the account until the attribute is removed (enable). This needs the ppolicy
 *   overlay on the database with a default policy that has `pwdLockout: TRUE` (with
 *   `pwdMaxFailure: 0` failed binds never lock anyone); without it slapd ignores the attribute.
 *   A password reset through the password-modify operation clears the lock, so a disabled
 *   account is locked again after its password is set. With `disable.method` Attribute, the
 *   configured attribute holds the configured value while disabled (e.g. `shadowExpire: 1`); that
 *   stops only the systems that honour it, not LDAP binds.
 * - Passwords: the Password Modify extended operation (RFC 3062); slapd hashes them.
 * - Roles: groups found by cn under `groupsBaseDN` (groupOfNames by default); membership is
 *   changed one member value at a time (a batch: the values of many accounts in one modify). Removing the last member of a groupOfNames /
 *   groupOfUniqueNames swaps in `emptyGroupPlaceholder` (the empty DN by default) in the same
 *   atomic modify; that placeholder then stays in the group.
 * - `validUntil` is not enforced by stock OpenLDAP; the engine disables the account at that instant.
 */
import { Attribute, Change, type Entry } from "ldapts";
import type { Logger } from "pino";
import type { AttributeValue, DesiredAccount, ObservedAccount } from "../../engine/connector.js";
import { parseConfig } from "../shared/ldap-config.js";
import { canonicalDN } from "../shared/ldap-dn.js";
import { DirectoryConnector } from "../shared/ldap-directory-connector.js";
import { LdapResult } from "../shared/ldap-errors.js";
import type { GroupSchema } from "../shared/ldap-groups.js";
import { markerValue } from "../shared/ldap-marker.js";
import { passwordModifyRequest, PASSWORD_MODIFY_OID } from "../shared/ldap-password-modify.js";
import { LdapTransport } from "../shared/ldap-transport.js";
import { LdapConnectorConfig, type LdapConnectorInput } from "./config.js";
import {
  accountFilter,
  accountsByNameFilter,
  accountsFilter,
  disabledMark,
  entryKeys,
  newEntry,
  observedFrom,
  readAttributes,
  updateModifications,
  userDN,
  usernameKeys,
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
    alreadyMemberCodes: [LdapResult.attributeOrValueExists],
    notMemberCodes: [LdapResult.noSuchAttribute],
    rangeSize: undefined,
  };
}

const change = (operation: "add" | "delete" | "replace", type: string, values: string[]) =>
  new Change({ operation, modification: new Attribute({ type, values }) });

export class LdapConnector extends DirectoryConnector {
  private readonly uidNumbers: UidNumberAllocator | undefined;

  constructor(
    private readonly config: LdapConnectorConfig,
    logger?: Logger,
  ) {
    const transport = new LdapTransport(config, logger);
    super(
      transport,
      {
        vendor: "LDAP",
        usersBaseDN: config.usersBaseDN,
        groupsBaseDN: config.groupsBaseDN,
        accountsFilter: accountsFilter(config),
        attributes: readAttributes(config),
        pageSize: config.pageSize,
      },
      groupSchema(config),
    );
    this.uidNumbers = config.posix
      ? new UidNumberAllocator(
          transport,
          counterDN(config.posix, config.usersBaseDN),
          config.posix.firstUidNumber,
          config.usersBaseDN,
          config.pageSize,
        )
      : undefined;
  }

  protected accountFilter(username: string): string {
    return accountFilter(this.config, username);
  }

  protected accountsFilterFor(usernames: readonly string[]): string {
    return accountsByNameFilter(this.config, usernames);
  }

  protected usernameKeys(username: string): string[] {
    return usernameKeys(username);
  }

  protected entryKeys(entry: Entry): string[] {
    return entryKeys(this.config, entry);
  }

  protected observed(entry: Entry): ObservedAccount {
    return observedFrom(this.config, entry, []);
  }

  protected memberValue(dn: string, username: string): string {
    return this.config.groupObjectClass === "posixGroup" ? username : dn;
  }

  protected async addAccount(account: DesiredAccount): Promise<{ dn: string; id: string }> {
    const dn = userDN(this.config, account.username);
    const uidNumber = this.uidNumbers ? await this.uidNumbers.next() : undefined;
    await this.transport.add(
      dn,
      newEntry(this.config, account, uidNumber === undefined ? undefined : { uidNumber }),
    );
    if (account.password !== undefined) {
      await this.transport.exop(
        `password modify of ${dn}`,
        PASSWORD_MODIFY_OID,
        passwordModifyRequest(dn, account.password),
      );
      // ppolicy clears pwdAccountLockedTime when a password is reset: mark it disabled again.
      if (!account.enabled) await this.lock(dn, true);
    }
    return { dn, id: canonicalDN(dn) };
  }

  protected setEnabled(entry: Entry, enabled: boolean): Promise<void> {
    return this.lock(entry.dn, !enabled);
  }

  /** The disabled mark is set by DN alone: a revocation's disable needs no lookup. */
  protected override async disableAt(dn: string): Promise<boolean> {
    await this.lock(dn, true);
    return true;
  }

  /** Sets or removes the disabled mark; both are idempotent (a replace with no values removes). */
  private async lock(dn: string, locked: boolean): Promise<void> {
    const mark = disabledMark(this.config);
    await this.transport.modify(dn, [change("replace", mark.attribute, locked ? [mark.value] : [])]);
  }

  protected updateChanges(set: Record<string, AttributeValue | null>): Change[] {
    return updateModifications(this.config, set).map((mod) => change("replace", mod.attribute, mod.values));
  }

  protected markerChanges(_entry: Entry, marker: string): Change[] {
    return [change("add", this.config.ownerAttribute, [markerValue(marker)])];
  }
}

/** Parses the resolved configuration (a TerminalError lists every problem) and builds the connector. */
export function createLdapConnector(input: LdapConnectorInput, logger?: Logger): LdapConnector {
  return new LdapConnector(parseConfig("ldap", LdapConnectorConfig, input), logger);
}
