import { join } from "node:path";
import { parseRosterObject } from "../../../operator/src/api/index.js";
import { schemasByKind } from "./support/crds.js";
import { readManifests, REPO_ROOT, yamlFiles } from "./support/manifests.js";
import { validateObject } from "./support/openapi-validator.js";

/**
 * The invalid corpus (test/fixtures/invalid): each file holds one manifest with exactly one
 * defect and a header line `# expect: <field path>`. Both the zod schemas and the generated CRD
 * schema (with its CEL rules) must reject it, with an error naming that field. The same files are
 * meant to be applied with kubectl against the local API server once it exists.
 */

const corpus = yamlFiles(join(REPO_ROOT, "test", "fixtures", "invalid")).map((file) => {
  const [manifest, ...rest] = readManifests(file);
  if (!manifest || rest.length > 0) throw new Error(`${file}: expected exactly one manifest`);
  const expected = /^# expect: (\S+)$/m.exec(manifest.text)?.[1];
  if (!expected) throw new Error(`${file}: missing "# expect: <field path>" header`);
  return { name: manifest.source, manifest, expected };
});
const schemas = schemasByKind();

/** True when an error line is about exactly `path`. */
const names = (line: string, path: string): boolean => line.startsWith(`${path}: `);

describe("invalid corpus", () => {
  it("has at least 30 cases", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30);
  });

  it.each(corpus.map((entry) => [entry.name, entry] as const))("%s is rejected by zod", (_name, entry) => {
    const result = parseRosterObject(entry.manifest.document);
    if (result.ok) throw new Error("accepted");
    expect(result.errors.filter((line) => names(line, entry.expected))).not.toEqual([]);
  });

  it.each(corpus.map((entry) => [entry.name, entry] as const))(
    "%s is rejected by the CRD schema",
    (_name, entry) => {
      const kind = schemas.get(String(entry.manifest.document.kind));
      if (!kind) throw new Error("no CRD for the kind");
      const errors = validateObject(entry.manifest.document, kind.schema, kind.namespaced);
      expect(errors.filter((line) => names(line, entry.expected))).not.toEqual([]);
    },
  );
});
