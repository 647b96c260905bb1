import { z } from "zod";
import { Conditions } from "./conditions.js";
import { celRules } from "./crd/extensions.js";
import { Count, Duration, ObjectName, ObservedGeneration, Timestamp } from "./formats.js";
import { LabelSelector } from "./label-selector.js";
import { setList } from "./lists.js";
import { resourceSchema } from "./meta.js";
import { withRules } from "./rules.js";

/** An entitlement in a target: an LDAP/AD group, a SCIM group or a PostgreSQL role. */
export const RoleName = z.string().min(1).max(256);

/** The Users a grant applies to: named Users, Users matched by a selector, or both. */
export const GrantSubjects = withRules(
  z.strictObject({
    users: setList(ObjectName)
      .max(1000)
      .optional()
      .meta({ description: "Names of User objects that get the grant." }),
    selector: LabelSelector.optional().meta({
      description:
        "Users whose labels match get the grant, and lose it when their labels stop matching. An empty selector ({}) matches every User.",
    }),
  }),
  [
    {
      cel: "has(self.users) || has(self.selector)",
      message: "subjects must name users or give a selector",
      holds: (self) => self.users !== undefined || self.selector !== undefined,
    },
  ],
).meta({ description: "Who gets the grant: explicit users, a label selector over Users, or both." });
export type GrantSubjects = z.infer<typeof GrantSubjects>;

/**
 * Who gets which roles in which Target, and for how long. A User matched by any active grant for
 * a Target has an account there; the account's roles are the union of those grants' roles.
 */
export const AccessGrantSpec = withRules(
  z.strictObject({
    target: ObjectName.meta({ description: "Name of a Target in the grant's own namespace." }),
    subjects: GrantSubjects,
    roles: setList(RoleName).max(256).default([]).meta({
      description:
        "Entitlements in the target: LDAP/AD group names, SCIM group display names or PostgreSQL role names. Empty grants an account without roles.",
    }),
    validFrom: Timestamp.optional().meta({
      description: "Instant the grant starts (RFC 3339). Default: at once.",
    }),
    expiresAt: Timestamp.optional().meta({
      description: "Instant the grant ends (RFC 3339); access is revoked at that instant. Not with duration.",
    }),
    duration: Duration.optional().meta({
      description:
        'How long the grant lasts, e.g. "8h" or "1h30m", counted from validFrom or, without it, from the grant\'s creation. Not with expiresAt.',
      ...celRules({ rule: "duration(self) > duration('0s')", message: "duration must be longer than zero" }),
    }),
    justification: z.string().max(1024).optional().meta({
      description: "Why the access is needed (a ticket or a sentence); kept for audit.",
    }),
  }),
  [
    {
      cel: "!has(self.validFrom) || !has(self.expiresAt) || self.expiresAt > self.validFrom",
      message: "expiresAt must be after validFrom",
      path: ["expiresAt"],
      holds: (self) =>
        self.validFrom === undefined ||
        self.expiresAt === undefined ||
        Date.parse(self.expiresAt) > Date.parse(self.validFrom),
    },
    {
      cel: "!(has(self.duration) && has(self.expiresAt))",
      message: "duration and expiresAt are mutually exclusive",
      path: ["duration"],
      reason: "FieldValueForbidden",
      holds: (self) => self.duration === undefined || self.expiresAt === undefined,
    },
  ],
).meta({
  description: "AccessGrantSpec gives roles in one Target to a set of Users, optionally for a limited time.",
});
export type AccessGrantSpec = z.infer<typeof AccessGrantSpec>;

export const AccessGrantStatus = z
  .object({
    observedGeneration: ObservedGeneration.optional(),
    conditions: Conditions.optional(),
    matchedUsers: Count.optional().meta({ description: "How many Users the subjects currently match." }),
    expiresAt: Timestamp.optional().meta({
      description: "The instant the grant ends, from spec.expiresAt or computed from spec.duration.",
    }),
    nextTransitionTime: Timestamp.optional().meta({
      description: "The next instant the grant becomes active or expires; Roster acts at that instant.",
    }),
  })
  .meta({ description: "AccessGrantStatus reports whether the grant is in force and whom it matches." });
export type AccessGrantStatus = z.infer<typeof AccessGrantStatus>;

/** An AccessGrant object. Namespaced: it refers to a Target in its own namespace. */
export const AccessGrant = resourceSchema("AccessGrant", AccessGrantSpec, AccessGrantStatus);
export type AccessGrant = z.infer<typeof AccessGrant>;
