/**
 * Pure mapping between Roster accounts and Active Directory user objects: DN, filters, the
 * attributes of a new user, update modifications, and the ObservedAccount read back.
 */
import type { Entry } from "ldapts";
import type { DesiredAccount, ObservedAccount } from "../../engine/connector.js";
import { TerminalError } from "../../errors.js";
import { childDN, parseDN } from "../shared/ldap-dn.js";
import { binaryValue, firstValue, valuesOf } from "../shared/ldap-entry.js";
import { equalityFilter } from "../shared/ldap-escape.js";
import { markerValue, readMarker } from "../shared/ldap-marker.js";
import { assertNotReserved, entryValues, reportedAttributes } from "../shared/ldap-attributes.js";
import type { ActiveDirectoryConnectorConfig } from "./config.js";
import {
  dnsDomainOf,
  formatGuid,
  isDisabled,
  NEVER_EXPIRES,
  samAccountName,
  toFileTime,
  UAC_ACCOUNTDISABLE,
  UAC_NORMAL_ACCOUNT,
} from "./quirks.js";

export const USERS_FILTER = "(&(objectCategory=person)(objectClass=user))";

export function upnSuffix(config: ActiveDirectoryConnectorConfig): string {
  if (config.upnSuffix) return config.upnSuffix;
  const dcs = parseDN(config.usersBaseDN)
    .flat()
    .filter((atv) => atv.type.toLowerCase() === "dc")
    .map((atv) => atv.value);
  return dnsDomainOf(dcs);
}

export function userPrincipalName(config: ActiveDirectoryConnectorConfig, username: string): string {
  return `${username}@${upnSuffix(config)}`;
}

export function userDN(config: ActiveDirectoryConnectorConfig, username: string): string {
  return childDN("CN", username, config.usersBaseDN);
}

/** One account: by userPrincipalName, or by its derived sAMAccountName (both are unique in a domain). */
export function accountFilter(config: ActiveDirectoryConnectorConfig, username: string): string {
  const upn = equalityFilter("userPrincipalName", userPrincipalName(config, username));
  const sam = equalityFilter("sAMAccountName", samAccountName(username));
  return `(&${USERS_FILTER}(|${upn}${sam}))`;
}

/** The accounts of all these usernames: one OR of their UPN and sAMAccountName equalities. */
export function accountsByNameFilter(
  config: ActiveDirectoryConnectorConfig,
  usernames: readonly string[],
): string {
  const terms = usernames.map(
    (username) =>
      equalityFilter("userPrincipalName", userPrincipalName(config, username)) +
      equalityFilter("sAMAccountName", samAccountName(username)),
  );
  return `(&${USERS_FILTER}(|${terms.join("")}))`;
}

/** The normalized values a username is searched by (AD compares both attributes case-insensitively). */
export function usernameKeys(config: ActiveDirectoryConnectorConfig, username: string): string[] {
  return [
    `upn:${userPrincipalName(config, username).toLowerCase()}`,
    `sam:${samAccountName(username).toLowerCase()}`,
  ];
}

/** The same normalized values, as an entry holds them. */
export function entryKeys(entry: Entry): string[] {
  return [
    ...valuesOf(entry, "userPrincipalName").map((upn) => `upn:${upn.toLowerCase()}`),
    ...valuesOf(entry, "sAMAccountName").map((sam) => `sam:${sam.toLowerCase()}`),
  ];
}

export function readAttributes(config: ActiveDirectoryConnectorConfig): string[] {
  const own = ["objectGUID", "sAMAccountName", "userPrincipalName", "userAccountControl", "accountExpires"];
  return [...new Set([...own, config.ownerAttribute, ...config.attributes])];
}

const RESERVED = [
  "objectClass",
  "cn",
  "name",
  "sAMAccountName",
  "userPrincipalName",
  "unicodePwd",
  "userPassword",
  "userAccountControl",
  "accountExpires",
  "objectGUID",
];

export function assertWritable(config: ActiveDirectoryConnectorConfig, attributes: Iterable<string>): void {
  assertNotReserved("Active Directory", [...RESERVED, config.ownerAttribute], attributes);
}

export function accountExpires(validUntil: string | null | undefined): string {
  return validUntil ? toFileTime(validUntil) : NEVER_EXPIRES;
}

/** Text attributes of a new user (the password travels separately as a binary unicodePwd). */
export function newUserAttributes(
  config: ActiveDirectoryConnectorConfig,
  account: DesiredAccount,
): Record<string, string[]> {
  assertWritable(config, Object.keys(account.attributes));
  const enabled = account.enabled;
  return {
    ...entryValues(account.attributes),
    objectClass: ["user"],
    sAMAccountName: [samAccountName(account.username)],
    userPrincipalName: [userPrincipalName(config, account.username)],
    userAccountControl: [String(UAC_NORMAL_ACCOUNT | (enabled ? 0 : UAC_ACCOUNTDISABLE))],
    accountExpires: [accountExpires(account.validUntil)],
    [config.ownerAttribute]: [markerValue(account.ownerMarker)],
  };
}

/** The username an AD user stands for: its UPN's local part under our suffix, else its sAMAccountName. */
export function usernameOf(config: ActiveDirectoryConnectorConfig, entry: Entry): string {
  const upn = firstValue(entry, "userPrincipalName");
  const suffix = `@${upnSuffix(config)}`.toLowerCase();
  if (upn?.toLowerCase().endsWith(suffix)) return upn.slice(0, upn.length - suffix.length);
  return firstValue(entry, "sAMAccountName") ?? "";
}

export function userAccountControlOf(entry: Entry): number {
  return Number(firstValue(entry, "userAccountControl") ?? UAC_NORMAL_ACCOUNT);
}

export function guidOf(entry: Entry): string {
  const bytes = binaryValue(entry, "objectGUID");
  if (!bytes)
    throw new TerminalError("MissingObjectGuid", `${entry.dn} has no objectGUID (is this Active Directory?)`);
  return formatGuid(bytes);
}

export function observedFrom(
  config: ActiveDirectoryConnectorConfig,
  entry: Entry,
  roles: string[],
): ObservedAccount {
  return {
    id: guidOf(entry),
    username: usernameOf(config, entry),
    owner: readMarker(valuesOf(entry, config.ownerAttribute)),
    enabled: !isDisabled(userAccountControlOf(entry)),
    attributes: reportedAttributes(entry, config.attributes, config.ownerAttribute),
    roles,
  };
}
