import { GROUP, VERSION } from "../api/index.js";
import type { ResourceType } from "../runtime/index.js";

/** The resource types Roster's controllers read and write. */
export const USERS: ResourceType = { group: GROUP, version: VERSION, resource: "users", namespaced: false };
export const ACCESS_GRANTS: ResourceType = {
  group: GROUP,
  version: VERSION,
  resource: "accessgrants",
  namespaced: true,
};
export const TARGETS: ResourceType = {
  group: GROUP,
  version: VERSION,
  resource: "targets",
  namespaced: true,
};
export const SECRETS: ResourceType = { group: "", version: "v1", resource: "secrets", namespaced: true };

/** Finalizer, annotations: part of the API (see api/annotations.ts). */
export {
  ABANDON_ANNOTATION,
  CLEANUP_FINALIZER as USER_FINALIZER,
  RELEASE_HELD_CHANGES_ANNOTATION,
} from "../api/index.js";
/** Label on password Secrets Roster generates. */
export const PASSWORD_SECRET_LABEL = `${GROUP}/password-for`;
