/**
 * Roster's safety and time semantics end to end against a real slapd: each Target gets its own
 * people/groups OUs so cases do not interfere. Covers: a target down during a leave, Plan mode,
 * the mass-change guard, an unowned account left alone, an adopt rule, drift reverted, a future
 * start date and a temporary grant expiring at its instant.
 */
import type { Client } from "ldapts";
import { waitFor } from "../../harness/ports.js";
import { startRoster, waitForCondition, type RosterEnv } from "../../harness/roster.js";
import { startSlapd, withSlapdAdmin, type SlapdServer } from "../../harness/slapd.js";

let slapd: SlapdServer;
let env: RosterEnv;

const people = (t: string) => `ou=people-${t},${slapd.baseDN}`;
const groups = (t: string) => `ou=groups-${t},${slapd.baseDN}`;

async function addOu(client: Client, dn: string) {
  await client.add(dn, { objectClass: ["organizationalUnit"], ou: dn.split(",")[0]!.slice(3) });
}

/** A Target named `name` over its own OUs, with groups `staff` and `admins`, and a grant of staff to everyone. */
async function target(name: string, spec = "", grant = "roles: [staff]") {
  await withSlapdAdmin(slapd, async (client) => {
    await addOu(client, people(name));
    await addOu(client, groups(name));
    for (const cn of ["staff", "admins"]) {
      await client.add(`cn=${cn},${groups(name)}`, { objectClass: ["groupOfNames"], cn, member: [""] });
    }
  });
  await env.apply(`apiVersion: roster.dev/v1alpha1
kind: Target
metadata: { name: ${name}, namespace: policies }
spec:
  ldap:
    url: ${slapd.url}
    bindDN: ${slapd.adminDN}
    credentialsSecretRef: { name: ldap-bind, key: password }
    usersBaseDN: ${people(name)}
    groupsBaseDN: ${groups(name)}
${spec}
---
apiVersion: roster.dev/v1alpha1
kind: AccessGrant
metadata: { name: ${name}-staff, namespace: policies }
spec:
  target: ${name}
  subjects: { selector: { matchLabels: { roster.dev/target: ${name} } } }
  ${grant}
`);
}

function user(name: string, targetName: string, spec = ""): string {
  return `apiVersion: roster.dev/v1alpha1
kind: User
metadata:
  name: ${name}
  labels: { roster.dev/target: ${targetName} }
spec:
  username: ${name}
  displayName: ${name} Example
  familyName: Example
  email: ${name}@example.com
${spec}`;
}

async function account(targetName: string, username: string) {
  return withSlapdAdmin(slapd, async (client) => {
    const { searchEntries } = await client.search(people(targetName), {
      filter: `(uid=${username})`,
      attributes: ["*", "+"],
    });
    return searchEntries[0];
  });
}

async function members(targetName: string, cn: string): Promise<string[]> {
  return withSlapdAdmin(slapd, async (client) => {
    const { searchEntries } = await client.search(`cn=${cn},${groups(targetName)}`, {
      attributes: ["member"],
    });
    return [searchEntries[0]?.member ?? []].flat().map(String).filter(Boolean);
  });
}

const locked = async (t: string, u: string) => (await account(t, u))?.pwdAccountLockedTime !== undefined;
type Obj = {
  status?: {
    accounts?: Array<{ target: string; state: string; lastError?: string }>;
    plan?: { total: number; operations: Array<{ operation: string; username: string }> };
  };
};
const accountState = async (u: string) => (await env.get<Obj>("user", u)).status?.accounts?.[0];

beforeAll(async () => {
  slapd = await startSlapd();
  env = await startRoster();
  await env.apply(`apiVersion: v1
kind: Namespace
metadata: { name: policies }
---
apiVersion: v1
kind: Secret
metadata: { name: ldap-bind, namespace: policies }
stringData: { password: ${slapd.adminPassword} }
`);
}, 120_000);

afterAll(async () => {
  await env?.stop();
  await slapd?.stop();
});

describe("Roster policies with OpenLDAP", () => {
  it("never drops a revocation while the target is down: Pending meanwhile, applied once it is back", async () => {
    await target("outage");
    await env.apply(user("olga", "outage"));
    await waitForCondition(env, "user", "olga", "Ready", "True");
    await slapd.pause();
    try {
      await env.kube.kubectl([
        "patch",
        "user",
        "olga",
        "--type=merge",
        "-p",
        '{"spec":{"state":"Terminated"}}',
      ]);
      await waitFor(
        "olga's account to be Pending",
        async () => (await accountState("olga"))?.state === "Pending",
      );
      expect((await accountState("olga"))?.lastError).toBeTruthy();
    } finally {
      await slapd.resume();
    }
    await waitFor("the revocation to land", () => locked("outage", "olga"), 60_000);
    await waitFor("status Disabled", async () => (await accountState("olga"))?.state === "Disabled", 60_000);
  });

  it("Plan mode writes nothing and publishes the exact operations", async () => {
    await target("planned", "  mode: Plan");
    await env.apply(user("pete", "planned"));
    await waitFor("the plan", async () => {
      const t = await env.get<Obj>("target", "planned", "policies");
      return t.status?.plan?.total === 1;
    });
    const t = await env.get<Obj>("target", "planned", "policies");
    expect(t.status?.plan?.operations).toEqual([{ operation: "create", username: "pete", roles: ["staff"] }]);
    expect(await account("planned", "pete")).toBeUndefined();
    await waitForCondition(env, "target", "planned", "Synced", "True", "policies");
  });

  it("holds disables beyond the safety limit until the Target is annotated to release them", async () => {
    await target("guarded", "  safety: { maxChangesPerSync: 0 }");
    await env.apply(user("gus", "guarded"));
    await waitForCondition(env, "user", "gus", "Ready", "True");
    await env.kube.kubectl(["patch", "user", "gus", "--type=merge", "-p", '{"spec":{"state":"Terminated"}}']);
    await waitForCondition(env, "target", "guarded", "Synced", "False", "policies");
    const held = await env.get<{
      status: { conditions: Array<{ type: string; reason: string }>; counts: { held: number } };
    }>("target", "guarded", "policies");
    expect(held.status.conditions.find((c) => c.type === "Synced")?.reason).toBe("SafetyLimitExceeded");
    expect(held.status.counts.held).toBe(1);
    expect(await locked("guarded", "gus")).toBe(false);
    await env.kube.kubectl([
      "annotate",
      "target",
      "guarded",
      "-n",
      "policies",
      "roster.dev/release-held-changes=1",
    ]);
    await waitFor("the released disable", () => locked("guarded", "gus"));
  });

  it("leaves an account Roster does not own untouched and reports a Conflict", async () => {
    await target("shared");
    await withSlapdAdmin(slapd, (client) =>
      client.add(`uid=carl,${people("shared")}`, {
        objectClass: ["inetOrgPerson"],
        uid: "carl",
        cn: "Carl by hand",
        sn: "Hand",
      }),
    );
    await env.apply(user("carl", "shared"));
    await waitFor("Conflict", async () => (await accountState("carl"))?.state === "Conflict");
    await waitForCondition(env, "user", "carl", "Stalled", "True");
    const entry = await account("shared", "carl");
    expect(entry?.cn).toBe("Carl by hand");
    expect(entry?.businessCategory).toBeUndefined();
    expect(await members("shared", "staff")).toEqual([]);
  });

  it("adopts a pre-existing account an adopt rule matches", async () => {
    await target("adopting", "  ownership: { adopt: [{ attribute: mail, userField: email }] }");
    await withSlapdAdmin(slapd, (client) =>
      client.add(`uid=dora,${people("adopting")}`, {
        objectClass: ["inetOrgPerson"],
        uid: "dora",
        cn: "Dora",
        sn: "Example",
        mail: "dora@example.com",
      }),
    );
    await env.apply(user("dora", "adopting"));
    await waitForCondition(env, "user", "dora", "Ready", "True");
    expect(String((await account("adopting", "dora"))?.businessCategory)).toMatch(/^roster-owner:roster:/);
    expect(await members("adopting", "staff")).toEqual([`uid=dora,${people("adopting")}`]);
  });

  it("reverts a change made by hand on the next full sync", async () => {
    await target("drift");
    await env.apply(user("dirk", "drift"));
    await waitForCondition(env, "user", "dirk", "Ready", "True");
    await withSlapdAdmin(slapd, async (client) => {
      const { Change, Attribute } = await import("ldapts");
      await client.modify(`uid=dirk,${people("drift")}`, [
        new Change({
          operation: "replace",
          modification: new Attribute({ type: "mail", values: ["evil@attacker.test"] }),
        }),
      ]);
      await client.modify(`cn=admins,${groups("drift")}`, [
        new Change({
          operation: "add",
          modification: new Attribute({ type: "member", values: [`uid=dirk,${people("drift")}`] }),
        }),
      ]);
      await client.modify(`cn=staff,${groups("drift")}`, [
        new Change({
          operation: "delete",
          modification: new Attribute({ type: "member", values: [`uid=dirk,${people("drift")}`] }),
        }),
      ]);
    });
    // A spec change forces a full sync now instead of at the next period.
    await env.kube.kubectl([
      "patch",
      "target",
      "drift",
      "-n",
      "policies",
      "--type=merge",
      "-p",
      '{"spec":{"concurrency":2}}',
    ]);
    await waitFor(
      "drift reverted",
      async () => String((await account("drift", "dirk"))?.mail) === "dirk@example.com",
    );
    await waitFor("groups reverted", async () => (await members("drift", "staff")).length === 1);
    // admins is not a role any grant manages here, so a membership added by hand there stays.
    expect(await members("drift", "admins")).toEqual([`uid=dirk,${people("drift")}`]);
  });

  it("creates a future hire disabled and enables the account at the start date", async () => {
    await target("future");
    const start = new Date(Date.now() + 4000).toISOString().replace(/\.\d{3}Z$/, "Z");
    await env.apply(user("fay", "future", `  startDate: "${start}"`));
    await waitFor("fay's disabled account", async () => (await account("future", "fay")) !== undefined);
    expect(await locked("future", "fay")).toBe(true);
    const fay = await env.get<{ status: { nextTransitionTime?: string } }>("user", "fay");
    expect(fay.status.nextTransitionTime).toBe(start);
    await waitFor("fay enabled at the start date", async () => !(await locked("future", "fay")), 20_000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(start));
  });

  it("revokes a temporary grant's role at its expiry", async () => {
    const expires = new Date(Date.now() + 5000).toISOString().replace(/\.\d{3}Z$/, "Z");
    await target("temporary", "", `roles: [admins]\n  expiresAt: "${expires}"`);
    await env.apply(user("tim", "temporary"));
    await waitFor("tim in admins", async () => (await members("temporary", "admins")).length === 1);
    await waitFor(
      "tim out of admins after expiry",
      async () => (await members("temporary", "admins")).length === 0,
      20_000,
    );
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expires));
    await waitForCondition(env, "accessgrant", "temporary-staff", "Expired", "True", "policies");
  });

  it("ends a contractor's access at the endDate instant, without anyone acting", async () => {
    await target("contract");
    const end = new Date(Date.now() + 4000).toISOString().replace(/\.\d{3}Z$/, "Z");
    await env.apply(user("cora", "contract", `  employmentType: Contractor\n  endDate: "${end}"`));
    await waitForCondition(env, "user", "cora", "Ready", "True");
    expect(await locked("contract", "cora")).toBe(false);
    await waitFor("cora disabled at the end date", () => locked("contract", "cora"), 20_000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(end));
    // Access is cut first; the group clean-up follows right after.
    await waitFor("cora's groups emptied", async () => (await members("contract", "staff")).length === 0);
  });

  it.each([
    { policy: "Delete", expectAccount: false },
    { policy: "Retain", expectAccount: true },
  ])("applies leavePolicy $policy when a User is deleted", async ({ policy, expectAccount }) => {
    const name = `leave-${policy.toLowerCase()}`;
    const person = `${policy.toLowerCase()}-person`;
    await target(name, `  leavePolicy: { type: ${policy} }`);
    await env.apply(user(person, name));
    await waitForCondition(env, "user", person, "Ready", "True");
    await env.kube.kubectl(["delete", "user", person, "--wait=false"]);
    await waitFor(`${person} gone from the API`, async () => {
      const result = await env.kube.kubectl(["get", "user", person]);
      return result.code !== 0 && result.stderr.includes("NotFound");
    });
    const entry = await account(name, person);
    if (expectAccount) {
      expect(entry).toBeDefined();
      expect(await locked(name, person)).toBe(false);
    } else {
      expect(entry).toBeUndefined();
    }
  });
});
