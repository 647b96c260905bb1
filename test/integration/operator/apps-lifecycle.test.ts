/**
 * Roster end to end against applications: a real PostgreSQL 15 (people as login roles, access as
 * role membership) and Better Auth's SCIM service (a third-party SCIM 2.0 app), from one set of
 * Users and AccessGrants: hire, then leave — with a live database session that must be cut.
 */
import pg from "pg";
import { waitFor } from "../../harness/ports.js";
import { startPostgres, type PostgresServer } from "../../harness/postgres.js";
import { startRoster, waitForCondition, type RosterEnv } from "../../harness/roster.js";
import { startBetterAuthScim, type ScimPeer } from "../../harness/scim.js";
import { ensureGroup, findRaw } from "../../harness/scim-fixture.js";

let postgres: PostgresServer;
let scim: ScimPeer;
let env: RosterEnv;

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: postgres.connectionString });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function pgRole(name: string) {
  const rows = await sql<{ rolcanlogin: boolean; member_of: string[] }>(
    `select r.rolcanlogin, array(select g.rolname from pg_auth_members m join pg_roles g on g.oid = m.roleid
       where m.member = r.oid order by 1)::text[] as member_of from pg_roles r where r.rolname = $1`,
    [name],
  );
  return rows[0];
}

async function scimUser(userName: string) {
  return findRaw(scim, "/Users", "userName", userName);
}

beforeAll(async () => {
  [postgres, scim] = await Promise.all([startPostgres(), startBetterAuthScim()]);
  await sql("create role analysts nologin");
  await ensureGroup(scim, "crm-users");
  env = await startRoster();
  await env.apply(`apiVersion: v1
kind: Namespace
metadata: { name: apps }
---
apiVersion: v1
kind: Secret
metadata: { name: pg-admin, namespace: apps }
stringData: { username: postgres, password: "${postgres.password}" }
---
apiVersion: v1
kind: Secret
metadata: { name: scim-token, namespace: apps }
stringData: { token: "${scim.token}" }
---
apiVersion: roster.dev/v1alpha1
kind: Target
metadata: { name: warehouse, namespace: apps }
spec:
  postgres:
    host: 127.0.0.1
    port: ${postgres.port}
    database: postgres
    sslMode: disable
    credentialsSecretRef: { name: pg-admin }
---
apiVersion: roster.dev/v1alpha1
kind: Target
metadata: { name: crm, namespace: apps }
spec:
  scim:
    baseURL: ${scim.baseURL}
    auth: { bearer: { secretRef: { name: scim-token, key: token } } }
---
apiVersion: roster.dev/v1alpha1
kind: AccessGrant
metadata: { name: analysts, namespace: apps }
spec:
  target: warehouse
  subjects: { selector: { matchLabels: { roster.dev/department: sales } } }
  roles: [analysts]
---
apiVersion: roster.dev/v1alpha1
kind: AccessGrant
metadata: { name: crm-users, namespace: apps }
spec:
  target: crm
  subjects: { selector: { matchLabels: { roster.dev/department: sales } } }
  roles: [crm-users]
`);
}, 180_000);

afterAll(async () => {
  await env?.stop();
  await Promise.all([scim?.stop(), postgres?.stop()]);
});

describe("Roster with PostgreSQL and a SCIM app", () => {
  it("hires into both: a login role with its membership, an active SCIM user in its group", async () => {
    await env.apply(`apiVersion: roster.dev/v1alpha1
kind: User
metadata: { name: sam, labels: { roster.dev/department: sales } }
spec:
  username: sam
  displayName: Sam Seller
  givenName: Sam
  familyName: Seller
  email: sam@example.com
`);
    await waitForCondition(env, "user", "sam", "Ready", "True");
    expect(await pgRole("sam")).toEqual({ rolcanlogin: true, member_of: ["analysts"] });
    const user = await scimUser("sam");
    expect(user).toMatchObject({ userName: "sam", active: true, displayName: "Sam Seller" });
    const status = await env.get<{ status: { accounts: Array<{ target: string; state: string }> } }>(
      "user",
      "sam",
    );
    expect(status.status.accounts.map((a) => [a.target, a.state])).toEqual([
      ["apps/crm", "Provisioned"],
      ["apps/warehouse", "Provisioned"],
    ]);
  });

  it("leaves: NOLOGIN and the live session cut in PostgreSQL, deactivated in the SCIM app", async () => {
    await sql("alter role sam password 'Sam-Pa55word!'");
    const session = new pg.Client({
      host: "127.0.0.1",
      port: postgres.port,
      user: "sam",
      password: "Sam-Pa55word!",
      database: "postgres",
    });
    await session.connect();
    const sessionEnded = new Promise<void>((resolve) => session.on("error", () => resolve()));
    await env.kube.kubectl(["patch", "user", "sam", "--type=merge", "-p", '{"spec":{"state":"Terminated"}}']);
    await waitFor("NOLOGIN", async () => (await pgRole("sam"))?.rolcanlogin === false);
    await sessionEnded;
    await session.end().catch(() => undefined);
    await waitFor("SCIM user deactivated", async () => (await scimUser("sam"))?.active === false);
    // Access is cut first; the role clean-up follows right after.
    await waitFor("sam's roles revoked", async () => (await pgRole("sam"))?.member_of.length === 0);
  });
});
