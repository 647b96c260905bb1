/**
 * The local playground end to end, started the way `npm start` starts it (without the package
 * installation step and the live view): a User from manifests/playground reaches Ready with real
 * accounts in OpenLDAP, PostgreSQL and the Better Auth SCIM app; stop() ends every process the
 * playground started, including the PostgreSQL servers pg_ctl detached.
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { startPlayground, type Playground } from "../../../scripts/playground.js";
import { isAlive, type ProcessInfo } from "../../../scripts/playground/processes.js";
import { waitFor } from "../../harness/ports.js";
import { withSlapdAdmin } from "../../harness/slapd.js";

let dataDir: string;
let playground: Playground | undefined;
let startupMs = 0;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "roster-playground-"));
  const started = Date.now();
  playground = await startPlayground({
    dataDir,
    port: 0,
    install: false,
    say: () => undefined,
    operatorLogLevel: "warn",
  });
  startupMs = Date.now() - started;
}, 120_000);

afterAll(async () => {
  await playground?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

interface UserStatus {
  status?: {
    conditions?: Array<{ type: string; status: string }>;
    accounts?: Array<{ target: string; state: string; roles?: string[] }>;
  };
}

async function user(name: string): Promise<UserStatus> {
  const result = await playground!.kube.kubectl(["get", "user", name, "-o", "json"]);
  if (result.code !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as UserStatus;
}

describe("the local playground", () => {
  it("starts within a minute and writes the kubeconfig and env.sh into its data directory", async () => {
    expect(startupMs).toBeLessThan(60_000);
    expect(playground!.kubeconfigPath).toBe(path.join(dataDir, "kubeconfig"));
    expect((await stat(playground!.kubeconfigPath)).mode & 0o077).toBe(0);
    expect(playground!.envPath).toBe(path.join(dataDir, "env.sh"));
    const namespaces = await playground!.kube.kubectl(["get", "targets", "-n", "playground", "-o", "name"]);
    expect(namespaces.stdout.split("\n").filter(Boolean).sort()).toEqual([
      "target.roster.dev/crm",
      "target.roster.dev/directory",
      "target.roster.dev/warehouse",
    ]);
  });

  it("provisions ada from the playground manifests in LDAP, PostgreSQL and SCIM", async () => {
    await waitFor(
      "ada Ready with three provisioned accounts",
      async () => {
        const { status } = await user("ada");
        const ready = status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
        return ready && status?.accounts?.filter((a) => a.state === "Provisioned").length === 3;
      },
      45_000,
      250,
    );
    const { ldap, postgres, scim } = playground!.systems;

    const groups = await withSlapdAdmin(ldap, async (client) => {
      const { searchEntries } = await client.search(ldap.groupsDN, {
        filter: `(member=uid=ada,${ldap.peopleDN})`,
        attributes: ["cn"],
      });
      return searchEntries.map((e) => String(e.cn)).sort();
    });
    expect(groups).toEqual(["developers", "staff"]);

    const db = new pg.Client({ connectionString: postgres.connectionString });
    await db.connect();
    try {
      const { rows } = await db.query<{ rolcanlogin: boolean; member_of: string[] }>(
        `SELECT r.rolcanlogin, ARRAY(SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
           WHERE m.member = r.oid) AS member_of FROM pg_roles r WHERE r.rolname = 'ada'`,
      );
      expect(rows).toEqual([{ rolcanlogin: true, member_of: ["analytics_read"] }]);
    } finally {
      await db.end();
    }

    const found = await scim.request("GET", `/Users?filter=${encodeURIComponent('userName eq "ada"')}`);
    expect(found.status).toBe(200);
    const resources = (found.body as { Resources?: Array<{ userName: string; active?: boolean }> }).Resources;
    expect(resources).toEqual([expect.objectContaining({ userName: "ada", active: true })]);
  }, 60_000);

  it("stops every process it started", async () => {
    const started: ProcessInfo[] = await playground!.processes();
    const commands = started.map((p) => p.cmdline);
    expect(commands.filter((c) => c.startsWith("/usr/sbin/slapd "))).toHaveLength(1);
    expect(commands.filter((c) => c.includes("better-auth-server.mjs"))).toHaveLength(1);
    expect(commands.filter((c) => /\/postgres -D /.test(c))).toHaveLength(2);

    const running = playground!;
    playground = undefined;
    await running.stop();

    await waitFor("every started process to exit", async () => started.every((p) => !isAlive(p.pid)), 15_000);
    await expect(stat(path.join(dataDir, "playground.pid"))).rejects.toThrow();
  }, 60_000);
});
