// Public API of localkube's RBAC authorizer (pure: no I/O).
export {
  authorize,
  ruleAllows,
  serviceAccountGroups,
  serviceAccountUsername,
  SUPERUSER_GROUP,
} from "./rbac.js";
export { aggregateClusterRoles, selectorMatches } from "./aggregation.js";
export { forbiddenDetail, forbiddenDetails, forbiddenMessage, qualifiedResource } from "./messages.js";
export { defaultClusterRoleBindings, defaultClusterRoles } from "./default-roles.js";
export type {
  Attributes,
  BindingLike,
  Decision,
  LabelSelector,
  NonResourceAttributes,
  PolicyRule,
  RbacState,
  RbacSubject,
  ResourceAttributes,
  RoleLike,
  Subject,
} from "./types.js";
