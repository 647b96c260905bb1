/**
 * Pure mapping between Roster accounts and OpenLDAP entries: DNs, filters, the entry of a new
 * account, modify changes for an update, and the ObservedAccount read back from an entry.
 */
import type { Entry } from "ldapts";
import type { AttributeValue, DesiredAccount, ObservedAccount } from "../../engine/connector.js";
import { canonicalDN, childDN } from "../shared/ldap-dn.js";
import { firstValue, valuesOf } from "../shared/ldap-entry.js";
import { equalityFilter } from "../shared/ldap-escape.js";
import { markerValue, readMarker } from "../shared/ldap-marker.js";
import { assertNotReserved, entryValues, reportedAttributes, toValues } from "../shared/ldap-attributes.js";
import type { LdapConnectorConfig } from "./config.js";

/** ppolicy's operational attribute; this value locks the account until an administrator clears it. */
export const PPOLICY_LOCK_ATTRIBUTE = "pwdAccountLockedTime";
export const PERMANENT_LOCK = "000001010000Z";

/** The attribute and value that mark a disabled account under the configured disable method. */
export function disabledMark(config: LdapConnectorConfig): { attribute: string; value: string } {
  return config.disable.method === "Attribute"
    ? { attribute: config.disable.attribute.name, value: config.disable.attribute.value }
    : { attribute: PPOLICY_LOCK_ATTRIBUTE, value: PERMANENT_LOCK };
}

export function isEnabled(config: LdapConnectorConfig, entry: Entry): boolean {
  const mark = disabledMark(config);
  const values = valuesOf(entry, mark.attribute);
  return config.disable.method === "Attribute" ? !values.includes(mark.value) : values.length === 0;
}

export type EntryAttributes = Record<string, string[]>;

export function userDN(config: LdapConnectorConfig, username: string): string {
  return childDN(config.rdnAttribute, username, config.usersBaseDN);
}

/** Accounts in scope: entries of the first configured object class. */
export function accountsFilter(config: LdapConnectorConfig): string {
  return equalityFilter("objectClass", config.objectClasses[0] ?? "inetOrgPerson");
}

export function accountFilter(config: LdapConnectorConfig, username: string): string {
  return `(&${accountsFilter(config)}${equalityFilter(config.rdnAttribute, username)})`;
}

/** The accounts of all these usernames: one OR of naming-attribute equalities, each value escaped. */
export function accountsByNameFilter(config: LdapConnectorConfig, usernames: readonly string[]): string {
  const names = usernames.map((username) => equalityFilter(config.rdnAttribute, username)).join("");
  return `(&${accountsFilter(config)}(|${names}))`;
}

/**
 * The normalized naming value a username is searched by, and those an entry holds: the naming
 * attributes Roster uses (uid, cn, ...) compare case-insensitively in the stock schemas.
 */
export function usernameKeys(username: string): string[] {
  return [username.toLowerCase()];
}

export function entryKeys(config: LdapConnectorConfig, entry: Entry): string[] {
  return valuesOf(entry, config.rdnAttribute).map((value) => value.toLowerCase());
}

/** Attributes to request when reading accounts (the lock state is operational: asked by name). */
export function readAttributes(config: LdapConnectorConfig): string[] {
  const extra = config.posix ? ["uidNumber"] : [];
  return [
    ...new Set([
      config.rdnAttribute,
      config.ownerAttribute,
      disabledMark(config).attribute,
      ...config.attributes,
      ...extra,
    ]),
  ];
}

/** Attributes Roster sets itself; a mapping that writes them is a configuration error. */
function reservedAttributes(config: LdapConnectorConfig): string[] {
  return [
    config.rdnAttribute,
    config.ownerAttribute,
    "objectClass",
    "userPassword",
    disabledMark(config).attribute,
  ];
}

export function assertWritable(config: LdapConnectorConfig, attributes: Iterable<string>): void {
  assertNotReserved("LDAP", reservedAttributes(config), attributes);
}

export interface PosixIds {
  uidNumber: number;
}

/** The attributes of a new account's entry (password and lock are applied separately). */
export function newEntry(
  config: LdapConnectorConfig,
  account: DesiredAccount,
  posix?: PosixIds,
): EntryAttributes {
  assertWritable(config, Object.keys(account.attributes));
  const entry: EntryAttributes = entryValues(account.attributes);
  const classes = [...config.objectClasses];
  entry[config.rdnAttribute] = [account.username];
  entry.cn ??= [account.username];
  entry.sn ??= [account.username];
  if (config.posix && posix) {
    classes.push("posixAccount");
    entry.uidNumber = [String(posix.uidNumber)];
    entry.gidNumber = [String(config.posix.gidNumber)];
    entry.homeDirectory = [config.posix.homeDirectory.replaceAll("{username}", account.username)];
    entry.loginShell = [config.posix.loginShell];
  }
  entry.objectClass = classes;
  const ownerValues = entry[config.ownerAttribute] ?? [];
  entry[config.ownerAttribute] = [...ownerValues, markerValue(account.ownerMarker)];
  if (!account.enabled) {
    const mark = disabledMark(config);
    entry[mark.attribute] = [mark.value];
  }
  return entry;
}

/** Replace-modifications for an update: a null or empty value removes the attribute. */
export function updateModifications(
  config: LdapConnectorConfig,
  set: Record<string, AttributeValue | null>,
): Array<{ attribute: string; values: string[] }> {
  assertWritable(config, Object.keys(set));
  return Object.entries(set).map(([attribute, value]) => ({ attribute, values: toValues(value) }));
}

/** The account an entry describes; `roles` comes from group lookups. */
export function observedFrom(config: LdapConnectorConfig, entry: Entry, roles: string[]): ObservedAccount {
  return {
    id: canonicalDN(entry.dn),
    username: firstValue(entry, config.rdnAttribute) ?? "",
    owner: readMarker(valuesOf(entry, config.ownerAttribute)),
    enabled: isEnabled(config, entry),
    attributes: reportedAttributes(entry, config.attributes, config.ownerAttribute),
    roles,
  };
}
