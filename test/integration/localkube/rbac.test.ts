import { jest } from "@jest/globals";
import { CoreV1Api } from "@kubernetes/client-node";
import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import { call } from "./client.js";

jest.setTimeout(30_000);

const SETUP = `apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: deployer, namespace: team-a}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: cm-writer, namespace: team-a}
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list, watch, create]
- apiGroups: [""]
  resources: [secrets]
  resourceNames: [allowed]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: deployer-cm-writer, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cm-writer}
subjects:
- {kind: ServiceAccount, name: deployer, namespace: team-a}
`;

describe("localkube authentication and RBAC", () => {
  let kube: LocalKube;
  let token: string;
  const decisions: string[] = [];
  beforeAll(async () => {
    kube = await startLocalKube({
      rbac: true,
      server: {
        onAuthorization: (a, d) => decisions.push(`${a.verb} ${a.resource || a.nonResourceURL} ${d.allowed}`),
      },
    });
    const applied = await kube.kubectl(["apply", "-f", "-"], { input: SETUP });
    expect(applied.stderr).toBe("");
    token = await kube.issueServiceAccountToken("team-a", "deployer");
  });
  afterAll(async () => {
    await kube.stop();
  });

  it("lets the ServiceAccount do what its Role grants, in its own namespace", async () => {
    const created = await kube.kubectl(["create", "configmap", "mine", "-n", "team-a"], { token });
    expect(created.stdout).toBe("configmap/mine created\n");
    const listed = await kube.kubectl(["get", "cm", "-n", "team-a", "-o", "name"], { token });
    expect(listed.stdout).toBe("configmap/mine\n");
  });

  it("denies other namespaces and verbs with Kubernetes' Forbidden message", async () => {
    const other = await kube.kubectl(["get", "cm", "-n", "default"], { token });
    expect(other.stderr.trim()).toBe(
      'Error from server (Forbidden): configmaps is forbidden: User "system:serviceaccount:team-a:deployer" cannot list resource "configmaps" in API group "" in the namespace "default"',
    );
    const del = await call(kube, "DELETE", "/api/v1/namespaces/team-a/configmaps/mine", undefined, {}, token);
    expect([del.status, del.json.reason, del.json.message]).toEqual([
      403,
      "Forbidden",
      'configmaps "mine" is forbidden: User "system:serviceaccount:team-a:deployer" cannot delete resource "configmaps" in API group "" in the namespace "team-a"',
    ]);
    expect(del.json.details).toEqual({ name: "mine", kind: "configmaps" });
  });

  it("honours resourceNames", async () => {
    await call(kube, "POST", "/api/v1/namespaces/team-a/secrets", { metadata: { name: "allowed" } });
    await call(kube, "POST", "/api/v1/namespaces/team-a/secrets", { metadata: { name: "hidden" } });
    expect(
      (await call(kube, "GET", "/api/v1/namespaces/team-a/secrets/allowed", undefined, {}, token)).status,
    ).toBe(200);
    expect(
      (await call(kube, "GET", "/api/v1/namespaces/team-a/secrets/hidden", undefined, {}, token)).status,
    ).toBe(403);
  });

  it("issues working tokens through TokenRequest and rejects unknown tokens with 401", async () => {
    const req = await call(kube, "POST", "/api/v1/namespaces/team-a/serviceaccounts/deployer/token", {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      spec: { expirationSeconds: 600 },
    });
    expect(req.status).toBe(201);
    expect(req.json.kind).toBe("TokenRequest");
    const viaRequest = await call(
      kube,
      "GET",
      "/api/v1/namespaces/team-a/configmaps",
      undefined,
      {},
      req.json.status.token,
    );
    expect(viaRequest.status).toBe(200);
    const unknown = await call(kube, "GET", "/api/v1/namespaces", undefined, {}, "not-a-token");
    expect([unknown.status, unknown.json.reason]).toEqual([401, "Unauthorized"]);
    const noToken = await call(kube, "GET", "/api/v1/namespaces", undefined, { Authorization: "" });
    expect(noToken.json.message).toBe(
      'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope',
    );
    expect((await call(kube, "GET", "/healthz", undefined, { Authorization: "" })).text).toBe("ok");
  });

  it("lets every authenticated user read discovery, and the admin do anything", async () => {
    expect((await call(kube, "GET", "/apis", undefined, {}, token)).status).toBe(200);
    expect((await call(kube, "GET", "/version", undefined, {}, token)).status).toBe(200);
    expect((await kube.kubectl(["get", "clusterroles", "cluster-admin", "-o", "name"])).stdout).toBe(
      "clusterrole.rbac.authorization.k8s.io/cluster-admin\n",
    );
  });

  it("grants through a ClusterRoleBinding to an aggregated bootstrap role (view)", async () => {
    expect(
      (await call(kube, "GET", "/api/v1/namespaces/default/configmaps", undefined, {}, token)).status,
    ).toBe(403);
    await kube.kubectl([
      "create",
      "clusterrolebinding",
      "deployer-view",
      "--clusterrole=view",
      "--serviceaccount=team-a:deployer",
    ]);
    expect(
      (await call(kube, "GET", "/api/v1/namespaces/default/configmaps", undefined, {}, token)).status,
    ).toBe(200);
    expect((await call(kube, "GET", "/api/v1/namespaces/default/secrets", undefined, {}, token)).status).toBe(
      403,
    );
  });

  it("gives client-node a ServiceAccount identity through kubeConfigForToken", async () => {
    const api = kube.kubeConfigForToken(token).makeApiClient(CoreV1Api);
    const list = await api.listNamespacedConfigMap({ namespace: "team-a" });
    expect(list.items.map((i) => i.metadata?.name)).toContain("mine");
    await expect(api.listNamespacedSecret({ namespace: "default" })).rejects.toMatchObject({ code: 403 });
  });

  it("answers kubectl auth can-i through SelfSubjectAccessReview", async () => {
    const yes = await kube.kubectl(["auth", "can-i", "create", "configmaps", "-n", "team-a"], { token });
    expect([yes.code, yes.stdout]).toEqual([0, "yes\n"]);
    const no = await kube.kubectl(["auth", "can-i", "delete", "configmaps", "-n", "team-a"], { token });
    expect([no.code, no.stdout]).toEqual([1, "no\n"]);
    const whoami = await kube.kubectl(["auth", "whoami", "-o", "json"], { token });
    expect(JSON.parse(whoami.stdout).status.userInfo).toEqual({
      username: "system:serviceaccount:team-a:deployer",
      groups: ["system:serviceaccounts", "system:serviceaccounts:team-a", "system:authenticated"],
    });
    const admin = await kube.kubectl(["auth", "can-i", "delete", "nodes"]);
    expect(admin.stdout).toBe("yes\n");
  });

  it("supports impersonation with kubectl --as for the admin, and refuses it to others", async () => {
    const as = "--as=system:serviceaccount:team-a:deployer";
    const canI = await kube.kubectl(["auth", "can-i", "create", "configmaps", "-n", "team-a", as]);
    expect(canI.stdout).toBe("yes\n");
    const denied = await kube.kubectl(["get", "secrets", "-n", "team-a", as]);
    expect(denied.stderr).toContain(
      'User "system:serviceaccount:team-a:deployer" cannot list resource "secrets"',
    );
    const escalation = await call(
      kube,
      "GET",
      "/api/v1/namespaces/team-a/secrets",
      undefined,
      { "Impersonate-User": "admin", "Impersonate-Group": "system:masters" },
      token,
    );
    expect([escalation.status, escalation.json.message]).toEqual([
      403,
      'users "admin" is forbidden: User "system:serviceaccount:team-a:deployer" cannot impersonate resource "users" in API group "" at the cluster scope',
    ]);
  });

  it("reports every decision to onAuthorization", () => {
    expect(decisions).toContain("list configmaps true");
    expect(decisions).toContain("delete configmaps false");
  });
});
