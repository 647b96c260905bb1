/**
 * kustomize will not load files outside a kustomization's directory, so manifests/crds holds
 * copies of the generated crds/*.yaml. This fails as soon as they drift.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const generated = readdirSync("crds")
  .filter((f) => f.endsWith(".yaml"))
  .sort();

it("manifests/crds/kustomization.yaml lists every generated CRD", () => {
  const listed = readFileSync("manifests/crds/kustomization.yaml", "utf8")
    .split("\n")
    .filter((l) => /^\s+-\s+\S+\.yaml$/.test(l))
    .map((l) => l.trim().slice(2));
  expect(generated.length).toBeGreaterThan(0);
  expect([...listed].sort()).toEqual(generated);
});

it.each(generated)("manifests/crds/%s is byte-for-byte its generated source in crds/", (file) => {
  const copy = readFileSync(path.join("manifests/crds", file), "utf8");
  const source = readFileSync(path.join("crds", file), "utf8");
  if (copy !== source) {
    throw new Error(
      `manifests/crds/${file} is stale; refresh with: cp crds/roster.dev_*.yaml manifests/crds/`,
    );
  }
});
