import pg from "pg";
import { startPostgres, type PostgresServer } from "../../harness/postgres.js";

describe("PostgreSQL test harness", () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => server?.stop());

  it("serves a real PostgreSQL 15 that requires the superuser password", async () => {
    const client = new pg.Client({ connectionString: server.connectionString });
    await client.connect();
    const { rows } = await client.query<{ v: string }>("select current_setting('server_version') as v");
    await client.end();
    expect(rows[0]?.v).toMatch(/^15\./);
    const wrong = new pg.Client({ host: server.host, port: server.port, user: "postgres", password: "nope" });
    await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);
  });
});
