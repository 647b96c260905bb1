import type { PlannedOperation } from "../../engine/plan.js";
import { usernameOf } from "./effects.js";

/** Event reasons per operation: CamelCase, stable. */
export const EVENT_REASONS: Record<PlannedOperation["change"]["op"], string> = {
  create: "AccountCreated",
  update: "AccountUpdated",
  addRoles: "RolesGranted",
  removeRoles: "RolesRevoked",
  enable: "AccountEnabled",
  disable: "AccountDisabled",
  delete: "AccountDeleted",
  adopt: "AccountAdopted",
};

/** A sentence describing an applied operation: names only, never values or passwords. */
export function describeOperation(operation: PlannedOperation): string {
  const change = operation.change;
  const username = usernameOf(change);
  switch (change.op) {
    case "create":
      return `Created account ${username}${change.account.roles.length ? ` with roles ${change.account.roles.join(", ")}` : ""}`;
    case "update":
      return `Updated ${Object.keys(change.set).sort().join(", ")} of account ${username}`;
    case "addRoles":
      return `Granted ${change.roles.join(", ")} to account ${username}`;
    case "removeRoles":
      return `Revoked ${change.roles.join(", ")} from account ${username}`;
    default:
      return `${EVENT_REASONS[change.op].replace("Account", "")} account ${username}`;
  }
}
