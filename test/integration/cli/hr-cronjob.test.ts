/**
 * The CronJob example in manifests/hr-import: it renders with kustomize, mounts the export and
 * the mapping where its arguments read them, and its ServiceAccount's RBAC is enough to run the
 * import — and not enough to delete a User — on an API server that enforces RBAC.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { parseMapping } from "../../../operator/src/cli/hr/mapping.js";
import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import { installCrds } from "../../harness/roster.js";
import { roster } from "./support.js";

interface Doc {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: unknown;
}

interface PodSpec {
  serviceAccountName: string;
  containers: Array<{
    command: string[];
    args: string[];
    volumeMounts: Array<{ name: string; mountPath: string }>;
  }>;
  volumes: Array<{
    name: string;
    secret?: { secretName: string; items: Array<{ key: string; path: string }> };
    configMap?: { name: string };
  }>;
}

let kube: LocalKube;
let dir: string;
let docs: Doc[];

beforeAll(async () => {
  kube = await startLocalKube({ rbac: true });
  dir = await mkdtemp(path.join(tmpdir(), "hr-cronjob-"));
  const rendered = await kube.kubectl(["kustomize", "manifests/hr-import"]);
  if (rendered.code !== 0) throw new Error(rendered.stderr);
  docs = parseAllDocuments(rendered.stdout).map((d) => d.toJSON() as Doc);
  await installCrds(kube);
}, 60_000);

afterAll(async () => {
  await kube?.stop();
  await rm(dir, { recursive: true, force: true });
});

const find = (kind: string) => docs.find((d) => d.kind === kind) as Doc;

describe("manifests/hr-import", () => {
  it("mounts the export and the mapping where the import's arguments read them", () => {
    const pod = (find("CronJob").spec as { jobTemplate: { spec: { template: { spec: PodSpec } } } })
      .jobTemplate.spec.template.spec;
    const [container] = pod.containers;
    expect(container?.command).toEqual(["node", "dist/operator/src/cli/main.js"]);
    const mountOf = (file: string) => container?.volumeMounts.find((m) => file.startsWith(`${m.mountPath}/`));
    const exportFile = container?.args[2] as string;
    const exportVolume = pod.volumes.find((v) => v.name === mountOf(exportFile)?.name);
    expect(exportVolume?.secret?.secretName).toBe("hr-export");
    expect(exportVolume?.secret?.items.map((i) => i.path)).toContain(path.basename(exportFile));
    const mappingFile = (container?.args.find((a) => a.startsWith("--mapping=")) ?? "").slice(
      "--mapping=".length,
    );
    const mappingVolume = pod.volumes.find((v) => v.name === mountOf(mappingFile)?.name);
    expect(mappingVolume?.configMap?.name).toBe(find("ConfigMap").metadata.name);
    expect(find("ConfigMap").data?.[path.basename(mappingFile)]).toBeDefined();
    expect(pod.serviceAccountName).toBe(find("ServiceAccount").metadata.name);
  });

  it("the mapping it ships is valid", () => {
    const text = find("ConfigMap").data?.["mapping.yaml"] ?? "";
    const result = parseMapping(parseAllDocuments(text)[0]?.toJSON());
    expect(result).toMatchObject({ ok: true });
  });

  it("its ServiceAccount may run the import, and may not delete Users", async () => {
    const rbac = docs.filter((d) =>
      ["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding"].includes(d.kind),
    );
    const input = [
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: roster-system}",
      ...rbac.map((d) => JSON.stringify(d)),
    ].join("\n---\n");
    const applied = await kube.kubectl(["apply", "-f", "-"], { input });
    expect(applied.stderr).toBe("");
    const token = await kube.issueServiceAccountToken("roster-system", "roster-hr-import");
    const kubeconfig = path.join(dir, "kubeconfig");
    await writeFile(kubeconfig, kube.server.kubeconfig(token, "hr-import"));
    const mapping = path.join(dir, "mapping.yaml");
    await writeFile(mapping, find("ConfigMap").data?.["mapping.yaml"] ?? "");
    const result = await roster(
      ["hr", "import", "test/fixtures/hr/export-1.csv", "--mapping", mapping],
      kubeconfig,
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("12 hires");
    const deleted = await kube.kubectl(["delete", "user", "alice.ng"], { token });
    expect(deleted.code).not.toBe(0);
    expect(deleted.stderr).toContain("forbidden");
  });
  it("an identity that may read but not write Users gets one error per User, naming it, and a non-zero exit", async () => {
    const applied = await kube.kubectl(["apply", "-f", "-"], {
      input: `apiVersion: v1
kind: ServiceAccount
metadata: {name: reader, namespace: roster-system}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: users-reader}
rules: [{apiGroups: [roster.dev], resources: [users], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: users-reader}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: users-reader}
subjects: [{kind: ServiceAccount, name: reader, namespace: roster-system}]
`,
    });
    expect(applied.stderr).toBe("");
    const kubeconfig = path.join(dir, "reader-kubeconfig");
    const token = await kube.issueServiceAccountToken("roster-system", "reader");
    await writeFile(kubeconfig, kube.server.kubeconfig(token, "reader"));
    const result = await roster(
      ["hr", "import", "test/fixtures/hr/export-2.csv", "--mapping", path.join(dir, "mapping.yaml")],
      kubeconfig,
    );
    expect(result.code).toBe(1);
    const errors = result.stderr.split("\n").filter(Boolean);
    expect(errors.map((line) => line.slice(0, line.indexOf(": PATCH")))).toEqual([
      "error: user/kofi.mensah",
      "error: user/carla.diaz",
      "error: user/mia.kovacs",
    ]);
    for (const line of errors) expect(line).toContain("forbidden");
    expect(result.stdout).toContain("applied, 3 User(s) failed");
  });
});
