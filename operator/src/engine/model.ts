/**
 * The plain data the engine decides over. These are the parts of the Roster API objects the
 * engine reads, kept structural so the API types (operator/src/api) satisfy them and tests can
 * build them with small builders. No I/O, no Kubernetes client types.
 */

export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export type UserState = "Active" | "Suspended" | "Terminated";

export interface UserView {
  /** metadata.name of the cluster-scoped User. */
  name: string;
  labels: Record<string, string>;
  /** True once metadata.deletionTimestamp is set. */
  deleting: boolean;
  spec: {
    username: string;
    displayName?: string;
    givenName?: string;
    familyName?: string;
    email?: string;
    employeeId?: string;
    department?: string;
    title?: string;
    manager?: string;
    employmentType?: string;
    state?: UserState;
    startDate?: string;
    endDate?: string;
  };
}

export interface GrantView {
  namespace: string;
  name: string;
  /** metadata.creationTimestamp; the start of a `duration` when validFrom is absent. */
  createdAt?: string;
  deleting: boolean;
  spec: {
    target: string;
    subjects: { users?: string[]; selector?: LabelSelector };
    roles: string[];
    validFrom?: string;
    expiresAt?: string;
    /** Go-style duration ("2h", "90m", "1h30m"). */
    duration?: string;
  };
}

export type LeavePolicyType = "Disable" | "Delete" | "DisableThenDelete" | "Retain";
export type TargetMode = "Observe" | "Plan" | "Enforce";
export type OrphanPolicy = "Report" | "Disable" | "Delete";

export interface AdoptRule {
  /** Target attribute compared with the User field's value. */
  attribute: string;
  /** User spec field whose value must equal the target attribute (default: username). */
  userField?: keyof UserView["spec"];
}

export interface TargetView {
  namespace: string;
  name: string;
  type: "ldap" | "activeDirectory" | "scim" | "postgres";
  mode: TargetMode;
  leavePolicy: { type: LeavePolicyType; afterDays?: number };
  orphanPolicy: OrphanPolicy;
  adopt: AdoptRule[];
  /** Target attribute name -> User spec field; replaces the type's defaults when given. */
  attributeMapping?: Record<string, keyof UserView["spec"]>;
  /** Hold a sync that would disable or delete more accounts than this. */
  maxChangesPerSync?: number;
  maxChangesPercent?: number;
  /** Generate an initial password for new accounts. */
  generatePassword: boolean;
}
