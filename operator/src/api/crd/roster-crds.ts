import { AccessGrantSpec, AccessGrantStatus } from "../access-grant.js";
import { GROUP, VERSION } from "../group.js";
import { ConditionType } from "../reasons.js";
import { TargetSpec, TargetStatus } from "../target.js";
import { UserSpec, UserStatus } from "../user.js";
import { buildCrd, conditionColumn, type CrdDefinition } from "./crd.js";
import type { CustomResourceDefinition } from "./types.js";

/** The three Roster kinds as CRD definitions: names, scope, schemas and printer columns. */

const common = { group: GROUP, version: VERSION, categories: ["roster"] };
const ready = conditionColumn("Ready", ConditionType.Ready, "status");
const reason = conditionColumn("Reason", ConditionType.Ready, "reason");
const message = { ...conditionColumn("Message", ConditionType.Ready, "message"), priority: 1 };

export const USER_CRD: CrdDefinition = {
  ...common,
  kind: "User",
  plural: "users",
  singular: "user",
  shortNames: ["rusr"],
  scope: "Cluster",
  description:
    "User is a person (or service identity) whose accounts Roster provisions in every Target an AccessGrant gives them, from joining to leaving.",
  spec: UserSpec,
  status: UserStatus,
  printerColumns: [
    { name: "Username", type: "string", jsonPath: ".spec.username" },
    { name: "State", type: "string", jsonPath: ".spec.state" },
    { name: "Type", type: "string", jsonPath: ".spec.employmentType", priority: 1 },
    { name: "Department", type: "string", jsonPath: ".spec.department", priority: 1 },
    { name: "End", type: "date", jsonPath: ".spec.endDate", priority: 1 },
    ready,
    reason,
    message,
  ],
};

export const ACCESS_GRANT_CRD: CrdDefinition = {
  ...common,
  kind: "AccessGrant",
  plural: "accessgrants",
  singular: "accessgrant",
  shortNames: ["ag"],
  scope: "Namespaced",
  description:
    "AccessGrant gives roles in a Target of its namespace to Users, named or selected by labels, optionally for a limited time.",
  spec: AccessGrantSpec,
  status: AccessGrantStatus,
  printerColumns: [
    { name: "Target", type: "string", jsonPath: ".spec.target" },
    { name: "Roles", type: "string", jsonPath: ".spec.roles", priority: 1 },
    { name: "Users", type: "integer", jsonPath: ".status.matchedUsers" },
    conditionColumn("Active", ConditionType.Active, "status"),
    // A string, not a date: kubectl renders future dates as "<invalid>".
    { name: "Expires", type: "string", jsonPath: ".status.expiresAt" },
    ready,
    reason,
    message,
  ],
};

export const TARGET_CRD: CrdDefinition = {
  ...common,
  kind: "Target",
  plural: "targets",
  singular: "target",
  shortNames: ["tgt"],
  scope: "Namespaced",
  description:
    "Target is a connected system (LDAP, Active Directory, SCIM application or PostgreSQL) and the policies Roster applies to accounts in it.",
  spec: TargetSpec,
  status: TargetStatus,
  printerColumns: [
    { name: "Mode", type: "string", jsonPath: ".spec.mode" },
    conditionColumn("Connected", ConditionType.Connected, "status"),
    { name: "Managed", type: "integer", jsonPath: ".status.counts.managed" },
    { name: "Orphaned", type: "integer", jsonPath: ".status.counts.orphaned", priority: 1 },
    { name: "Conflicts", type: "integer", jsonPath: ".status.counts.conflicts", priority: 1 },
    { name: "Held", type: "integer", jsonPath: ".status.counts.held", priority: 1 },
    { name: "Last Sync", type: "date", jsonPath: ".status.lastFullSyncTime", priority: 1 },
    ready,
    reason,
    message,
  ],
};

export const ROSTER_CRD_DEFINITIONS: readonly CrdDefinition[] = [USER_CRD, ACCESS_GRANT_CRD, TARGET_CRD];

/** The CustomResourceDefinitions of every Roster kind, in a fixed order. */
export function rosterCrds(): CustomResourceDefinition[] {
  return ROSTER_CRD_DEFINITIONS.map(buildCrd);
}
