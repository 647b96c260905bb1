/**
 * Roster's ownership marker. Every account Roster creates carries `roster:<User uid>` (connectors
 * store it in an LDAP attribute, SCIM externalId, a PostgreSQL role comment). Any account whose
 * marker has the prefix is Roster's; any other account is never modified or deleted unless an
 * adopt rule matches it.
 */
export const OWNER_PREFIX = "roster:";

export function ownerMarker(userUid: string): string {
  return `${OWNER_PREFIX}${userUid}`;
}

export function isOwned(owner: string | undefined): boolean {
  return owner !== undefined && owner.startsWith(OWNER_PREFIX);
}
