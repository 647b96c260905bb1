import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { evaluate, parse } from "@marcbachmann/cel-js";
import {
  crdFileName,
  renderCrdYaml,
  rosterCrds,
  structuralViolations,
  type JSONSchemaProps,
  type ValidationRule,
} from "../../../operator/src/api/crd/index.js";
import { committedCrds, CRD_FILES } from "./support/crds.js";
import { REPO_ROOT } from "./support/manifests.js";

/** Every node of a schema with its path. */
function* nodes(schema: JSONSchemaProps, path = ""): Generator<[string, JSONSchemaProps]> {
  yield [path, schema];
  for (const [name, child] of Object.entries(schema.properties ?? {}))
    yield* nodes(child, path ? `${path}.${name}` : name);
  if (schema.items) yield* nodes(schema.items, `${path}[]`);
  if (schema.additionalProperties) yield* nodes(schema.additionalProperties, `${path}.*`);
}

function rulesAt(schema: JSONSchemaProps, path: string): ValidationRule[] {
  const node = [...nodes(schema)].find(([at]) => at === path)?.[1];
  if (!node) throw new Error(`no schema node at ${path}`);
  return node["x-kubernetes-validations"] ?? [];
}

const crds = committedCrds();
const byKind = new Map(crds.map((crd) => [crd.spec.names.kind, crd]));
const schemaOf = (kind: string): JSONSchemaProps => {
  const version = byKind.get(kind)?.spec.versions[0];
  if (!version) throw new Error(`no CRD for ${kind}`);
  return version.schema.openAPIV3Schema;
};

describe("generated CRDs in crds/", () => {
  it("are exactly what `npm run generate` produces now", () => {
    const expected = rosterCrds();
    expect(expected.map(crdFileName)).toEqual(CRD_FILES);
    for (const crd of expected) {
      const file = join(REPO_ROOT, "crds", crdFileName(crd));
      expect(readFileSync(file, "utf8")).toBe(renderCrdYaml(crd));
    }
    expect(readdirSync(join(REPO_ROOT, "crds")).sort()).toEqual([...CRD_FILES].sort());
  });

  it.each(crds.map((crd) => [crd.metadata.name, crd] as const))(
    "%s has a structural schema",
    (_name, crd) => {
      for (const version of crd.spec.versions)
        expect(structuralViolations(version.schema.openAPIV3Schema)).toEqual([]);
    },
  );

  it.each(crds.map((crd) => [crd.metadata.name, crd] as const))(
    "%s is a served, stored v1alpha1 with status, category roster and printer columns",
    (_name, crd) => {
      expect(crd.metadata.name).toBe(`${crd.spec.names.plural}.roster.dev`);
      expect(crd.spec.names.categories).toEqual(["roster"]);
      expect(crd.spec.names.shortNames.length).toBeGreaterThan(0);
      const [version, ...others] = crd.spec.versions;
      expect(others).toEqual([]);
      expect(version).toMatchObject({
        name: "v1alpha1",
        served: true,
        storage: true,
        subresources: { status: {} },
      });
      const columns = version?.additionalPrinterColumns ?? [];
      expect(columns.map((column) => column.name)).toEqual(expect.arrayContaining(["Ready", "Reason"]));
      expect(columns.at(-1)).toEqual({ name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" });
    },
  );

  it("use short names that do not clash with built-in resources", () => {
    const builtIn = [
      "po",
      "svc",
      "ns",
      "no",
      "cm",
      "ds",
      "rs",
      "sa",
      "ep",
      "ev",
      "pv",
      "pvc",
      "ing",
      "crd",
      "sts",
      "deploy",
      "hpa",
      "pdb",
      "rc",
      "sc",
      "csr",
      "netpol",
      "quota",
      "limits",
      "pc",
    ];
    const shortNames = crds.flatMap((crd) => crd.spec.names.shortNames);
    expect(new Set(shortNames).size).toBe(shortNames.length);
    for (const name of shortNames) expect(builtIn).not.toContain(name);
  });

  it("make conditions and accounts list maps keyed by type and target", () => {
    for (const kind of ["User", "AccessGrant", "Target"]) {
      const conditions = schemaOf(kind).properties?.status?.properties?.conditions;
      expect(conditions).toMatchObject({
        "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["type"],
      });
    }
    expect(schemaOf("User").properties?.status?.properties?.accounts).toMatchObject({
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["target"],
    });
  });

  it("carry the CEL rules the schema alone cannot say", () => {
    const rules = (kind: string, path: string): string[] =>
      rulesAt(schemaOf(kind), path).map((rule) => rule.rule);
    expect(rules("Target", "spec")).toEqual([
      "(has(self.ldap) ? 1 : 0) + (has(self.activeDirectory) ? 1 : 0) + (has(self.scim) ? 1 : 0) + (has(self.postgres) ? 1 : 0) == 1",
    ]);
    expect(rules("User", "spec.username")).toEqual(["self == oldSelf"]);
    expect(rules("User", "spec")).toEqual([
      "!has(self.startDate) || !has(self.endDate) || self.endDate > self.startDate",
    ]);
    expect(rules("AccessGrant", "spec")).toEqual([
      "!has(self.validFrom) || !has(self.expiresAt) || self.expiresAt > self.validFrom",
      "!(has(self.duration) && has(self.expiresAt))",
    ]);
  });

  it("have CEL rules that all parse, and rules only the API server can run behave", () => {
    const all = crds.flatMap((crd) =>
      [...nodes(crd.spec.versions[0]!.schema.openAPIV3Schema)].flatMap(
        ([, node]) => node["x-kubernetes-validations"] ?? [],
      ),
    );
    expect(all.length).toBeGreaterThanOrEqual(12);
    for (const rule of all) expect(() => parse(rule.rule)).not.toThrow();
    // The username transition rule, as the API server runs it on update.
    expect(evaluate("self == oldSelf", { self: "ada", oldSelf: "ada" })).toBe(true);
    expect(evaluate("self == oldSelf", { self: "ada2", oldSelf: "ada" })).toBe(false);
  });

  it("describe every field (what kubectl explain shows)", () => {
    for (const crd of crds) {
      const undocumented = [...nodes(crd.spec.versions[0]!.schema.openAPIV3Schema)]
        .filter(
          ([path]) => path !== "" && path !== "metadata" && !path.endsWith("[]") && !path.endsWith(".*"),
        )
        .filter(([, node]) => !node.description)
        .map(([path]) => path);
      expect(undocumented).toEqual([]);
    }
  });

  it("default what product.md promises", () => {
    const spec = schemaOf("Target").properties?.spec?.properties ?? {};
    expect(spec.mode?.default).toBe("Enforce");
    expect(spec.orphanPolicy?.default).toBe("Report");
    expect(spec.leavePolicy?.default).toEqual({});
    expect(spec.leavePolicy?.properties?.type?.default).toBe("Disable");
    expect(spec.postgres?.properties?.terminateSessions?.default).toBe(true);
    expect(spec.activeDirectory?.properties?.pageSize?.default).toBe(1000);
    expect(schemaOf("User").properties?.spec?.properties?.state?.default).toBe("Active");
  });
});
