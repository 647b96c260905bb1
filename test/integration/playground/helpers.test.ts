/**
 * The playground's pure parts: its manifests are valid Roster objects once filled in, templates
 * refuse unknown placeholders and unsafe values, the directory groups come from the grants, the
 * live view's table, process-tree reading and the cleanup order.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { parseRosterObject } from "../../../operator/src/api/index.js";
import { CleanupStack } from "../../../scripts/playground/cleanup.js";
import { fillTemplate, loadManifests, rolesOf, TARGET_NAMES } from "../../../scripts/playground/manifests.js";
import { databasePortsIn, descendantsOf, postmasterOn } from "../../../scripts/playground/processes.js";
import { renderView, type UserView } from "../../../scripts/playground/view.js";

const ROOT = path.resolve("manifests/playground");
const VALUES = {
  LDAP_URL: "ldap://127.0.0.1:3890",
  LDAP_BIND_DN: "cn=admin,dc=roster,dc=test",
  LDAP_PASSWORD: "pw-abc",
  LDAP_PEOPLE_DN: "ou=people,dc=roster,dc=test",
  LDAP_GROUPS_DN: "ou=groups,dc=roster,dc=test",
  PG_HOST: "127.0.0.1",
  PG_PORT: "5433",
  PG_USER: "postgres",
  PG_PASSWORD: "pw-def",
  SCIM_URL: "http://127.0.0.1:8080/api/auth/scim/v2",
  SCIM_TOKEN: "tok-123",
  AD_URL: "ldaps://127.0.0.1:636",
  AD_BIND_DN: "CN=Administrator,CN=Users,DC=roster,DC=test",
  AD_PASSWORD: "Adm1n-x!",
  AD_PEOPLE_DN: "OU=people,DC=roster,DC=test",
  AD_GROUPS_DN: "OU=groups,DC=roster,DC=test",
};
const ALL_TARGETS = Object.values(TARGET_NAMES);

function docs(yaml: string): Array<Record<string, unknown>> {
  return parseAllDocuments(yaml).map((d) => d.toJS() as Record<string, unknown>);
}

describe("playground manifests", () => {
  it("are valid Roster objects once filled in, one Target per system", async () => {
    const { infrastructure, seed } = await loadManifests(ROOT, ALL_TARGETS, VALUES);
    const walkthrough = await Promise.all(
      ["hire-linus.yaml", "contractor.yaml"].map((f) => readFile(path.join(ROOT, "walkthrough", f), "utf8")),
    );
    const objects = [infrastructure, seed, ...walkthrough].flatMap(docs);
    const roster = objects.filter((o) => ["User", "AccessGrant", "Target"].includes(String(o.kind)));
    for (const object of roster) {
      const parsed = parseRosterObject(object);
      expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    }
    const targets = roster
      .filter((o) => o.kind === "Target")
      .map((o) => (o.metadata as { name: string }).name);
    expect(targets.sort()).toEqual(["crm", "directory", "warehouse", "windows"]);
    expect(infrastructure).toContain("port: 5433");
  });

  it("leave out the AD grant and Target without --with-ad", async () => {
    const { infrastructure, seed } = await loadManifests(ROOT, ["directory", "warehouse", "crm"], VALUES);
    expect(infrastructure).not.toContain("activeDirectory");
    expect(docs(seed).filter((o) => (o.spec as { target?: string }).target === "windows")).toEqual([]);
  });

  it("name the directory groups the grants need, including the walkthrough's", async () => {
    expect(await rolesOf(ROOT, "directory")).toEqual(["developers", "sales", "staff"]);
    expect(await rolesOf(ROOT, "warehouse")).toEqual(["analytics_read"]);
  });
});

describe("fillTemplate", () => {
  it("replaces placeholders and refuses unknown ones or values that would need escaping", () => {
    expect(fillTemplate("url: ${A}", { A: "ldap://h:1" })).toBe("url: ldap://h:1");
    expect(() => fillTemplate("x: ${MISSING}", {})).toThrow("${MISSING} has no value");
    expect(() => fillTemplate('x: "${A}"', { A: 'a"\nkind: Evil' })).toThrow(
      "characters the template cannot hold",
    );
  });
});

describe("renderView", () => {
  it("shows each user's state, readiness and account per target, and account errors", () => {
    const users: UserView[] = [
      {
        metadata: { name: "ken", labels: { "roster.dev/department": "finance" } },
        spec: { state: "Terminated" },
        status: {
          conditions: [{ type: "Ready", status: "True" }],
          accounts: [{ target: "p/directory", state: "Disabled" }],
        },
      },
      {
        metadata: { name: "ada" },
        spec: {},
        status: {
          conditions: [{ type: "Ready", status: "False", reason: "AccountsFailed" }],
          accounts: [{ target: "p/crm", state: "Failed", lastError: "SCIM answered 503" }],
        },
      },
    ];
    const targets = [
      {
        metadata: { name: "directory", namespace: "p" },
        status: { conditions: [{ type: "Connected", status: "True" }] },
      },
      { metadata: { name: "crm", namespace: "p" } },
    ];
    expect(renderView(users, targets)).toEqual([
      "USER  DEPARTMENT  STATE       READY                   crm     directory",
      "ada   -           Active      False (AccountsFailed)  Failed  -",
      "ken   finance     Terminated  True                    -       Disabled",
      "",
      "Targets connected: crm: -   directory: True",
      "! ada in p/crm: SCIM answered 503",
    ]);
  });
});

describe("process helpers", () => {
  const processes = [
    { pid: 10, ppid: 1, cmdline: "node playground" },
    { pid: 11, ppid: 10, cmdline: "/usr/sbin/slapd -f x" },
    {
      pid: 12,
      ppid: 10,
      cmdline:
        "node better-auth-server.mjs --port 1 --database-url postgresql://u:p@127.0.0.1:5544/postgres --token t",
    },
    { pid: 13, ppid: 12, cmdline: "helper" },
    { pid: 20, ppid: 1, cmdline: "/usr/lib/postgresql/15/bin/postgres -D /d -p 5544 -k /d" },
    { pid: 21, ppid: 1, cmdline: "/usr/lib/postgresql/15/bin/postgres -D /e -p 55440 -k /e" },
  ];
  it("finds descendants, the SCIM app's database port and the postmaster on a port", () => {
    expect(
      descendantsOf(10, processes)
        .map((p) => p.pid)
        .sort(),
    ).toEqual([11, 12, 13]);
    expect(databasePortsIn(processes)).toEqual([5544]);
    expect(postmasterOn(5544, processes)?.pid).toBe(20);
    expect(postmasterOn(5545, processes)).toBeUndefined();
  });
});

describe("CleanupStack", () => {
  it("runs every step newest first, once, and reports the failed ones", async () => {
    const stack = new CleanupStack();
    const ran: string[] = [];
    stack.push("a", async () => void ran.push("a"));
    stack.push("b", async () => {
      ran.push("b");
      throw new Error("boom");
    });
    stack.push("c", async () => void ran.push("c"));
    const [first, second] = [stack.unwind(), stack.unwind()];
    expect((await first).map((e) => e.message)).toEqual(["b failed: boom"]);
    expect(await second).toHaveLength(1);
    expect(ran).toEqual(["c", "b", "a"]);
    expect(() => stack.push("d", async () => undefined)).toThrow("stopping");
  });
});
