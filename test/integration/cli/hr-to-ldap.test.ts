/**
 * HR drives provisioning end to end, and the audit reads what Roster wrote: `roster hr import`
 * applies the company, the operator provisions it into a real slapd, and `roster access` / `why`
 * report the accounts; the next export's mover and leaver show up in the directory and the audit.
 */
import type { AccessRow } from "../../../operator/src/cli/audit/access.js";
import type { Explanation } from "../../../operator/src/cli/audit/why.js";
import { waitFor } from "../../harness/ports.js";
import { startRoster, type RosterEnv } from "../../harness/roster.js";
import { groupsOf, startSlapd, withSlapdAdmin, type SlapdServer } from "../../harness/slapd.js";
import { roster } from "./support.js";

let slapd: SlapdServer;
let env: RosterEnv;

const GROUPS = ["staff", "developers", "sales-crm", "marketing-tools"];

function grant(name: string, subjects: string, roles: string): string {
  return `---
apiVersion: roster.dev/v1alpha1
kind: AccessGrant
metadata: {name: ${name}, namespace: identity}
spec: {target: directory, subjects: ${subjects}, roles: ${roles}}
`;
}

const cli = (...args: string[]) => roster(args, env.kube.kubeconfigPath);
const hrImport = (file: string) =>
  cli("hr", "import", `test/fixtures/hr/${file}`, "--mapping", "test/fixtures/hr/mapping.yaml");

async function access(): Promise<Map<string, AccessRow>> {
  const result = await cli("access", "-o", "json");
  if (result.code !== 0) throw new Error(result.stderr);
  return new Map((JSON.parse(result.stdout) as { items: AccessRow[] }).items.map((row) => [row.user, row]));
}

beforeAll(async () => {
  slapd = await startSlapd();
  await withSlapdAdmin(slapd, async (client) => {
    for (const cn of GROUPS)
      await client.add(`cn=${cn},${slapd.groupsDN}`, { objectClass: ["groupOfNames"], cn, member: [""] });
  });
  env = await startRoster();
  await env.apply(`apiVersion: v1
kind: Namespace
metadata: {name: identity}
---
apiVersion: v1
kind: Secret
metadata: {name: ldap-bind, namespace: identity}
stringData: {password: ${slapd.adminPassword}}
---
apiVersion: roster.dev/v1alpha1
kind: Target
metadata: {name: directory, namespace: identity}
spec:
  ldap:
    url: ${slapd.url}
    bindDN: ${slapd.adminDN}
    credentialsSecretRef: {name: ldap-bind, key: password}
    usersBaseDN: ${slapd.peopleDN}
    groupsBaseDN: ${slapd.groupsDN}
  leavePolicy: {type: Disable}
${grant("everyone", "{selector: {}}", "[staff]")}${grant("engineering", "{selector: {matchLabels: {roster.dev/department: engineering}}}", "[developers]")}${grant("sales", "{selector: {matchLabels: {roster.dev/department: sales}}}", "[sales-crm]")}${grant("marketing", "{selector: {matchLabels: {roster.dev/department: marketing-emea}}}", "[marketing-tools]")}`);
}, 120_000);

afterAll(async () => {
  await env?.stop();
  await slapd?.stop();
});

describe("HR import -> Roster -> OpenLDAP -> audit", () => {
  it("provisions the imported company and the audit lists every account with its grants", async () => {
    expect((await hrImport("export-1.csv")).code).toBe(0);
    // ivan.petrov's contract ends on a fixed date and lena.berg is on leave: the wait does not depend on them.
    const rows = await waitFor("12 accounts in status", async () => {
      const all = await access();
      const provisioned = ["alice.ng", "bob.martin", "carla.diaz", "kofi.mensah"].every(
        (u) => all.get(u)?.state === "Provisioned",
      );
      return all.size === 12 && provisioned && all;
    });
    expect(rows.get("bob.martin")).toMatchObject({
      target: "identity/directory",
      account: `uid=bob.martin,${slapd.peopleDN}`,
      enabled: true,
      roles: ["developers", "staff"],
      grants: ["identity/engineering", "identity/everyone"],
    });
    expect(rows.get("lena.berg")).toMatchObject({ enabled: false });
    expect(await groupsOf(slapd, "carla.diaz")).toEqual(["sales-crm", "staff"]);
  });

  it("the next export moves the mover's groups and disables the leaver; the audit follows", async () => {
    expect((await hrImport("export-2.csv")).code).toBe(0);
    await waitFor(
      "carla's groups to follow the move",
      async () => (await groupsOf(slapd, "carla.diaz")).join() === "marketing-tools,staff",
    );
    const rows = await waitFor("the audit to show the leaver disabled", async () => {
      const all = await access();
      return (
        all.get("kofi.mensah")?.state === "Disabled" &&
        all.get("carla.diaz")?.roles.includes("marketing-tools") &&
        all
      );
    });
    expect(rows.get("kofi.mensah")).toMatchObject({ enabled: false, roles: [] });
    expect(await groupsOf(slapd, "kofi.mensah")).toEqual([]);
    const why = await cli("why", "carla.diaz", "-o", "json");
    const explanation = JSON.parse(why.stdout) as Explanation;
    expect(explanation.targets[0]?.grants.map((g) => [g.grant, g.selector])).toEqual([
      ["identity/everyone", ["{} (every User)"]],
      ["identity/marketing", ["roster.dev/department=marketing-emea"]],
    ]);
  });
});
