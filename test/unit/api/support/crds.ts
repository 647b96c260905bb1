import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { CustomResourceDefinition, JSONSchemaProps } from "../../../../operator/src/api/crd/types.js";
import { REPO_ROOT } from "./manifests.js";

/** The committed CRDs in crds/, read back from YAML (what `kubectl apply -f crds/` installs). */

export const CRD_FILES = ["roster.dev_users.yaml", "roster.dev_accessgrants.yaml", "roster.dev_targets.yaml"];

export function committedCrds(): CustomResourceDefinition[] {
  return CRD_FILES.map(
    (file) => parse(readFileSync(join(REPO_ROOT, "crds", file), "utf8")) as CustomResourceDefinition,
  );
}

export interface KindSchema {
  schema: JSONSchemaProps;
  namespaced: boolean;
}

/** The openAPIV3Schema and scope of each committed kind, by kind name. */
export function schemasByKind(): Map<string, KindSchema> {
  const out = new Map<string, KindSchema>();
  for (const crd of committedCrds()) {
    const version = crd.spec.versions[0];
    if (!version) throw new Error(`${crd.metadata.name} has no version`);
    out.set(crd.spec.names.kind, {
      schema: version.schema.openAPIV3Schema,
      namespaced: crd.spec.scope === "Namespaced",
    });
  }
  return out;
}
