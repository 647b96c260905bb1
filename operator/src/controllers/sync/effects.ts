import type { AccountChange, ObservedAccount } from "../../engine/connector.js";

/**
 * The account as the target holds it after a change that succeeded, derived without reading the
 * target again. Keeps the sync's picture of the target current between full syncs (which re-read
 * everything and correct any difference). Pure.
 */
export function afterChange(
  before: ObservedAccount | undefined,
  change: AccountChange,
  id: string | undefined,
): ObservedAccount | undefined {
  switch (change.op) {
    case "create":
      return {
        id: id ?? before?.id ?? change.account.username,
        username: change.account.username,
        owner: change.account.ownerMarker,
        enabled: change.account.enabled,
        attributes: { ...change.account.attributes },
        roles: [...change.account.roles].sort(),
      };
    case "delete":
      return undefined;
  }
  if (!before) return undefined;
  switch (change.op) {
    case "update": {
      const attributes = { ...before.attributes };
      for (const [name, value] of Object.entries(change.set)) {
        if (value === null) delete attributes[name];
        else attributes[name] = value;
      }
      return { ...before, attributes };
    }
    case "addRoles":
      return { ...before, roles: [...new Set([...before.roles, ...change.roles])].sort() };
    case "removeRoles":
      return { ...before, roles: before.roles.filter((r) => !change.roles.includes(r)) };
    case "enable":
      return { ...before, enabled: true };
    case "disable":
      return { ...before, enabled: false };
    case "adopt":
      return { ...before, owner: change.ownerMarker };
  }
}

export function usernameOf(change: AccountChange): string {
  return change.op === "create" ? change.account.username : change.username;
}
