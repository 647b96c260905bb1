/**
 * `npm run generate`: writes crds/<group>_<plural>.yaml from the zod schemas in operator/src/api,
 * and the same files into manifests/crds/ (kustomize refuses to load files outside a
 * kustomization's root, so the manifests carry copies). Deterministic: running it twice leaves
 * `git diff` empty. Stale generated files of kinds that no longer exist are removed.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { crdFileName, GENERATED_HEADER, renderCrdYaml, rosterCrds } from "../operator/src/api/crd/index.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const crds = rosterCrds().map((crd) => ({ file: crdFileName(crd), yaml: renderCrdYaml(crd) }));

for (const dir of [join(root, "crds"), join(root, "manifests", "crds")]) {
  mkdirSync(dir, { recursive: true });
  const written = new Set<string>();
  for (const { file, yaml } of crds) {
    writeFileSync(join(dir, file), yaml);
    written.add(file);
    console.log(`wrote ${relative(root, join(dir, file))}`);
  }
  for (const file of readdirSync(dir)) {
    const path = join(dir, file);
    if (
      !written.has(file) &&
      file.endsWith(".yaml") &&
      readFileSync(path, "utf8").startsWith(GENERATED_HEADER)
    ) {
      rmSync(path);
      console.log(`removed stale ${relative(root, path)}`);
    }
  }
}
