/**
 * Roster end to end against a real slapd and the local API server: hire, move, leave, a second
 * reconcile that writes nothing, and deletion through the finalizer.
 */
import type { Client } from "ldapts";
import { groupsOf, canBind, startSlapd, withSlapdAdmin, type SlapdServer } from "../../harness/slapd.js";
import { waitFor } from "../../harness/ports.js";
import { startRoster, waitForCondition, type RosterEnv } from "../../harness/roster.js";

let slapd: SlapdServer;
let env: RosterEnv;

async function addGroup(client: Client, cn: string) {
  await client.add(`cn=${cn},${slapd.groupsDN}`, { objectClass: ["groupOfNames"], cn, member: [""] });
}

async function entry(username: string) {
  return withSlapdAdmin(slapd, async (client) => {
    const { searchEntries } = await client.search(slapd.peopleDN, {
      filter: `(uid=${username})`,
      attributes: ["*", "+"],
    });
    return searchEntries[0];
  });
}

function userYaml(name: string, department: string, extra = ""): string {
  return `apiVersion: roster.dev/v1alpha1
kind: User
metadata:
  name: ${name}
  labels:
    roster.dev/department: ${department}
spec:
  username: ${name}
  displayName: ${name} Example
  givenName: ${name}
  familyName: Example
  email: ${name}@example.com
${extra}`;
}

beforeAll(async () => {
  slapd = await startSlapd();
  await withSlapdAdmin(slapd, async (client) => {
    for (const cn of ["staff", "sales-crm", "it-tools"]) await addGroup(client, cn);
  });
  env = await startRoster();
  await env.apply(`apiVersion: v1
kind: Namespace
metadata:
  name: identity
---
apiVersion: v1
kind: Secret
metadata:
  name: ldap-bind
  namespace: identity
stringData:
  password: ${slapd.adminPassword}
---
apiVersion: roster.dev/v1alpha1
kind: Target
metadata:
  name: directory
  namespace: identity
spec:
  ldap:
    url: ${slapd.url}
    bindDN: ${slapd.adminDN}
    credentialsSecretRef: { name: ldap-bind, key: password }
    usersBaseDN: ${slapd.peopleDN}
    groupsBaseDN: ${slapd.groupsDN}
    password: { generate: true }
  leavePolicy: { type: Disable }
---
apiVersion: roster.dev/v1alpha1
kind: AccessGrant
metadata:
  name: everyone
  namespace: identity
spec:
  target: directory
  subjects: { selector: {} }
  roles: [staff]
---
apiVersion: roster.dev/v1alpha1
kind: AccessGrant
metadata:
  name: sales
  namespace: identity
spec:
  target: directory
  subjects: { selector: { matchLabels: { roster.dev/department: sales } } }
  roles: [sales-crm]
---
apiVersion: roster.dev/v1alpha1
kind: AccessGrant
metadata:
  name: it
  namespace: identity
spec:
  target: directory
  subjects: { selector: { matchLabels: { roster.dev/department: it } } }
  roles: [it-tools]
`);
}, 120_000);

afterAll(async () => {
  await env?.stop();
  await slapd?.stop();
});

describe("Roster with OpenLDAP", () => {
  it("hires: creates the account with its birthright groups and reports it Ready", async () => {
    await env.apply(userYaml("ann", "sales"));
    await waitForCondition(env, "user", "ann", "Ready", "True");
    expect(await groupsOf(slapd, "ann")).toEqual(["sales-crm", "staff"]);
    const user = await env.get<{ status: { accounts: Array<Record<string, unknown>> } }>("user", "ann");
    expect(user.status.accounts).toEqual([
      expect.objectContaining({
        target: "identity/directory",
        accountId: `uid=ann,${slapd.peopleDN}`,
        state: "Provisioned",
        roles: ["sales-crm", "staff"],
        grants: ["identity/everyone", "identity/sales"],
      }),
    ]);
    const metrics = await (await fetch(`http://127.0.0.1:${env.operator.httpPort}/metrics`)).text();
    expect(metrics).toMatch(/^roster_operations_total\{[^}]*operation="create"[^}]*\} [1-9]/m);
    expect(metrics).toMatch(/^process_resident_memory_bytes [1-9]/m);
    expect(metrics).toMatch(/^nodejs_heap_size_used_bytes [1-9]/m);
    const described = await env.kube.kubectl(["describe", "user", "ann"]);
    expect(described.stdout).toMatch(
      /AccountCreated\s+.*Created account ann with roles sales-crm, staff in identity\/directory/,
    );
    const target = await env.get<{ status: { counts: { managed: number } } }>(
      "target",
      "directory",
      "identity",
    );
    expect(target.status.counts.managed).toBe(1);
  });

  it("puts the initial password in a Secret, never in status, and it lets the person bind", async () => {
    const secret = await env.get<{ data: { password: string } }>(
      "secret",
      "roster-pw-directory-ann",
      "identity",
    );
    const password = Buffer.from(secret.data.password, "base64").toString("utf8");
    expect(await canBind(slapd.url, `uid=ann,${slapd.peopleDN}`, password)).toBe(true);
    const user = await env.kube.kubectl(["get", "user", "ann", "-o", "yaml"]);
    expect(user.stdout).not.toContain(password);
  });

  it("moves: a department label change swaps the groups with no manual step", async () => {
    await env.apply(userYaml("ann", "it"));
    await waitFor("ann's groups to follow the move", async () => {
      const groups = await groupsOf(slapd, "ann");
      return groups.join(",") === "it-tools,staff";
    });
  });

  it("does nothing on a second reconcile when nothing changed: no API write, no directory write", async () => {
    await new Promise((r) => setTimeout(r, 1000));
    const modifyTimestamp = (await entry("ann"))?.modifyTimestamp;
    // An annotation on the Target requeues it (and its grants) without changing anything Roster decides on.
    const poked = await env.kube.kubectl([
      "annotate",
      "target",
      "directory",
      "-n",
      "identity",
      "example.com/poke=1",
      "-o",
      "json",
    ]);
    const pokeVersion = Number(JSON.parse(poked.stdout).metadata.resourceVersion);
    await new Promise((r) => setTimeout(r, 1500));
    const written: string[] = [];
    for (const kind of ["users", "accessgrants", "targets", "secrets", "events"]) {
      const list = JSON.parse((await env.kube.kubectl(["get", kind, "-A", "-o", "json"])).stdout) as {
        items: Array<{ kind: string; metadata: { name: string; resourceVersion: string } }>;
      };
      for (const item of list.items) {
        if (Number(item.metadata.resourceVersion) > pokeVersion)
          written.push(`${kind}/${item.metadata.name}`);
      }
    }
    expect(written).toEqual([]);
    expect((await entry("ann"))?.modifyTimestamp).toEqual(modifyTimestamp);
  });

  it("leaves: Terminated disables the account and removes the groups, and the bind fails", async () => {
    const secret = await env.get<{ data: { password: string } }>(
      "secret",
      "roster-pw-directory-ann",
      "identity",
    );
    const password = Buffer.from(secret.data.password, "base64").toString("utf8");
    const started = Date.now();
    await env.kube.kubectl(["patch", "user", "ann", "--type=merge", "-p", '{"spec":{"state":"Terminated"}}']);
    await waitFor(
      "ann's bind to fail",
      async () => !(await canBind(slapd.url, `uid=ann,${slapd.peopleDN}`, password)),
      30_000,
      20,
    );
    const revokedMs = Date.now() - started;
    expect(revokedMs).toBeLessThan(10_000);
    // Access is cut first; the group clean-up follows right after.
    await waitFor("ann's groups to be emptied", async () => (await groupsOf(slapd, "ann")).length === 0);
    await waitFor("status Disabled", async () => {
      const user = await env.get<{ status: { accounts: Array<{ state: string }> } }>("user", "ann");
      return user.status.accounts[0]?.state === "Disabled";
    });
  });

  it("deletes a User only after its accounts were handled, then removes the finalizer", async () => {
    await env.apply(userYaml("bob", "sales"));
    await waitForCondition(env, "user", "bob", "Ready", "True");
    const user = await env.get<{ metadata: { finalizers: string[] } }>("user", "bob");
    expect(user.metadata.finalizers).toContain("roster.dev/cleanup");
    await env.kube.kubectl(["delete", "user", "bob", "--wait=false"]);
    await waitFor("bob to be gone", async () => {
      const result = await env.kube.kubectl(["get", "user", "bob"]);
      return result.code !== 0 && result.stderr.includes("NotFound");
    });
    expect(await groupsOf(slapd, "bob")).toEqual([]);
    const account = await entry("bob");
    expect(account).toBeDefined();
    expect(account?.pwdAccountLockedTime).toBeDefined();
  });

  it("reports a deleted User's retained (disabled) account as an orphan on the next full sync", async () => {
    await env.kube.kubectl([
      "patch",
      "target",
      "directory",
      "-n",
      "identity",
      "--type=merge",
      "-p",
      '{"spec":{"concurrency":3}}',
    ]);
    await waitFor("bob listed as an orphan", async () => {
      const target = await env.get<{ status: { orphans?: string[]; counts: { orphaned: number } } }>(
        "target",
        "directory",
        "identity",
      );
      return target.status.orphans?.includes("bob") === true && target.status.counts.orphaned === 1;
    });
  });
});
