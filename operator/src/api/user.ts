import { z } from "zod";
import { Conditions } from "./conditions.js";
import { immutable } from "./crd/extensions.js";
import { EMAIL, NAMESPACED_NAME, ObjectName, ObservedGeneration, Timestamp, USERNAME } from "./formats.js";
import { mapList, setList } from "./lists.js";
import { resourceSchema } from "./meta.js";
import { withRules } from "./rules.js";

export const EmploymentType = z.enum(["Employee", "Contractor", "Vendor", "Service"]);
export type EmploymentType = z.infer<typeof EmploymentType>;

export const UserState = z.enum(["Active", "Suspended", "Terminated"]);
export type UserState = z.infer<typeof UserState>;

/** The account name in every target: lower case, DNS-1123-like, at most 63 characters. */
export const Username = z.string().min(1).max(63).regex(new RegExp(USERNAME), {
  message:
    "must start with a lower case letter, contain only a-z, 0-9, '-', '_' and '.', and end alphanumeric",
});

const text = (max: number) => z.string().min(1).max(max);

/** A person (or service identity) whose accounts Roster provisions. */
export const UserSpec = withRules(
  z.strictObject({
    username: Username.meta({
      description:
        "The account name in every target (LDAP uid, sAMAccountName, SCIM userName, PostgreSQL role). Immutable.",
      ...immutable("username"),
    }),
    displayName: text(256)
      .optional()
      .meta({ description: 'Full name as shown to people, e.g. "Ada Lovelace".' }),
    givenName: text(128).optional().meta({ description: "Given (first) name." }),
    familyName: text(128).optional().meta({ description: "Family (last) name." }),
    email: z
      .string()
      .max(254)
      .regex(new RegExp(EMAIL), { message: "must be an e-mail address" })
      .optional()
      .meta({ description: "Work e-mail address." }),
    employeeId: text(64).optional().meta({ description: "The HR system's identifier for the person." }),
    department: text(128).optional().meta({
      description: "Department name. Grants select on labels, so also set the roster.dev/department label.",
    }),
    title: text(128).optional().meta({ description: "Job title." }),
    manager: ObjectName.optional().meta({ description: "Name of the User object of this person's manager." }),
    employmentType: EmploymentType.default("Employee").meta({
      description: "Kind of engagement: Employee, Contractor, Vendor or Service (a non-human identity).",
    }),
    state: UserState.default("Active").meta({
      description:
        "Lifecycle state. Active: accounts enabled (within startDate/endDate). Suspended: accounts disabled, kept. Terminated: access revoked everywhere and accounts handled by each Target's leavePolicy.",
    }),
    startDate: Timestamp.optional().meta({
      description: "First instant of access (RFC 3339). Before it, accounts are created but stay disabled.",
    }),
    endDate: Timestamp.optional().meta({
      description:
        "Instant access ends (RFC 3339). From then on the User is treated as Terminated, without anyone acting.",
    }),
  }),
  [
    {
      cel: "!has(self.startDate) || !has(self.endDate) || self.endDate > self.startDate",
      message: "endDate must be after startDate",
      path: ["endDate"],
      holds: (self) =>
        self.startDate === undefined ||
        self.endDate === undefined ||
        Date.parse(self.endDate) > Date.parse(self.startDate),
    },
  ],
).meta({ description: "UserSpec describes a person: identity attributes and lifecycle." });
export type UserSpec = z.infer<typeof UserSpec>;

export const AccountState = z.enum(["Provisioned", "Disabled", "Deleted", "Pending", "Failed", "Conflict"]);
export type AccountState = z.infer<typeof AccountState>;

/** What Roster did for one User in one Target. */
export const AccountStatus = z
  .object({
    target: z.string().max(317).regex(new RegExp(NAMESPACED_NAME)).meta({
      description: "The Target, as namespace/name.",
    }),
    accountId: z.string().max(1024).optional().meta({
      description: "The target's identifier of the account: DN, objectGUID, SCIM id or role name.",
    }),
    state: AccountState.meta({
      description:
        "Provisioned (exists, enabled), Disabled, Deleted, Pending (waiting: start date, retry, held sync), Failed (last attempt failed, retried), Conflict (an account Roster does not own has this name).",
    }),
    roles: setList(z.string().min(1))
      .optional()
      .meta({ description: "Roles the account holds in the target." }),
    grants: setList(z.string().regex(new RegExp(NAMESPACED_NAME)))
      .optional()
      .meta({
        description: "The AccessGrants (namespace/name) that give this account and its roles.",
      }),
    lastSyncTime: Timestamp.optional().meta({ description: "When Roster last made this account match." }),
    lastError: z
      .string()
      .max(4096)
      .optional()
      .meta({ description: "The last error for this account, if any." }),
  })
  .meta({ description: "The state of this User's account in one Target." });
export type AccountStatus = z.infer<typeof AccountStatus>;

export const UserStatus = z
  .object({
    observedGeneration: ObservedGeneration.optional(),
    conditions: Conditions.optional(),
    accounts: mapList(AccountStatus, ["target"]).optional().meta({
      description: "One entry per Target where this User has, or had, an account.",
    }),
    nextTransitionTime: Timestamp.optional().meta({
      description:
        "The next instant this User's access changes by the clock alone (startDate, endDate, a grant starting or expiring); Roster acts at that instant.",
    }),
  })
  .meta({ description: "UserStatus reports the User's accounts and readiness, written by Roster." });
export type UserStatus = z.infer<typeof UserStatus>;

/** A User object. Cluster-scoped. */
export const User = resourceSchema("User", UserSpec, UserStatus);
export type User = z.infer<typeof User>;

/** User spec fields a Target can map to attributes or match accounts on. */
export const UserField = z.enum([
  "username",
  "displayName",
  "givenName",
  "familyName",
  "email",
  "employeeId",
  "department",
  "title",
  "manager",
  "employmentType",
]);
export type UserField = z.infer<typeof UserField>;
