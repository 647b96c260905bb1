/**
 * Every kustomization under manifests/ renders with the real `kubectl kustomize` (default,
 * root-only load restrictor) and applies to the local API server with RBAC enforced; applying
 * it again changes nothing. The local API server does not serve workload kinds (Deployment,
 * Service, PodDisruptionBudget, NetworkPolicy): those are checked in deployment.test.ts.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import {
  applyDocs,
  applyInOrder,
  findKustomizations,
  kindKey,
  render,
  servedKinds,
  type KubeDoc,
} from "./kustomize.js";

/**
 * Kinds the local API server does not serve, each checked by another test: the operator's
 * workload objects in deployment.test.ts, the HR import CronJob (manifests/hr-import) by the
 * CLI's tests. Anything else must be applied for real.
 */
const CHECKED_STATICALLY = new Set([
  "apps/v1/Deployment",
  "v1/Service",
  "policy/v1/PodDisruptionBudget",
  "networking.k8s.io/v1/NetworkPolicy",
  "batch/v1/CronJob",
]);

const all = findKustomizations("manifests", ["manifests/playground"]);
const buildable = all.filter((k) => k.kind === "Kustomization").map((k) => k.dir);
const components = all.filter((k) => k.kind === "Component").map((k) => k.dir);

let kube: LocalKube;
let served: Set<string>;

beforeAll(async () => {
  kube = await startLocalKube({ rbac: true });
  const monitor = readFileSync(
    path.resolve("test/integration/shipping/fixtures/servicemonitor-crd.yaml"),
    "utf8",
  );
  const applied = await kube.kubectl(["apply", "-f", "-"], { input: monitor });
  if (applied.code !== 0) throw new Error(applied.stderr);
  await kube.kubectl(["wait", "--for=condition=Established", "crd/servicemonitors.monitoring.coreos.com"]);
  served = await servedKinds(kube);
}, 60_000);

afterAll(async () => {
  await kube?.stop();
});

it("finds the base, the CRDs, the overlays and the components", () => {
  expect(buildable).toEqual(
    expect.arrayContaining(["manifests/base", "manifests/crds", "manifests/overlays/dev"]),
  );
  expect(components).toEqual(
    expect.arrayContaining(["manifests/components/prometheus", "manifests/components/namespaced-secrets"]),
  );
});

it.each(components)("component %s is used by an overlay (so it is rendered and applied)", (component) => {
  const users = buildable.filter((dir) =>
    readFileSync(path.join(dir, "kustomization.yaml"), "utf8").includes(
      path.relative(dir, component).split(path.sep).join("/"),
    ),
  );
  expect(users.length).toBeGreaterThan(0);
});

describe.each(buildable)("%s", (dir) => {
  let docs: KubeDoc[];

  it("renders with kubectl kustomize", async () => {
    docs = await render(dir);
    expect(docs.length).toBeGreaterThan(0);
    const unserved = new Set(docs.map(kindKey).filter((k) => !served.has(k)));
    for (const kind of unserved) expect(CHECKED_STATICALLY).toContain(kind);
  });

  it("applies to the API server, and applying again changes nothing", async () => {
    const appliable = docs.filter((d) => served.has(kindKey(d)));
    await applyInOrder(kube, appliable);
    const again = (await applyDocs(kube, appliable)).trim().split("\n");
    expect(again).toHaveLength(appliable.length);
    for (const line of again) expect(line).toMatch(/ unchanged$/);
  });
});
