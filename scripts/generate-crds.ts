/**
 * `npm run generate`: writes crds/<group>_<plural>.yaml from the zod schemas in operator/src/api.
 * Deterministic: running it twice leaves `git diff` empty. Stale files of kinds that no longer
 * exist are removed.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { crdFileName, GENERATED_HEADER, renderCrdYaml, rosterCrds } from "../operator/src/api/crd/index.js";

const crdsDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "crds");
mkdirSync(crdsDir, { recursive: true });

const written = new Set<string>();
for (const crd of rosterCrds()) {
  const file = crdFileName(crd);
  writeFileSync(join(crdsDir, file), renderCrdYaml(crd));
  written.add(file);
  console.log(`wrote crds/${file}`);
}
for (const file of readdirSync(crdsDir)) {
  const path = join(crdsDir, file);
  if (
    !written.has(file) &&
    file.endsWith(".yaml") &&
    readFileSync(path, "utf8").startsWith(GENERATED_HEADER)
  ) {
    rmSync(path);
    console.log(`removed stale crds/${file}`);
  }
}
