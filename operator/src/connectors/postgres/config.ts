/**
 * The PostgreSQL connector's resolved configuration: a Target's `postgres` settings after the
 * caller has read the admin password from its Secret. Parsed once with zod when the connector is
 * built; every problem is reported in one message.
 */
import { z } from "zod";
import { TerminalError } from "../../errors.js";

/** TLS to the server: `false` (plain TCP on loopback / a trusted network) or verified TLS. */
export const PostgresTls = z.union([
  z.literal(false),
  z.object({
    /** PEM CA bundle; the system store when absent. */
    ca: z.string().optional(),
    /** Verify the server certificate (default); turn off only for tests. */
    rejectUnauthorized: z.boolean().default(true),
    /** Name expected in the certificate when it differs from `host`. */
    servername: z.string().optional(),
  }),
]);
export type PostgresTls = z.infer<typeof PostgresTls>;

/**
 * What `delete` does with objects the role owns (tables, schemas, databases...):
 * - `reassign`: `REASSIGN OWNED BY <role> TO <to>` then `DROP OWNED BY <role>` in every database
 *   where the role has dependencies, then `DROP ROLE`;
 * - `refuse`: a role owning objects is not deleted (TerminalError `OwnsObjects`); privileges
 *   granted to it are still revoked with `DROP OWNED` so that a role owning nothing can go.
 */
export const OwnedObjectsPolicy = z.discriminatedUnion("policy", [
  z.object({ policy: z.literal("reassign"), to: z.string().min(1) }),
  z.object({ policy: z.literal("refuse") }),
]);
export type OwnedObjectsPolicy = z.infer<typeof OwnedObjectsPolicy>;

export const PostgresConnectorConfig = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(5432),
  /** The database the connector connects to (role DDL is cluster-wide; REASSIGN/DROP OWNED are not). */
  database: z.string().min(1).default("postgres"),
  /** The admin login role; needs CREATEROLE (or superuser), and pg_signal_backend to end sessions. */
  user: z.string().min(1),
  /** Already resolved from the Target's Secret; never logged. */
  password: z.string(),
  ssl: PostgresTls.default(false),
  /** Connections the connector keeps open to the server (its own concurrency). */
  poolSize: z.number().int().min(1).max(64).default(4),
  /** `CONNECTION LIMIT` for created roles when the account's attributes do not set one; none when absent. */
  connectionLimit: z.number().int().min(-1).optional(),
  /** Create granted roles (as NOLOGIN roles) when they do not exist, instead of failing. */
  createRoles: z.boolean().default(false),
  ownedObjects: OwnedObjectsPolicy.default({ policy: "refuse" }),
  /** On disable / delete, end the role's live sessions with pg_terminate_backend. */
  terminateSessions: z.boolean().default(true),
  /**
   * Where Roster's ownership marker lives. Only `comment` (COMMENT ON ROLE, see marker.ts) is
   * implemented; the field exists so that a marker-role membership can be added without a new shape.
   */
  markerLocation: z.literal("comment").default("comment"),
  connectTimeoutMs: z.number().int().positive().default(10_000),
  /** statement_timeout for the connector's sessions, so a blocked DDL cannot hang a reconcile. */
  statementTimeoutMs: z.number().int().positive().default(30_000),
});
export type PostgresConnectorConfig = z.infer<typeof PostgresConnectorConfig>;
/** The configuration as written by a caller, before defaults are applied. */
export type PostgresConnectorConfigInput = z.input<typeof PostgresConnectorConfig>;

/**
 * Parses a configuration, listing every problem in one message. Issue messages name the field and
 * the expected type, never the value, so the password cannot leak. Throws TerminalError.
 */
export function parsePostgresConfig(input: unknown): PostgresConnectorConfig {
  const result = PostgresConnectorConfig.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
  );
  throw new TerminalError(
    "InvalidConfiguration",
    `invalid postgres connector configuration: ${problems.join("; ")}`,
  );
}
