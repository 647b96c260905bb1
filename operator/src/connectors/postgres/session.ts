/**
 * The connector's transport: a pg Pool to the configured database, plus short-lived clients to
 * other databases (REASSIGN / DROP OWNED act on one database at a time). Every failure leaving this
 * module is a classified RosterError; a client whose connection broke is discarded, not reused.
 */
import pg from "pg";
import type { Logger } from "pino";
import { isRosterError, withContext } from "../../errors.js";
import type { PostgresConnectorConfig } from "./config.js";
import { classifyPostgresError, sqlState, type ClassifyOptions } from "./errors.js";

export type Queryable = Pick<pg.ClientBase, "query">;

const APPLICATION_NAME = "roster";

function clientConfig(config: PostgresConnectorConfig, database: string): pg.ClientConfig {
  return {
    host: config.host,
    port: config.port,
    database,
    user: config.user,
    password: config.password,
    ssl: config.ssl === false ? false : { ...config.ssl },
    connectionTimeoutMillis: config.connectTimeoutMs,
    statement_timeout: config.statementTimeoutMs,
    application_name: APPLICATION_NAME,
    keepAlive: true,
  };
}

export class PostgresSession {
  private readonly pool: pg.Pool;

  constructor(
    private readonly config: PostgresConnectorConfig,
    private readonly logger?: Logger,
  ) {
    this.pool = new pg.Pool({ ...clientConfig(config, config.database), max: config.poolSize });
    // An idle client whose server went away emits here; the pool drops it. Without a listener the
    // process would crash on a server restart.
    this.pool.on("error", (err) => this.logger?.warn({ err: err.message }, "postgres idle connection lost"));
  }

  /** Runs `work` on a pooled client of the configured database; failures are classified with `context`. */
  async run<T>(
    context: string,
    work: (client: Queryable) => Promise<T>,
    options?: ClassifyOptions,
  ): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw classifyPostgresError(
        `${context} (connecting to ${this.config.host}:${this.config.port})`,
        err,
        options,
      );
    }
    let broken: Error | undefined;
    try {
      return await work(client);
    } catch (err) {
      if (isRosterError(err)) throw withContext(context, err);
      if (sqlState(err) === undefined && err instanceof Error) broken = err;
      throw classifyPostgresError(context, err, options);
    } finally {
      client.release(broken);
    }
  }

  /**
   * Runs `work` on a fresh connection to `database` of the same server, then closes it. It never
   * takes a pooled client, so it is safe to call while holding one (even with poolSize 1).
   */
  async runIn<T>(
    database: string,
    context: string,
    work: (client: Queryable) => Promise<T>,
    options?: ClassifyOptions,
  ): Promise<T> {
    const client = new pg.Client(clientConfig(this.config, database));
    client.on("error", (err) =>
      this.logger?.warn({ err: err.message, database }, "postgres connection lost"),
    );
    try {
      await client.connect();
      return await work(client);
    } catch (err) {
      if (isRosterError(err)) throw withContext(context, err);
      throw classifyPostgresError(`${context} (in database ${JSON.stringify(database)})`, err, options);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
