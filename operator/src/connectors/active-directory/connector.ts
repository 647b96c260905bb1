/**
 * The Active Directory connector (tested against a Samba 4.17 AD domain controller).
 *
 * - Accounts: `user` objects `CN=<username>,<usersBaseDN>` with `sAMAccountName` (the username,
 *   or a deterministic 20-character truncation with a hash suffix, see quirks.ts),
 *   `userPrincipalName` `<username>@<upnSuffix>`, and the mapped attributes (displayName, mail,
 *   givenName, sn, department, title, employeeID, ...). The account id is the `objectGUID`, so a
 *   rename or move in the directory does not orphan the account; the username is read back from
 *   the UPN's local part.
 * - Ownership marker: `adminDescription: roster-owner:<marker>` (configurable `ownerAttribute`),
 *   an attribute meant for administrators and hidden from end users.
 * - Password: `unicodePwd` (quoted UTF-16LE) in the add itself, which needs LDAPS or StartTLS,
 *   so the account can be created enabled.
 * - Enable / disable: the ACCOUNTDISABLE bit of `userAccountControl` (512 / 514 for a normal
 *   account), every other bit preserved with a compare-and-swap modify.
 * - `validUntil` -> `accountExpires` (Windows FILETIME); AD refuses logins after it on its own.
 * - Roles: `group` objects by cn under `groupsBaseDN`, members added / removed one at a time;
 *   member lists read with ranged retrieval (`member;range=0-1499`), accounts listed in pages of
 *   1,000.
 */
import { Attribute, Change, type Entry } from "ldapts";
import type { Logger } from "pino";
import type { AttributeValue, DesiredAccount, ObservedAccount } from "../../engine/connector.js";
import { TransientError } from "../../errors.js";
import { toValues } from "../shared/ldap-attributes.js";
import { parseConfig } from "../shared/ldap-config.js";
import { DirectoryConnector } from "../shared/ldap-directory-connector.js";
import { LdapResult, ldapResultCode } from "../shared/ldap-errors.js";
import { markerValue } from "../shared/ldap-marker.js";
import { LdapTransport } from "../shared/ldap-transport.js";
import { ActiveDirectoryConnectorConfig, type ActiveDirectoryConnectorInput } from "./config.js";
import {
  accountExpires,
  accountFilter,
  accountsByNameFilter,
  entryKeys,
  assertWritable,
  guidOf,
  newUserAttributes,
  observedFrom,
  readAttributes,
  userAccountControlOf,
  userDN,
  usernameKeys,
  USERS_FILTER,
} from "./mapping.js";
import { unicodePwd, withAccountDisabled } from "./quirks.js";

const change = (operation: "add" | "delete" | "replace", type: string, values: string[]) =>
  new Change({ operation, modification: new Attribute({ type, values }) });

const UAC_ATTEMPTS = 5;

export class ActiveDirectoryConnector extends DirectoryConnector {
  constructor(
    private readonly config: ActiveDirectoryConnectorConfig,
    logger?: Logger,
  ) {
    super(
      new LdapTransport(config, logger),
      {
        vendor: "Active Directory",
        usersBaseDN: config.usersBaseDN,
        groupsBaseDN: config.groupsBaseDN,
        accountsFilter: USERS_FILTER,
        attributes: readAttributes(config),
        binaryAttributes: ["objectGUID"],
        pageSize: config.pageSize,
      },
      {
        groupsBaseDN: config.groupsBaseDN,
        objectClass: "group",
        memberAttribute: "member",
        memberIsDN: true,
        emptyPlaceholder: undefined,
        pageSize: config.pageSize,
        alreadyMemberCodes: [LdapResult.entryAlreadyExists, LdapResult.attributeOrValueExists],
        notMemberCodes: [LdapResult.unwillingToPerform, LdapResult.noSuchAttribute],
        rangeSize: config.rangeSize,
      },
    );
  }

  protected accountFilter(username: string): string {
    return accountFilter(this.config, username);
  }

  protected accountsFilterFor(usernames: readonly string[]): string {
    return accountsByNameFilter(this.config, usernames);
  }

  protected usernameKeys(username: string): string[] {
    return usernameKeys(this.config, username);
  }

  protected entryKeys(entry: Entry): string[] {
    return entryKeys(entry);
  }

  protected observed(entry: Entry): ObservedAccount {
    return observedFrom(this.config, entry, []);
  }

  protected memberValue(dn: string): string {
    return dn;
  }

  protected async addAccount(account: DesiredAccount): Promise<{ dn: string; id: string }> {
    const dn = userDN(this.config, account.username);
    const text = Object.entries(newUserAttributes(this.config, account)).map(
      ([type, values]) => new Attribute({ type, values }),
    );
    const password =
      account.password === undefined
        ? []
        : [new Attribute({ type: "unicodePwd", values: [unicodePwd(account.password)] })];
    await this.transport.add(dn, [...text, ...password]);
    const [created] = await this.transport.search(dn, {
      scope: "base",
      filter: "(objectClass=*)",
      attributes: ["objectGUID"],
      binaryAttributes: ["objectGUID"],
    });
    if (!created) throw new TransientError("NotYetVisible", `the new account ${dn} could not be read back`);
    return { dn, id: guidOf(created) };
  }

  /**
   * Flips the ACCOUNTDISABLE bit with a compare-and-swap (delete the value read, add the new
   * one), so bits another tool changed meanwhile are never overwritten: a concurrent change makes
   * the delete fail and we re-read.
   */
  protected async setEnabled(entry: Entry, enabled: boolean): Promise<void> {
    let current = entry;
    for (let attempt = 0; attempt < UAC_ATTEMPTS; attempt += 1) {
      const before = userAccountControlOf(current);
      const after = withAccountDisabled(before, !enabled);
      if (after === before) return;
      try {
        await this.transport.modify(current.dn, [
          change("delete", "userAccountControl", [String(before)]),
          change("add", "userAccountControl", [String(after)]),
        ]);
        return;
      } catch (err) {
        if (ldapResultCode(err) !== LdapResult.noSuchAttribute) throw err;
      }
      const [reread] = await this.transport.search(current.dn, {
        scope: "base",
        filter: "(objectClass=*)",
        attributes: ["userAccountControl"],
      });
      if (!reread) return;
      current = reread;
    }
    throw new TransientError(
      "UserAccountControlContention",
      `userAccountControl of ${entry.dn} kept changing under us`,
    );
  }

  protected updateChanges(
    set: Record<string, AttributeValue | null>,
    validUntil: string | null | undefined,
  ): Change[] {
    assertWritable(this.config, Object.keys(set));
    const changes = Object.entries(set).map(([type, value]) => change("replace", type, toValues(value)));
    if (validUntil !== undefined)
      changes.push(change("replace", "accountExpires", [accountExpires(validUntil)]));
    return changes;
  }

  protected markerChanges(_entry: Entry, marker: string): Change[] {
    return [change("replace", this.config.ownerAttribute, [markerValue(marker)])];
  }
}

/** Parses the resolved configuration (a TerminalError lists every problem) and builds the connector. */
export function createActiveDirectoryConnector(
  input: ActiveDirectoryConnectorInput,
  logger?: Logger,
): ActiveDirectoryConnector {
  return new ActiveDirectoryConnector(
    parseConfig("activeDirectory", ActiveDirectoryConnectorConfig, input),
    logger,
  );
}
