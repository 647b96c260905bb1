/**
 * Roster installed from manifests/base onto the local API server with RBAC enforced, running
 * under its ServiceAccount's token (configured from the rendered Deployment, leader election
 * on), provisions people into a real slapd: hire, move, leave, delete. Every request the
 * ServiceAccount makes is recorded; none may be denied. Then: what Git owns (spec, labels,
 * annotations) is unchanged after Roster reconciled, and a namespace-scoped team
 * ServiceAccount bound to `edit` manages AccessGrants in its namespace only.
 */
import { KubeConfig } from "@kubernetes/client-node";
import pino from "pino";
import { parseAllDocuments } from "yaml";
import type { Authorizer, Decision, RequestAttributes } from "../../../localkube/src/access/authz.js";
import { startOperator, type RunningOperator } from "../../../operator/src/main.js";
import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import { waitFor } from "../../harness/ports.js";
import { groupsOf, canBind, startSlapd, withSlapdAdmin, type SlapdServer } from "../../harness/slapd.js";
import { applyInOrder, kindKey, render, servedKinds } from "./kustomize.js";
import { operatorConfigOf } from "./pod.js";

const SA_USER = "system:serviceaccount:roster-system:roster-operator";

interface Request {
  verb: string;
  resource: string;
  namespace: string;
  allowed: boolean;
}

let slapd: SlapdServer;
let kube: LocalKube;
let operator: RunningOperator;
let identity: string;
const requests: Request[] = [];

/** Wraps the server's RBAC authorizer to record every decision made for `user`. */
function recordDecisions(server: unknown, user: string): void {
  const holder = server as { authorizer: Authorizer };
  const inner = holder.authorizer;
  holder.authorizer = (attrs: RequestAttributes): Decision => {
    const decision = inner(attrs);
    if (attrs.user.name === user && attrs.nonResourceURL === undefined) {
      const group = attrs.apiGroup ? `${attrs.apiGroup}/` : "";
      const sub = attrs.subresource ? `/${attrs.subresource}` : "";
      requests.push({
        verb: attrs.verb,
        resource: `${group}${attrs.resource}${sub}`,
        namespace: attrs.namespace ?? "",
        allowed: decision.allowed,
      });
    }
    return decision;
  };
}

async function kubectl(args: string[], input?: string, token?: string) {
  return kube.kubectl(args, { ...(input !== undefined ? { input } : {}), ...(token ? { token } : {}) });
}

async function mustApply(yaml: string): Promise<void> {
  const result = await kubectl(["apply", "-f", "-"], yaml);
  if (result.code !== 0) throw new Error(result.stderr);
}

async function getJson<T>(args: string[]): Promise<T> {
  const result = await kubectl(["get", ...args, "-o", "json"]);
  if (result.code !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as T;
}

async function conditionIs(kind: string, name: string, type: string, status: string, ns?: string) {
  await waitFor(`${kind}/${name} ${type}=${status}`, async () => {
    const obj = await getJson<{ status?: { conditions?: Array<{ type: string; status: string }> } }>([
      kind,
      name,
      ...(ns ? ["-n", ns] : []),
    ]);
    return obj.status?.conditions?.some((c) => c.type === type && c.status === status) ?? false;
  });
}

function userYaml(name: string, department: string, state = "Active"): string {
  return `apiVersion: roster.dev/v1alpha1
kind: User
metadata:
  name: ${name}
  labels:
    roster.dev/department: ${department}
  annotations:
    example.com/owner: hr-export
spec:
  username: ${name}
  displayName: ${name} Example
  givenName: ${name}
  familyName: Example
  email: ${name}@example.com
  state: ${state}
`;
}

/** What a GitOps repository would hold: the Target, its Secret and the grants. */
function gitManifests(): string {
  return `apiVersion: v1
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
  labels:
    app.kubernetes.io/part-of: identity
  annotations:
    argocd.argoproj.io/sync-wave: "0"
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
  annotations:
    argocd.argoproj.io/sync-wave: "1"
spec:
  target: directory
  subjects: { selector: {} }
  roles: [staff]
  justification: Birthright access for every employee.
---
apiVersion: roster.dev/v1alpha1
kind: AccessGrant
metadata:
  name: sales
  namespace: identity
  labels:
    team: sales
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
`;
}

beforeAll(async () => {
  slapd = await startSlapd();
  await withSlapdAdmin(slapd, async (client) => {
    for (const cn of ["staff", "sales-crm", "it-tools"])
      await client.add(`cn=${cn},${slapd.groupsDN}`, { objectClass: ["groupOfNames"], cn, member: [""] });
  });
  kube = await startLocalKube({ rbac: true });
  const docs = await render("manifests/base");
  const served = await servedKinds(kube);
  await applyInOrder(
    kube,
    docs.filter((d) => served.has(kindKey(d))),
  );
  recordDecisions(kube.server, SA_USER);
  const token = await kube.issueServiceAccountToken("roster-system", "roster-operator");
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kube.server.kubeconfig(token, "roster-operator"));
  const config = { ...operatorConfigOf(docs), httpPort: 0, httpHost: "127.0.0.1" };
  identity = config.leaderElection.identity ?? "";
  const logger = pino({ level: process.env.ROSTER_TEST_LOG ?? "silent" });
  operator = await startOperator(config, { kubeConfig, logger });
  await mustApply(gitManifests());
}, 120_000);

afterAll(async () => {
  await operator?.stop();
  await kube?.stop();
  await slapd?.stop();
});

describe("Roster under its ServiceAccount with RBAC enforced", () => {
  it("takes the leader Lease in roster-system", async () => {
    await waitFor("the Lease to name this replica", async () => {
      const result = await kubectl(["get", "lease", "roster-operator", "-n", "roster-system", "-o", "json"]);
      if (result.code !== 0) return false;
      return (
        (JSON.parse(result.stdout) as { spec?: { holderIdentity?: string } }).spec?.holderIdentity ===
        identity
      );
    });
  });

  it("hires: the account with its groups, an initial password Secret, User Ready", async () => {
    await mustApply(userYaml("ann", "sales"));
    await conditionIs("user", "ann", "Ready", "True");
    expect(await groupsOf(slapd, "ann")).toEqual(["sales-crm", "staff"]);
    const secret = await getJson<{ data: { password: string } }>([
      "secret",
      "roster-pw-directory-ann",
      "-n",
      "identity",
    ]);
    const password = Buffer.from(secret.data.password, "base64").toString("utf8");
    expect(await canBind(slapd.url, `uid=ann,${slapd.peopleDN}`, password)).toBe(true);
    await conditionIs("target", "directory", "Ready", "True", "identity");
    await conditionIs("accessgrant", "sales", "Ready", "True", "identity");
  });

  it("moves: a department change swaps the groups", async () => {
    await mustApply(userYaml("ann", "it"));
    await waitFor(
      "ann's groups to follow the move",
      async () => (await groupsOf(slapd, "ann")).join() === "it-tools,staff",
    );
  });

  it("leaves: Terminated revokes the groups and disables the account", async () => {
    await mustApply(userYaml("ann", "it", "Terminated"));
    await waitFor("ann's groups to be revoked", async () => (await groupsOf(slapd, "ann")).length === 0);
    await waitFor("ann's account Disabled in status", async () => {
      const user = await getJson<{ status?: { accounts?: Array<{ state: string }> } }>(["user", "ann"]);
      return user.status?.accounts?.[0]?.state === "Disabled";
    });
  });

  it("deletes a User through its finalizer", async () => {
    await mustApply(userYaml("bob", "sales"));
    await conditionIs("user", "bob", "Ready", "True");
    await kubectl(["delete", "user", "bob", "--wait=false"]);
    await waitFor("bob to be gone", async () => {
      const result = await kubectl(["get", "user", "bob"]);
      return result.code !== 0 && result.stderr.includes("NotFound");
    });
    expect(await groupsOf(slapd, "bob")).toEqual([]);
  });

  it("was never denied a request, and used only what the ClusterRole and Role grant", async () => {
    // The leader renews its Lease every retry period (2 s): wait for one renewal on a fast run.
    await waitFor("a Lease renewal", async () =>
      requests.some((r) => r.verb === "update" && r.resource === "coordination.k8s.io/leases"),
    );
    expect(requests.filter((r) => !r.allowed)).toEqual([]);
    const used = new Set(requests.map((r) => `${r.verb} ${r.resource}`));
    // The scenario exercised the verbs the roles exist for (a role wider than its use shows up here).
    for (const expected of [
      "list roster.dev/users",
      "watch roster.dev/users",
      "list roster.dev/accessgrants",
      "watch roster.dev/targets",
      "patch roster.dev/users/status",
      "patch roster.dev/accessgrants/status",
      "patch roster.dev/targets/status",
      "patch roster.dev/users",
      "get secrets",
      "create secrets",
      "create events.k8s.io/events",
      "create coordination.k8s.io/leases",
      "update coordination.k8s.io/leases",
    ])
      expect(used).toContain(expected);
  });
});

describe("what Git owns stays as Git wrote it (no OutOfSync because of Roster)", () => {
  type Meta = {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
  };
  const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  it("kubectl diff of the Git manifests after Roster reconciled is empty", async () => {
    await mustApply(userYaml("cleo", "sales"));
    await conditionIs("user", "cleo", "Ready", "True");
    const result = await kubectl(["diff", "-f", "-"], gitManifests() + "---\n" + userYaml("cleo", "sales"));
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("");
    expect(result.code).toBe(0);
  });

  it("labels and annotations are exactly the manifests'; Roster only adds its finalizer to Users", async () => {
    const manifests = parseAllDocuments(gitManifests() + "---\n" + userYaml("cleo", "sales"))
      .map((d) => d.toJS() as { kind: string; metadata: Meta & { name: string; namespace?: string } })
      .filter((d) => d.kind !== "Secret" && d.kind !== "Namespace");
    for (const manifest of manifests) {
      const { name, namespace } = manifest.metadata;
      const live = await getJson<{ metadata: Meta }>([
        manifest.kind,
        name,
        ...(namespace ? ["-n", namespace] : []),
      ]);
      const annotations = { ...live.metadata.annotations };
      delete annotations[LAST_APPLIED];
      expect({ kind: manifest.kind, name, labels: live.metadata.labels ?? {}, annotations }).toEqual({
        kind: manifest.kind,
        name,
        labels: manifest.metadata.labels ?? {},
        annotations: manifest.metadata.annotations ?? {},
      });
      expect(live.metadata.finalizers ?? []).toEqual(manifest.kind === "User" ? ["roster.dev/cleanup"] : []);
    }
  });
});

describe("a team ServiceAccount bound to `edit` in its own namespace", () => {
  let teamToken: string;
  let viewerToken: string;
  const grant = (ns: string) => `apiVersion: roster.dev/v1alpha1
kind: AccessGrant
metadata:
  name: on-call
  namespace: ${ns}
spec:
  target: directory
  subjects: { selector: { matchLabels: { roster.dev/department: it } } }
  roles: [staff]
  duration: 2h
`;

  beforeAll(async () => {
    await mustApply(`apiVersion: v1
kind: Namespace
metadata: { name: team-a }
---
apiVersion: v1
kind: Namespace
metadata: { name: team-b }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: deployer, namespace: team-a }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: auditor, namespace: team-a }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: deployer-edit, namespace: team-a }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit }
subjects: [{ kind: ServiceAccount, name: deployer, namespace: team-a }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: auditor-view, namespace: team-a }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }
subjects: [{ kind: ServiceAccount, name: auditor, namespace: team-a }]
`);
    teamToken = await kube.issueServiceAccountToken("team-a", "deployer");
    viewerToken = await kube.issueServiceAccountToken("team-a", "auditor");
  });

  it("creates an AccessGrant in its namespace", async () => {
    const result = await kubectl(["apply", "-f", "-"], grant("team-a"), teamToken);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("accessgrant.roster.dev/on-call created");
  });

  it("is Forbidden in another namespace", async () => {
    const result = await kubectl(["apply", "-f", "-"], grant("team-b"), teamToken);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("Forbidden");
    expect(result.stderr).toContain('in the namespace "team-b"');
  });

  it("cannot write status, which is Roster's, nor create cluster-scoped Users", async () => {
    const status = await kubectl(
      [
        "patch",
        "accessgrant",
        "on-call",
        "-n",
        "team-a",
        "--subresource=status",
        "--type=merge",
        "-p",
        '{"status":{"matchedUsers":7}}',
      ],
      undefined,
      teamToken,
    );
    expect(status.code).not.toBe(0);
    expect(status.stderr).toContain("Forbidden");
    const user = await kubectl(["apply", "-f", "-"], userYaml("mallory", "it"), teamToken);
    expect(user.code).not.toBe(0);
    expect(user.stderr).toContain("Forbidden");
  });

  it("a `view` ServiceAccount reads AccessGrants and Targets there but cannot create them", async () => {
    const read = await kubectl(
      ["get", "accessgrants,targets", "-n", "team-a", "-o", "name"],
      undefined,
      viewerToken,
    );
    expect(read.stderr).toBe("");
    expect(read.stdout).toContain("accessgrant.roster.dev/on-call");
    const write = await kubectl(
      ["apply", "-f", "-"],
      grant("team-a").replace("on-call", "sneaky"),
      viewerToken,
    );
    expect(write.code).not.toBe(0);
    expect(write.stderr).toContain("Forbidden");
  });
});
