/**
 * The Argo CD example renders with kubectl kustomize, orders its sync waves as Argo CD needs
 * them (CRDs, then the operator, then Targets, then Users and AccessGrants), marks Roster's
 * objects SkipDryRunOnMissingResource, and applies wave by wave to the local API server.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import { applyInOrder, kindKey, render, servedKinds, type KubeDoc } from "./kustomize.js";

const WAVE = "argocd.argoproj.io/sync-wave";
const OPTIONS = "argocd.argoproj.io/sync-options";
const annotations = (d: KubeDoc) =>
  (d.metadata as { annotations?: Record<string, string> }).annotations ?? {};
const waveOf = (d: KubeDoc) => Number(annotations(d)[WAVE] ?? "0");

let docs: KubeDoc[];
let kube: LocalKube;

beforeAll(async () => {
  const app = parse(readFileSync("argocd/application.yaml", "utf8")) as {
    spec: { source: { path: string } };
  };
  docs = await render(path.resolve(app.spec.source.path));
  kube = await startLocalKube({ rbac: true });
}, 60_000);

afterAll(async () => {
  await kube?.stop();
});

it("puts CRDs before the operator, the operator before Targets, Targets before Users and grants", () => {
  const waves = (kind: string) => [...new Set(docs.filter((d) => d.kind === kind).map(waveOf))];
  expect(waves("CustomResourceDefinition")).toEqual([-2]);
  for (const kind of [
    "Deployment",
    "ClusterRole",
    "ClusterRoleBinding",
    "Role",
    "RoleBinding",
    "ServiceAccount",
  ])
    expect(waves(kind)).toEqual([-1]);
  expect(waves("Target")).toEqual([0]);
  expect(waves("User")).toEqual([1]);
  expect(waves("AccessGrant")).toEqual([1]);
});

it("lets Argo CD skip the dry run of Roster's objects while their CRDs are still missing", () => {
  const roster = docs.filter((d) => d.apiVersion.startsWith("roster.dev/"));
  expect(roster.length).toBeGreaterThan(0);
  for (const d of roster) expect(annotations(d)[OPTIONS]).toContain("SkipDryRunOnMissingResource=true");
});

it("applies wave by wave to the API server", async () => {
  const waves = [...new Set(docs.map(waveOf))].sort((a, b) => a - b);
  for (const wave of waves) {
    // Discovery again each wave: the CRDs of wave -2 make Roster's kinds servable.
    const served = await servedKinds(kube);
    await applyInOrder(
      kube,
      docs.filter((d) => waveOf(d) === wave && served.has(kindKey(d))),
    );
  }
  const users = await kube.kubectl(["get", "users.roster.dev", "-o", "name"]);
  expect(users.stderr).toBe("");
  expect(users.stdout.trim().split("\n").sort()).toEqual(["user.roster.dev/alan", "user.roster.dev/joan"]);
});
