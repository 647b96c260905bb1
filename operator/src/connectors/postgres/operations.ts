/**
 * What the connector says about one change: the role it concerns, the context its errors carry
 * and the privilege it needs. Shared by `apply` and the batch paths, so that a change settled in a
 * batch fails with the same message as the same change applied alone. Pure: no I/O.
 */
import type { AccountChange, AccountOperation } from "../../engine/connector.js";
import { CLEANUP_PRIVILEGE } from "./leave.js";

/** The privilege each operation needs, named when the server refuses it. */
export const PRIVILEGES: Record<AccountOperation, string> = {
  create: "CREATEROLE",
  update: "CREATEROLE",
  addRoles: "ADMIN OPTION on the granted roles (or CREATEROLE)",
  removeRoles: "ADMIN OPTION on the revoked roles (or CREATEROLE)",
  enable: "CREATEROLE",
  disable: "CREATEROLE",
  delete: `CREATEROLE, and ${CLEANUP_PRIVILEGE}`,
  adopt: "CREATEROLE (for COMMENT ON ROLE)",
};

/** The role a change is about. */
export function subjectOf(change: AccountChange): string {
  return change.op === "create" ? change.account.username : change.username;
}

/** The context of a change's errors: `postgres disable of role "ada" failed`. */
export function changeContext(op: AccountOperation, username: string): string {
  return `postgres ${op} of role ${JSON.stringify(username)} failed`;
}
