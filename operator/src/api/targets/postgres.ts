import { z } from "zod";
import { BasicAuthSecretReference, SecretKeyReference } from "../secret-reference.js";
import { passwordPolicy } from "./common.js";

export const PostgresSslMode = z.enum(["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]);
export type PostgresSslMode = z.infer<typeof PostgresSslMode>;

/** A PostgreSQL role name (an identifier of at most 63 bytes; Roster quotes it). */
export const PostgresRoleName = z.string().min(1).max(63);

/** Settings of the LOGIN roles Roster creates for users. */
export const PostgresLogin = z
  .strictObject({
    connectionLimit: z.int().min(-1).max(100000).default(-1).meta({
      description: "CONNECTION LIMIT of each user role; -1 means no limit. Default: -1.",
    }),
    password: passwordPolicy(false),
  })
  .prefault({})
  .meta({ description: "Login settings of user roles." });
export type PostgresLogin = z.infer<typeof PostgresLogin>;

/**
 * A PostgreSQL cluster. Accounts are LOGIN roles (marked with COMMENT ON ROLE); roles are
 * NOLOGIN group roles granted to them; disabling sets NOLOGIN.
 */
export const PostgresTargetSpec = z
  .strictObject({
    host: z
      .string()
      .min(1)
      .max(253)
      .regex(/^[^\s]+$/)
      .meta({ description: "Server host name, IP address or Unix socket directory." }),
    port: z.int().min(1).max(65535).default(5432).meta({ description: "Server port. Default: 5432." }),
    database: z
      .string()
      .min(1)
      .max(63)
      .default("postgres")
      .meta({ description: "Database to connect to. Default: postgres." }),
    sslMode: PostgresSslMode.default("verify-full").meta({
      description:
        "libpq sslmode: disable, allow, prefer, require, verify-ca or verify-full. Default: verify-full.",
    }),
    caSecretRef: SecretKeyReference.optional().meta({
      description:
        "Secret key holding the PEM CA bundle for verify-ca and verify-full. Default: the system CAs.",
    }),
    credentialsSecretRef: BasicAuthSecretReference.meta({
      description: "Secret holding the user name and password of a role with CREATEROLE.",
    }),
    login: PostgresLogin,
    createRoles: z.boolean().default(false).meta({
      description:
        "Create a missing group role (NOLOGIN) when a grant names it. Default: false (the grant reports it missing).",
    }),
    reassignOwnedTo: PostgresRoleName.optional().meta({
      description:
        "On delete, REASSIGN OWNED to this role and DROP OWNED before dropping the user's role. Without it, a role that owns objects is not dropped and the failure is reported.",
    }),
    terminateSessions: z.boolean().default(true).meta({
      description: "Terminate a user's open sessions when the role is disabled or deleted. Default: true.",
    }),
  })
  .meta({ description: "Connection to a PostgreSQL server." });
export type PostgresTargetSpec = z.infer<typeof PostgresTargetSpec>;
