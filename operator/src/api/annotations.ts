import { GROUP } from "./group.js";

/**
 * Labels, annotations and finalizers that are part of Roster's API: people and tools set or read
 * them, so their names are a contract like field names.
 */

/** User label with the person's department; birthright grants select on it. */
export const DEPARTMENT_LABEL = `${GROUP}/department`;

/**
 * Target annotation that releases a sync held back by the safety limits. Its value is the
 * generation or any new token: changing it releases the next held sync once.
 */
export const RELEASE_HELD_CHANGES_ANNOTATION = `${GROUP}/release-held-changes`;

/**
 * Target annotation ("true") declaring the system gone for good: cleanup of its accounts is
 * skipped, so Users and the Target can be deleted without waiting for an unreachable target.
 */
export const ABANDON_ANNOTATION = `${GROUP}/abandon`;

/** Finalizer Roster puts on Users and Targets until their accounts are cleaned up. */
export const CLEANUP_FINALIZER = `${GROUP}/cleanup`;
