/**
 * A provisioned company for the audit commands: Targets, AccessGrants and Users applied to the
 * local API server, with the statuses Roster writes (accounts, counts, a plan) set through the
 * status subresource, as an operator that synced them would have left them.
 */
import type { LocalKube } from "../../harness/localkube.js";

/** The instant the audit outputs are computed at (the CLI's clock is pinned to it). */
export const AUDIT_NOW = Date.parse("2026-11-25T12:00:00Z");

const SPEC = `apiVersion: v1
kind: Namespace
metadata: {name: identity}
---
apiVersion: v1
kind: Namespace
metadata: {name: sales-apps}
---
apiVersion: roster.dev/v1alpha1
kind: Target
metadata: {name: directory, namespace: identity}
spec:
  ldap:
    url: ldaps://ldap.acme.example:636
    bindDN: cn=roster,ou=services,dc=acme,dc=example
    credentialsSecretRef: {name: ldap-bind, key: password}
    usersBaseDN: ou=people,dc=acme,dc=example
    groupsBaseDN: ou=groups,dc=acme,dc=example
  leavePolicy: {type: Disable}
---
apiVersion: roster.dev/v1alpha1
kind: Target
metadata: {name: crm, namespace: sales-apps}
spec:
  scim:
    baseURL: https://crm.acme.example/scim/v2
    auth: {bearer: {secretRef: {name: crm-token, key: token}}}
  mode: Plan
  orphanPolicy: Disable
---
apiVersion: roster.dev/v1alpha1
kind: AccessGrant
metadata: {name: everyone, namespace: identity}
spec:
  target: directory
  subjects: {selector: {}}
  roles: [staff]
  validFrom: "2024-01-01T00:00:00Z"
---
apiVersion: roster.dev/v1alpha1
kind: AccessGrant
metadata: {name: engineering, namespace: identity}
spec:
  target: directory
  subjects: {selector: {matchLabels: {roster.dev/department: engineering}}}
  roles: [developers]
  validFrom: "2024-01-01T00:00:00Z"
---
apiVersion: roster.dev/v1alpha1
kind: AccessGrant
metadata: {name: oncall-week-48, namespace: identity}
spec:
  target: directory
  subjects: {users: [bob.martin]}
  roles: [sre-oncall]
  validFrom: "2026-11-20T09:00:00Z"
  expiresAt: "2026-12-01T09:00:00Z"
  justification: INC-4711 on-call rotation
---
apiVersion: roster.dev/v1alpha1
kind: AccessGrant
metadata: {name: crm-sales, namespace: sales-apps}
spec:
  target: crm
  subjects:
    selector:
      matchExpressions:
        - {key: roster.dev/department, operator: In, values: [sales, marketing-emea]}
  roles: [sales-rep]
  validFrom: "2025-01-01T00:00:00Z"
`;

function user(name: string, department: string, extra = ""): string {
  return `---
apiVersion: roster.dev/v1alpha1
kind: User
metadata:
  name: ${name}
  labels: {roster.dev/department: ${department}}
spec:
  username: ${name}
  email: ${name}@acme.example
${extra}`;
}

const USERS = [
  user("alice.ng", "engineering", '  startDate: "2019-03-01T00:00:00Z"\n'),
  user("bob.martin", "engineering", '  startDate: "2021-06-14T00:00:00Z"\n'),
  user("carla.diaz", "marketing-emea", '  startDate: "2022-01-10T00:00:00Z"\n'),
  user("dan.okafor", "sales"),
  user("kofi.mensah", "support", "  state: Terminated\n"),
  user("mia.kovacs", "engineering", '  startDate: "2027-01-04T00:00:00Z"\n'),
].join("");

const DN = (name: string) => `uid=${name},ou=people,dc=acme,dc=example`;
const SYNC = "2026-11-25T11:58:00Z";

const account = (
  target: string,
  name: string,
  state: string,
  roles: string[],
  grants: string[],
  extra = {},
) => ({
  target,
  accountId: target === "identity/directory" ? DN(name) : `scim-${name}`,
  state,
  ...(roles.length > 0 ? { roles } : {}),
  ...(grants.length > 0 ? { grants } : {}),
  lastSyncTime: SYNC,
  ...extra,
});

const USER_STATUS: Record<string, unknown[]> = {
  "alice.ng": [
    account(
      "identity/directory",
      "alice.ng",
      "Provisioned",
      ["developers", "staff"],
      ["identity/engineering", "identity/everyone"],
    ),
  ],
  "bob.martin": [
    account(
      "identity/directory",
      "bob.martin",
      "Provisioned",
      ["developers", "sre-oncall", "staff"],
      ["identity/engineering", "identity/everyone", "identity/oncall-week-48"],
    ),
  ],
  "carla.diaz": [
    account("identity/directory", "carla.diaz", "Provisioned", ["staff"], ["identity/everyone"]),
    account("sales-apps/crm", "carla.diaz", "Pending", [], ["sales-apps/crm-sales"]),
  ],
  "dan.okafor": [
    {
      target: "identity/directory",
      state: "Conflict",
      lastError:
        'an account named "dan.okafor" exists in the target without Roster\'s ownership marker and no adopt rule matches it',
    },
    account("sales-apps/crm", "dan.okafor", "Provisioned", ["sales-rep"], ["sales-apps/crm-sales"]),
  ],
  "kofi.mensah": [account("identity/directory", "kofi.mensah", "Disabled", [], [])],
  "mia.kovacs": [
    account(
      "identity/directory",
      "mia.kovacs",
      "Disabled",
      ["developers", "staff"],
      ["identity/engineering", "identity/everyone"],
    ),
  ],
};

const TARGET_STATUS: Record<string, unknown> = {
  "identity/directory": {
    counts: { managed: 6, disabled: 2, orphaned: 2, conflicts: 1, failed: 0, held: 0 },
    lastFullSyncTime: SYNC,
  },
  "sales-apps/crm": {
    counts: { managed: 2, disabled: 0, orphaned: 1, conflicts: 0, failed: 0, held: 0 },
    lastFullSyncTime: SYNC,
    plan: {
      total: 3,
      generatedTime: SYNC,
      operations: [
        { operation: "disable", username: "old.contractor" },
        { operation: "create", username: "carla.diaz", roles: ["sales-rep"] },
        { operation: "update", username: "dan.okafor", attributes: ["emails", "title"] },
      ],
    },
  },
};

async function kubectl(kube: LocalKube, args: string[], input?: string): Promise<void> {
  const result = await kube.kubectl(args, input === undefined ? {} : { input });
  if (result.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed: ${result.stderr}`);
}

/** Applies the scenario and writes its statuses. */
export async function provisionScenario(kube: LocalKube): Promise<void> {
  await kubectl(kube, ["apply", "-f", "-"], SPEC + USERS);
  for (const [name, accounts] of Object.entries(USER_STATUS))
    await kubectl(kube, [
      "patch",
      "user",
      name,
      "--subresource=status",
      "--type=merge",
      "-p",
      JSON.stringify({ status: { accounts } }),
    ]);
  for (const [key, status] of Object.entries(TARGET_STATUS)) {
    const [namespace, name] = key.split("/") as [string, string];
    await kubectl(kube, [
      "patch",
      "target",
      name,
      "-n",
      namespace,
      "--subresource=status",
      "--type=merge",
      "-p",
      JSON.stringify({ status }),
    ]);
  }
}
