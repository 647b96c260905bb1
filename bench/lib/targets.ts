/**
 * The benchmark's real targets (OpenLDAP, PostgreSQL, the Better Auth SCIM app), each with what
 * the scenarios read back from the target itself, never from Roster's status: how many people are
 * provisioned (account present and member of the birthright role), which are revoked, and a probe
 * that counts the writes (and, where the target can tell, the reads) in a window.
 */
import { Client } from "ldapts";
import pg from "pg";
import { escapeFilterValue } from "../../operator/src/connectors/shared/ldap-escape.js";
import { startPostgres } from "../../test/harness/postgres.js";
import { startBetterAuthScim } from "../../test/harness/scim.js";
import { startSlapd, type SlapdServer } from "../../test/harness/slapd.js";
import { startCountingProxy, type RequestTimings } from "./counting-proxy.js";
import { addLdapGroups, addPostgresRoles, addScimGroups } from "./roles.js";

export type TargetKind = "ldap" | "postgres" | "scim";
export const TARGET_KINDS: readonly TargetKind[] = ["ldap", "postgres", "scim"];

/** What a window of the target's activity held: writes (0 expected on a no-op) and reads when measurable. */
export interface ActivityCount {
  writes: number;
  reads: number | undefined;
  detail: string;
}

export interface BenchTarget {
  kind: TargetKind;
  /** Secret and Target manifests in `namespace` (the Target is named after the kind). */
  manifests(namespace: string, concurrency: number): string;
  /**
   * People whose account exists and is a member of the birthright role. While a cheap count
   * (accounts) is still below `expected`, a target may answer with it and skip its costly reads
   * (SCIM: the groups' member lists), so the benchmark's polls do not load the target it measures.
   */
  provisioned(expected?: number): Promise<number>;
  isRevoked(username: string): Promise<boolean>;
  /** Which of `usernames` are revoked (disabled) now. */
  revokedAmong(usernames: ReadonlySet<string>): Promise<Set<string>>;
  /** Requests the operator sent so far, by HTTP method (targets behind the counting proxy only). */
  requestCounts?(): Record<string, number>;
  /** The same requests' durations by method (see counting-proxy.ts). */
  requestTimings?(): Record<string, RequestTimings>;
  /** Starts counting; the returned function ends the window and reports it. */
  startActivityWindow(): Promise<() => Promise<ActivityCount>>;
  stop(): Promise<void>;
}

const COMMON_SPEC = (concurrency: number) =>
  `  concurrency: ${concurrency}
  syncIntervalSeconds: 3600
  leavePolicy: { type: Disable }
  safety: { maxChangesPerSync: 1000000 }`;

// ---------------------------------------------------------------- OpenLDAP

export async function startLdapTarget(count: number): Promise<BenchTarget> {
  const slapd = await startSlapd();
  await addLdapGroups(slapd, count);
  const client = new Client({ url: slapd.url, timeout: 60_000 });
  await client.bind(slapd.adminDN, slapd.adminPassword);
  const search = async (base: string, filter: string, attributes: string[]) =>
    (await client.search(base, { filter, attributes, paged: { pageSize: 2000 } })).searchEntries;
  return {
    kind: "ldap",
    manifests: (ns, concurrency) => `apiVersion: v1
kind: Secret
metadata: { name: ldap-bind, namespace: ${ns} }
stringData: { password: "${slapd.adminPassword}" }
---
apiVersion: roster.dev/v1alpha1
kind: Target
metadata: { name: ldap, namespace: ${ns} }
spec:
  ldap:
    url: ${slapd.url}
    bindDN: ${slapd.adminDN}
    credentialsSecretRef: { name: ldap-bind, key: password }
    usersBaseDN: ${slapd.peopleDN}
    groupsBaseDN: ${slapd.groupsDN}
${COMMON_SPEC(concurrency)}
`,
    async provisioned() {
      const entries = await search(slapd.peopleDN, "(&(objectClass=inetOrgPerson)(businessCategory=*))", [
        "1.1",
      ]);
      const groups = await search(slapd.groupsDN, "(objectClass=groupOfNames)", ["member"]);
      const members = groups
        .flatMap((g) => ([] as unknown[]).concat(g.member ?? []))
        .filter((m) => String(m).startsWith("uid="));
      return Math.min(entries.length, members.length);
    },
    async isRevoked(username) {
      const filter = `(&(uid=${escapeFilterValue(username)})(pwdAccountLockedTime=*))`;
      return (await search(slapd.peopleDN, filter, ["1.1"])).length > 0;
    },
    async revokedAmong(usernames) {
      const entries = await search(slapd.peopleDN, "(pwdAccountLockedTime=*)", ["uid"]);
      return new Set(entries.map((e) => String(e.uid)).filter((u) => usernames.has(u)));
    },
    startActivityWindow: () => ldapWindow(slapd, search),
    async stop() {
      await client.unbind().catch(() => undefined);
      await slapd.stop();
    },
  };
}

/** Entries created or modified since the window opened (modifyTimestamp has 1 s resolution, so the window starts on a second boundary). */
async function ldapWindow(
  slapd: SlapdServer,
  search: (base: string, filter: string, attributes: string[]) => Promise<Array<Record<string, unknown>>>,
): Promise<() => Promise<ActivityCount>> {
  await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
  const since = generalizedTime(new Date());
  return async () => {
    const changed = await search(slapd.baseDN, `(|(modifyTimestamp>=${since})(createTimestamp>=${since}))`, [
      "1.1",
    ]);
    return {
      writes: changed.length,
      reads: undefined,
      detail: `${changed.length} entries with modifyTimestamp/createTimestamp >= ${since}`,
    };
  };
}

function generalizedTime(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:T]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

// ---------------------------------------------------------------- PostgreSQL

export async function startPostgresTarget(count: number): Promise<BenchTarget> {
  const server = await startPostgres();
  await addPostgresRoles(server.connectionString, count);
  const client = new pg.Client({ connectionString: server.connectionString });
  await client.connect();
  return {
    kind: "postgres",
    manifests: (ns, concurrency) => `apiVersion: v1
kind: Secret
metadata: { name: pg-admin, namespace: ${ns} }
stringData: { username: postgres, password: "${server.password}" }
---
apiVersion: roster.dev/v1alpha1
kind: Target
metadata: { name: postgres, namespace: ${ns} }
spec:
  postgres:
    host: 127.0.0.1
    port: ${server.port}
    database: postgres
    sslMode: disable
    credentialsSecretRef: { name: pg-admin }
${COMMON_SPEC(concurrency)}
`,
    async provisioned() {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
           JOIN pg_roles r ON r.oid = m.member WHERE g.rolname LIKE 'staff-%' AND r.rolcanlogin`,
      );
      return Number(rows[0]?.n ?? 0);
    },
    async isRevoked(username) {
      const { rows } = await client.query<{ rolcanlogin: boolean }>(
        "SELECT rolcanlogin FROM pg_roles WHERE rolname = $1",
        [username],
      );
      return rows[0]?.rolcanlogin === false;
    },
    async revokedAmong(usernames) {
      const { rows } = await client.query<{ rolname: string }>(
        "SELECT rolname FROM pg_roles WHERE rolname = ANY($1) AND NOT rolcanlogin",
        [[...usernames]],
      );
      return new Set(rows.map((r) => r.rolname));
    },
    startActivityWindow: () => postgresWindow(client),
    async stop() {
      await client.end().catch(() => undefined);
      await server.stop();
    },
  };
}

/** Writes: a changed fingerprint of the role catalogue, and rows changed in shared catalogues; reads: transactions of other sessions. */
async function postgresWindow(client: pg.Client): Promise<() => Promise<ActivityCount>> {
  const fingerprint = async () =>
    (
      await client.query<{ f: string }>(
        `SELECT md5(concat(
           (SELECT string_agg(concat_ws('|', rolname, rolcanlogin, rolconnlimit, rolvaliduntil, rolpassword), ',' ORDER BY rolname) FROM pg_authid),
           (SELECT string_agg(concat_ws('|', roleid, member, admin_option), ',' ORDER BY roleid, member) FROM pg_auth_members),
           (SELECT string_agg(concat_ws('|', objoid, description), ',' ORDER BY objoid) FROM pg_shdescription))) AS f`,
      )
    ).rows[0]?.f;
  // Backends flush their statistics at most every second while busy and within 10 s when idle.
  const stats = async () =>
    (
      await client.query<{ xacts: string; tuples: string }>(
        `SELECT sum(xact_commit + xact_rollback) AS xacts,
                sum(tup_inserted + tup_updated + tup_deleted) AS tuples FROM pg_stat_database`,
      )
    ).rows[0];
  await new Promise((r) => setTimeout(r, 11_000));
  const before = { print: await fingerprint(), stats: await stats() };
  return async () => {
    await new Promise((r) => setTimeout(r, 11_000));
    const after = { print: await fingerprint(), stats: await stats() };
    // Our own two statements per snapshot run as transactions too.
    const xacts = Number(after.stats?.xacts) - Number(before.stats?.xacts) - 2;
    const tuples = Number(after.stats?.tuples) - Number(before.stats?.tuples);
    const catalogueChanged = before.print !== after.print;
    return {
      writes: catalogueChanged ? Math.max(1, tuples) : 0,
      reads: xacts,
      detail: `role catalogue ${catalogueChanged ? "CHANGED" : "unchanged"}, ${tuples} tuples written (all databases), ${xacts} transactions by other sessions`,
    };
  };
}

// ---------------------------------------------------------------- SCIM (Better Auth)

export async function startScimTarget(count: number): Promise<BenchTarget> {
  const peer = await startBetterAuthScim();
  const groupIds = await addScimGroups(peer, count);
  // The operator talks through a counting proxy; the benchmark's own reads go straight to the peer.
  const proxy = await startCountingProxy(peer.baseURL);
  // Better Auth's own tables: many leavers at once are read there, costing the app nothing.
  const db = new pg.Client({ connectionString: peer.databaseURL });
  await db.connect();
  const get = async (path: string): Promise<Record<string, unknown>> => {
    const answer = await peer.request("GET", path);
    if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}`);
    return answer.body as Record<string, unknown>;
  };
  const isRevoked = async (username: string): Promise<boolean> => {
    const filter = encodeURIComponent(`userName eq ${JSON.stringify(username)}`);
    const list = await get(`/Users?filter=${filter}&attributes=userName,active`);
    const found = (list.Resources as Array<{ active?: boolean }> | undefined)?.[0];
    return found?.active === false;
  };
  return {
    kind: "scim",
    manifests: (ns, concurrency) => `apiVersion: v1
kind: Secret
metadata: { name: scim-token, namespace: ${ns} }
stringData: { token: "${peer.token}" }
---
apiVersion: roster.dev/v1alpha1
kind: Target
metadata: { name: scim, namespace: ${ns} }
spec:
  scim:
    baseURL: ${proxy.baseURL}
    auth: { bearer: { secretRef: { name: scim-token, key: token } } }
${COMMON_SPEC(concurrency)}
`,
    async provisioned(expected) {
      const users = Number((await get("/Users?startIndex=1&count=1")).totalResults ?? 0);
      // Each group read returns up to 1,000 members: only worth it once every account exists.
      if (expected !== undefined && users < expected) return users;
      let members = 0;
      for (const id of groupIds) {
        const group = await get(`/Groups/${id}?attributes=members`);
        members += Array.isArray(group.members) ? group.members.length : 0;
      }
      return Math.min(users, members);
    },
    isRevoked,
    requestCounts: () => proxy.counts(),
    requestTimings: () => proxy.timings(),
    async revokedAmong(usernames) {
      // Reading many accounts through SCIM (one filtered GET each, or 100 pages of 10,000) would
      // take the app's single process away from the very disables being measured: read its
      // scimUser table instead (what its SCIM API serves).
      const { rows } = await db.query<{ userName: string }>(
        'SELECT "userName" FROM "scimUser" WHERE active = false AND "userName" = ANY($1)',
        [[...usernames]],
      );
      return new Set(rows.map((row) => row.userName));
    },
    async startActivityWindow() {
      const before = proxy.counts();
      return async () => {
        const after = proxy.counts();
        const delta = (m: string) => (after[m] ?? 0) - (before[m] ?? 0);
        const methods = Object.keys(after).filter((m) => delta(m) !== 0);
        const writes = methods.filter((m) => m !== "GET").reduce((sum, m) => sum + delta(m), 0);
        return {
          writes,
          reads: delta("GET"),
          detail: methods.map((m) => `${m} ${delta(m)}`).join(", ") || "no requests",
        };
      };
    },
    async stop() {
      await db.end();
      await proxy.stop();
      await peer.stop();
    },
  };
}

export const TARGET_STARTERS: Record<TargetKind, (count: number) => Promise<BenchTarget>> = {
  ldap: startLdapTarget,
  postgres: startPostgresTarget,
  scim: startScimTarget,
};
