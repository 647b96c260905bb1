/**
 * Condition types and reasons used in the status of Roster objects. Reasons are CamelCase
 * constants (Kubernetes API conventions) so automation and alerts can match on them; messages
 * are free sentences.
 */

export const ConditionType = {
  /** Summary: the object is fully reconciled (kstatus reads it). */
  Ready: "Ready",
  /** Work is in progress toward the desired state (kstatus). */
  Reconciling: "Reconciling",
  /** Progress is blocked until someone acts (kstatus). */
  Stalled: "Stalled",
  /** AccessGrant: the grant is inside its validity window. */
  Active: "Active",
  /** AccessGrant: the grant's validity window has ended. */
  Expired: "Expired",
  /** Target: Roster can reach the system and its credentials are accepted. */
  Connected: "Connected",
  /** Target: the last full sync completed (or was held back). */
  Synced: "Synced",
} as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

export const Reason = {
  // Generic progress
  Reconciled: "Reconciled",
  Progressing: "Progressing",
  InvalidSpec: "InvalidSpec",
  Deleting: "Deleting",

  // User
  AccountsProvisioned: "AccountsProvisioned",
  AccountsPending: "AccountsPending",
  AccountsFailed: "AccountsFailed",
  AccountConflict: "AccountConflict",
  NotStarted: "NotStarted",
  Suspended: "Suspended",
  Terminated: "Terminated",
  EndDatePassed: "EndDatePassed",
  NoAccess: "NoAccess",

  // AccessGrant
  GrantActive: "GrantActive",
  NotYetValid: "NotYetValid",
  GrantExpired: "GrantExpired",
  NoMatchingUsers: "NoMatchingUsers",
  TargetNotFound: "TargetNotFound",

  // Target
  ConnectionSucceeded: "ConnectionSucceeded",
  ConnectionFailed: "ConnectionFailed",
  AuthenticationFailed: "AuthenticationFailed",
  SecretNotFound: "SecretNotFound",
  SyncSucceeded: "SyncSucceeded",
  SyncFailed: "SyncFailed",
  SafetyLimitExceeded: "SafetyLimitExceeded",
  PlanReady: "PlanReady",
  Observing: "Observing",
  TargetUnavailable: "TargetUnavailable",
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];
