import { z } from "zod";
import { Conditions } from "./conditions.js";
import { Count, ObservedGeneration, Timestamp } from "./formats.js";
import { setList } from "./lists.js";
import { resourceSchema } from "./meta.js";
import { exactlyOneOf, withRules } from "./rules.js";
import { ActiveDirectoryTargetSpec } from "./targets/active-directory.js";
import { LdapTargetSpec } from "./targets/ldap.js";
import { PostgresTargetSpec } from "./targets/postgres.js";
import { ScimTargetSpec } from "./targets/scim.js";
import { UserField } from "./user.js";

/** The connection sections of a Target; exactly one is set. */
export const TARGET_TYPES = ["ldap", "activeDirectory", "scim", "postgres"] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

export const TargetMode = z.enum(["Observe", "Plan", "Enforce"]);
export type TargetMode = z.infer<typeof TargetMode>;

export const LeavePolicyType = z.enum(["Disable", "Delete", "DisableThenDelete", "Retain"]);
export type LeavePolicyType = z.infer<typeof LeavePolicyType>;

export const OrphanPolicy = z.enum(["Report", "Disable", "Delete"]);
export type OrphanPolicy = z.infer<typeof OrphanPolicy>;

/** What happens to the account of a User who leaves (Terminated, past endDate, deleted, or no grant left). */
export const LeavePolicy = withRules(
  z.strictObject({
    type: LeavePolicyType.default("Disable").meta({
      description:
        "Disable (keep the account, disabled), Delete, DisableThenDelete (disable at once, delete afterDays later) or Retain (leave the account as it is). Default: Disable.",
    }),
    afterDays: z.int().min(1).max(3650).optional().meta({
      description:
        "Days between disabling and deleting; required with DisableThenDelete, not allowed otherwise.",
    }),
  }),
  [
    {
      cel: "(has(self.type) && self.type == 'DisableThenDelete') == has(self.afterDays)",
      message: "afterDays is required with DisableThenDelete and not allowed otherwise",
      path: ["afterDays"],
      holds: (self) => (self.type === "DisableThenDelete") === (self.afterDays !== undefined),
    },
  ],
)
  .prefault({})
  .meta({ description: "What happens to accounts of users who leave." });
export type LeavePolicy = z.infer<typeof LeavePolicy>;

/** Links a pre-existing, unmarked account to a User when an attribute matches. */
export const AdoptRule = z
  .strictObject({
    attribute: z.string().min(1).max(256).meta({
      description:
        "Target attribute compared (LDAP attribute, SCIM attribute path, or rolname for PostgreSQL).",
    }),
    userField: UserField.default("username").meta({
      description: "User spec field whose value must equal the attribute. Default: username.",
    }),
  })
  .meta({
    description:
      "An adopt rule: an unmarked account whose attribute equals the User's field becomes Roster's.",
  });
export type AdoptRule = z.infer<typeof AdoptRule>;

export const Ownership = z
  .strictObject({
    adopt: z.array(AdoptRule).max(16).default([]).meta({
      description:
        "Rules that let Roster take over pre-existing accounts. Without a matching rule, an account Roster did not create is never changed, only reported as a Conflict.",
    }),
  })
  .prefault({})
  .meta({
    description:
      "Ownership: Roster marks every account it creates and only changes marked accounts; adopt rules mark pre-existing ones.",
  });
export type Ownership = z.infer<typeof Ownership>;

/** Guards against mass disable/delete (a bad HR export, a GitOps prune). */
export const Safety = z
  .strictObject({
    maxChangesPerSync: z.int().min(0).default(100).meta({
      description:
        "A sync that would disable or delete more accounts than this is held back and reported. Default: 100.",
    }),
    maxChangesPercent: z.int().min(1).max(100).optional().meta({
      description:
        "Also hold back a sync that would disable or delete more than this percentage of the managed accounts.",
    }),
  })
  .prefault({})
  .meta({
    description: "Limits on disables and deletes per sync; a sync over a limit is held until released.",
  });
export type Safety = z.infer<typeof Safety>;

export const RateLimit = z
  .strictObject({
    operationsPerSecond: z
      .int()
      .min(1)
      .max(10000)
      .meta({ description: "Sustained operations per second against the target." }),
    burst: z
      .int()
      .min(1)
      .max(10000)
      .optional()
      .meta({ description: "Operations allowed at once above the rate. Default: operationsPerSecond." }),
  })
  .meta({ description: "A token-bucket limit on operations against the target." });
export type RateLimit = z.infer<typeof RateLimit>;

const TargetSpecObject = z.strictObject({
  ldap: LdapTargetSpec.optional(),
  activeDirectory: ActiveDirectoryTargetSpec.optional(),
  scim: ScimTargetSpec.optional(),
  postgres: PostgresTargetSpec.optional(),
  mode: TargetMode.default("Enforce").meta({
    description:
      "Observe: read and report drift and orphans, change nothing. Plan: publish the exact operations in status.plan, change nothing. Enforce: make the target match. Default: Enforce.",
  }),
  leavePolicy: LeavePolicy,
  orphanPolicy: OrphanPolicy.default("Report").meta({
    description:
      "What happens to accounts Roster created that no User wants any more: Report, Disable or Delete. Default: Report.",
  }),
  ownership: Ownership,
  attributeMapping: z.record(z.string().min(1).max(256), UserField).optional().meta({
    description:
      "Target attribute name -> User field (e.g. mail: email). Replaces the target type's default mapping when set.",
  }),
  safety: Safety,
  concurrency: z
    .int()
    .min(1)
    .max(64)
    .default(4)
    .meta({ description: "Operations in flight at once against the target. Default: 4." }),
  rateLimit: RateLimit.optional(),
  syncIntervalSeconds: z.int().min(10).max(86400).default(300).meta({
    description: "Seconds between full syncs that find drift and orphans. Default: 300.",
  }),
});

/** A connected system: its connection, and the policies Roster applies to accounts in it. */
export const TargetSpec = withRules(TargetSpecObject, [exactlyOneOf([...TARGET_TYPES])]).meta({
  description:
    "TargetSpec connects one system (exactly one of ldap, activeDirectory, scim, postgres) and sets its policies.",
});
export type TargetSpec = z.infer<typeof TargetSpec>;

export const TargetCounts = z
  .object({
    managed: Count.default(0).meta({ description: "Accounts carrying Roster's marker." }),
    disabled: Count.default(0).meta({ description: "Managed accounts that are disabled." }),
    orphaned: Count.default(0).meta({ description: "Managed accounts no User wants any more." }),
    conflicts: Count.default(0).meta({
      description: "Users whose account name is taken by an account Roster does not own.",
    }),
    failed: Count.default(0).meta({ description: "Accounts whose last operation failed." }),
    held: Count.default(0).meta({ description: "Operations held back by the safety limits." }),
  })
  .meta({ description: "Account counts from the last sync." });
export type TargetCounts = z.infer<typeof TargetCounts>;

export const PlannedOperationType = z.enum([
  "create",
  "update",
  "addRoles",
  "removeRoles",
  "enable",
  "disable",
  "delete",
  "adopt",
]);
export type PlannedOperationType = z.infer<typeof PlannedOperationType>;

/** One operation of a plan. Carries names only, never attribute values or passwords. */
export const PlannedOperationStatus = z
  .object({
    operation: PlannedOperationType.meta({
      description: "The operation: create, update, addRoles, removeRoles, enable, disable, delete or adopt.",
    }),
    username: z.string().min(1).max(256).meta({ description: "The account the operation applies to." }),
    roles: setList(z.string().min(1)).optional().meta({ description: "Roles added or removed." }),
    attributes: setList(z.string().min(1))
      .optional()
      .meta({ description: "Names of the attributes an update changes." }),
    reason: z.string().max(1024).optional().meta({ description: "Why the operation is needed." }),
  })
  .meta({ description: "A planned operation." });
export type PlannedOperationStatus = z.infer<typeof PlannedOperationStatus>;

export const MAX_PLAN_OPERATIONS = 100;

export const TargetPlan = z
  .object({
    total: Count.meta({
      description: "Number of operations in the plan (operations lists at most the first 100).",
    }),
    generatedTime: Timestamp.optional().meta({ description: "When the plan was computed." }),
    operations: z.array(PlannedOperationStatus).max(MAX_PLAN_OPERATIONS).default([]).meta({
      description: "The first operations of the plan, in the order they would run.",
    }),
  })
  .meta({ description: "Operations Roster would run: published in Plan mode and when a sync is held back." });
export type TargetPlan = z.infer<typeof TargetPlan>;

export const TargetStatus = z
  .object({
    observedGeneration: ObservedGeneration.optional(),
    conditions: Conditions.optional(),
    counts: TargetCounts.optional(),
    lastFullSyncTime: Timestamp.optional().meta({ description: "When the last full sync completed." }),
    orphans: setList(z.string().min(1).max(256)).max(MAX_PLAN_OPERATIONS).optional().meta({
      description:
        "Usernames of accounts Roster created that no User wants any more (the first 100, sorted; counts.orphaned has the total).",
    }),
    plan: TargetPlan.optional(),
  })
  .meta({ description: "TargetStatus reports connectivity, the last sync and its counts, and the plan." });
export type TargetStatus = z.infer<typeof TargetStatus>;

/** A Target object. Namespaced: its Secrets and the AccessGrants that use it live in its namespace. */
export const Target = resourceSchema("Target", TargetSpec, TargetStatus);
export type Target = z.infer<typeof Target>;

/** The type of a parsed Target spec (the one connection section that is set). */
export function targetType(spec: TargetSpec): TargetType {
  const type = TARGET_TYPES.find((key) => spec[key] !== undefined);
  if (type === undefined) throw new Error("Target spec has no connection section");
  return type;
}
