// Roster's own CRDs (crds/) through the library: they are valid CRDs, the example manifests pass
// prune -> default -> validate, and every manifest of the invalid corpus is rejected at the field
// its `# expect:` line names (metadata.* is the server's job, not the schema's).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import {
  applyDefaults,
  formatCause,
  prune,
  validate,
  validateCrd,
} from "../../../../localkube/src/schema/index.js";
import type { CustomResourceDefinition, JSONSchemaProps } from "../../../../localkube/src/schema/index.js";

const ROOT = join(import.meta.dirname, "../../../..");

function yamlDocs(path: string): Record<string, unknown>[] {
  return parseAllDocuments(readFileSync(path, "utf8"))
    .map((d) => d.toJS() as Record<string, unknown> | null)
    .filter((d): d is Record<string, unknown> => d !== null);
}

const crds = readdirSync(join(ROOT, "crds"))
  .filter((f) => f.endsWith(".yaml"))
  .flatMap((f) => yamlDocs(join(ROOT, "crds", f)) as CustomResourceDefinition[]);
const schemaByKind = new Map<string, JSONSchemaProps>(
  crds.map((crd) => [crd.spec?.names?.kind ?? "", crd.spec?.versions?.[0]?.schema?.openAPIV3Schema ?? {}]),
);

function admit(obj: Record<string, unknown>): { unknown: string[]; causes: string[]; fields: string[] } {
  const schema = schemaByKind.get(String(obj.kind));
  const unknown = prune(schema, obj);
  applyDefaults(schema, obj);
  const causes = validate(schema, obj);
  return { unknown, causes: causes.map(formatCause), fields: causes.map((c) => c.field) };
}

function yamlFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => join(dir, f));
}

describe("Roster's CRDs", () => {
  it("has the three kinds", () => {
    expect([...schemaByKind.keys()].sort()).toEqual(["AccessGrant", "Target", "User"]);
  });

  it.each(crds.map((crd) => [crd.metadata?.name ?? "", crd] as const))("%s is a valid CRD", (_name, crd) => {
    expect(validateCrd(crd).map(formatCause)).toEqual([]);
  });

  const examples = yamlFiles(join(ROOT, "examples"))
    .flatMap((f) => yamlDocs(f))
    .filter((o) => schemaByKind.has(String(o.kind)));
  it.each(
    examples.map((o) => [`${String(o.kind)} ${String((o.metadata as { name?: string }).name)}`, o] as const),
  )("example %s is accepted unchanged", (_name, obj) => {
    expect(admit(obj)).toEqual({ unknown: [], causes: [], fields: [] });
  });

  const corpus = yamlFiles(join(ROOT, "test/fixtures/invalid")).map((file) => {
    const expected = /^# expect: (\S+)/m.exec(readFileSync(file, "utf8"))?.[1] ?? "";
    return [file.slice(file.lastIndexOf("/") + 1), expected, yamlDocs(file)[0]!] as const;
  });
  it.each(corpus.filter(([, expected]) => !expected.startsWith("metadata")))(
    "invalid manifest %s is rejected at %s",
    (_file, expected, obj) => {
      const { unknown, fields } = admit(obj);
      expect([...fields, ...unknown]).toContain(expected);
    },
  );
});
