// The library must never throw on hostile input: the API server feeds it request bodies as is.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import {
  applyDefaults,
  checkStructural,
  prune,
  validate,
  validateCrd,
} from "../../../../localkube/src/schema/index.js";
import type { CustomResourceDefinition, JSONSchemaProps } from "../../../../localkube/src/schema/index.js";

const ROOT = join(import.meta.dirname, "../../../..");
const crds = readdirSync(join(ROOT, "crds"))
  .filter((f) => f.endsWith(".yaml"))
  .map(
    (f) =>
      parseAllDocuments(readFileSync(join(ROOT, "crds", f), "utf8"))[0]!.toJS() as CustomResourceDefinition,
  );

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = [
  "spec",
  "ldap",
  "scim",
  "url",
  "username",
  "roles",
  "users",
  "x",
  "metadata",
  "name",
  "0",
  "startDate",
];

function randomValue(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 4 || r < 0.3) {
    const scalars = [null, true, 0, -1, 1.5, 1e21, "", "a", "2024-01-01T00:00:00Z", "ldaps://x", "7 days"];
    return scalars[Math.floor(next() * scalars.length)];
  }
  if (r < 0.5) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 5); i > 0; i--)
    obj[KEYS[Math.floor(next() * KEYS.length)]!] = randomValue(next, depth + 1);
  return obj;
}

describe("robustness", () => {
  it("prune, default and validate any JSON against Roster's schemas without throwing", () => {
    const next = rng(42);
    for (let i = 0; i < 600; i++) {
      const crd = crds[i % crds.length]!;
      const schema = crd.spec?.versions?.[0]?.schema?.openAPIV3Schema as JSONSchemaProps;
      const body = randomValue(next, 0);
      const obj = (
        typeof body === "object" && body !== null && !Array.isArray(body) ? body : { spec: body }
      ) as Record<string, unknown>;
      const old = structuredClone(obj);
      expect(() => {
        prune(schema, obj);
        applyDefaults(schema, obj);
        validate(schema, obj, i % 2 === 0 ? old : undefined);
      }).not.toThrow();
    }
  });

  it("validates malformed CRDs and schemas without throwing", () => {
    const next = rng(7);
    for (let i = 0; i < 300; i++) {
      const crd = { metadata: randomValue(next, 2), spec: randomValue(next, 1) } as CustomResourceDefinition;
      expect(() => validateCrd(crd, i % 3 === 0 ? crd : undefined)).not.toThrow();
      expect(() => checkStructural(randomValue(next, 0) as JSONSchemaProps)).not.toThrow();
    }
  });
});
