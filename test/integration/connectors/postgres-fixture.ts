/**
 * Shared fixture for the PostgreSQL connector's integration tests: a throwaway PostgreSQL 15, an
 * admin client that reads and writes the catalog directly (never through the connector), and the
 * connector configuration for it.
 */
import { jest } from "@jest/globals";
import pg from "pg";
import {
  PostgresConnector,
  type PostgresConnectorConfigInput,
} from "../../../operator/src/connectors/postgres/index.js";
import { startPostgres, type PostgresServer } from "../../harness/postgres.js";

// jest.config.js sets testTimeout per project, which Jest does not honour (the 5 s default applies).
// Starting a server (initdb) on a loaded 2-core machine can take longer: every file using this
// fixture gets a generous timeout for its hooks and tests.
jest.setTimeout(120_000);

export interface RoleInCatalog {
  canLogin: boolean;
  connectionLimit: number;
  validUntil: Date | null;
  comment: string | null;
  /** Memberships with their grantors, read from pg_auth_members. */
  memberships: Array<{ role: string; grantor: string }>;
}

export class PostgresFixture {
  private constructor(
    readonly server: PostgresServer,
    readonly admin: pg.Client,
  ) {}

  static async start(): Promise<PostgresFixture> {
    const server = await startPostgres();
    const admin = new pg.Client({ connectionString: server.connectionString });
    await admin.connect();
    return new PostgresFixture(server, admin);
  }

  config(overrides: Partial<PostgresConnectorConfigInput> = {}): PostgresConnectorConfigInput {
    const { host, port, user, password, database } = this.server;
    return { host, port, user, password, database, poolSize: 2, ...overrides };
  }

  connector(overrides: Partial<PostgresConnectorConfigInput> = {}): PostgresConnector {
    return new PostgresConnector(this.config(overrides));
  }

  /** Runs SQL as the superuser, straight against the server. */
  sql<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    return this.admin.query<R>(text, values);
  }

  /** Creates a role as the superuser; `options` is trusted test SQL (e.g. "LOGIN PASSWORD 'x'"). */
  async createRole(name: string, options = ""): Promise<void> {
    await this.sql(`CREATE ROLE ${pg.escapeIdentifier(name)} ${options}`);
  }

  async role(name: string): Promise<RoleInCatalog | undefined> {
    const { rows } = await this.sql<{
      rolcanlogin: boolean;
      rolconnlimit: number;
      rolvaliduntil: Date | null;
      comment: string | null;
      oid: number;
    }>(
      `SELECT oid, rolcanlogin, rolconnlimit, rolvaliduntil, shobj_description(oid, 'pg_authid') AS comment
       FROM pg_roles WHERE rolname = $1`,
      [name],
    );
    const row = rows[0];
    if (!row) return undefined;
    const members = await this.sql<{ role: string; grantor: string }>(
      `SELECT g.rolname::text AS role, gr.rolname::text AS grantor FROM pg_auth_members m
       JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles gr ON gr.oid = m.grantor
       WHERE m.member = $1 ORDER BY g.rolname`,
      [row.oid],
    );
    return {
      canLogin: row.rolcanlogin,
      connectionLimit: row.rolconnlimit,
      validUntil: row.rolvaliduntil,
      comment: row.comment,
      memberships: members.rows,
    };
  }

  /** Opens a session as `user` with `password` (the caller ends it). */
  async connectAs(user: string, password: string): Promise<pg.Client> {
    const { host, port, database } = this.server;
    const client = new pg.Client({ host, port, database, user, password });
    await client.connect();
    return client;
  }

  async stop(): Promise<void> {
    await this.admin.end().catch(() => undefined);
    await this.server.stop();
  }
}

/** Reads Roster's comment format independently of the connector's own parser. */
export function commentBody(comment: string | null): {
  owner?: string;
  attributes?: Record<string, unknown>;
} {
  if (!comment?.startsWith("roster:")) return {};
  return JSON.parse(comment.slice("roster:".length)) as {
    owner?: string;
    attributes?: Record<string, unknown>;
  };
}
