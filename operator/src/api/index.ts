/** The Roster API (group roster.dev, version v1alpha1): zod schemas, inferred types, helpers. Pure. */
export * from "./group.js";
export * from "./annotations.js";
export * from "./formats.js";
export * from "./meta.js";
export * from "./conditions.js";
export * from "./label-selector.js";
export * from "./secret-reference.js";
export * from "./reasons.js";
export * from "./user.js";
export * from "./access-grant.js";
export * from "./target.js";
export * from "./targets/common.js";
export * from "./targets/ldap.js";
export * from "./targets/active-directory.js";
export * from "./targets/scim.js";
export * from "./targets/postgres.js";
export * from "./validate.js";
