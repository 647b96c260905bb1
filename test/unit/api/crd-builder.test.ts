import { z } from "zod";
import {
  buildCrd,
  celRules,
  listMapType,
  structuralViolations,
  toStructuralSchema,
  StructuralSchemaError,
  type CrdDefinition,
} from "../../../operator/src/api/crd/index.js";

/** The builder on small schemas: what it emits, and what it refuses. */

const described = <T extends z.ZodType>(schema: T): T => schema.meta({ description: "d" });

const definition = (spec: z.ZodType): CrdDefinition => ({
  group: "example.com",
  version: "v1",
  kind: "Widget",
  plural: "widgets",
  singular: "widget",
  shortNames: ["wdg"],
  categories: ["roster"],
  scope: "Namespaced",
  description: "A widget.",
  spec,
  status: described(z.object({})),
  printerColumns: [],
});

describe("toStructuralSchema", () => {
  it("rewrites zod's JSON Schema into the CRD dialect", () => {
    const schema = z
      .strictObject({
        when: z.iso.datetime({ offset: true }).meta({ description: "w" }),
        count: z.int().min(1).default(3).meta({ description: "c" }),
        ratio: z.number().gt(0).optional().meta({ description: "r" }),
        kind: z.literal("A").meta({ description: "k" }),
        tags: z.record(z.string(), z.string()).optional().meta({ description: "t" }),
      })
      .meta({ description: "root", ...celRules({ rule: "true", message: "m" }) });
    expect(toStructuralSchema(schema)).toEqual({
      description: "root",
      type: "object",
      required: ["kind", "when"],
      properties: {
        count: { description: "c", type: "integer", default: 3, minimum: 1 },
        kind: { description: "k", type: "string", enum: ["A"] },
        ratio: { description: "r", type: "number", minimum: 0, exclusiveMinimum: true },
        tags: { description: "t", type: "object", additionalProperties: { type: "string" } },
        when: { description: "w", type: "string", format: "date-time" },
      },
      "x-kubernetes-validations": [{ rule: "true", message: "m" }],
    });
  });

  it.each([
    ["a union", z.object({ a: z.union([z.string(), z.int()]) })],
    ["a nullable field", z.object({ a: z.string().nullable() })],
    ["a tuple", z.object({ a: z.tuple([z.string(), z.string()]) })],
    ["a catch-all object", z.looseObject({ a: z.string() })],
  ])("refuses %s", (_name, schema) => {
    expect(() => toStructuralSchema(schema)).toThrow(StructuralSchemaError);
  });
});

describe("buildCrd", () => {
  it("refuses a schema with an undescribed field, naming it", () => {
    const spec = described(z.object({ size: z.int() }));
    expect(() => buildCrd(definition(spec))).toThrow(/spec\.size: has no description/);
  });

  it("refuses a list map whose key is optional", () => {
    const item = z.object({ name: described(z.string()).optional() });
    const spec = described(
      z.object({ items: z.array(item).meta({ description: "i", ...listMapType(["name"]) }) }),
    );
    expect(() => buildCrd(definition(spec))).toThrow(/map key "name" must be required or defaulted/);
  });

  it("builds names, scope and the Age column", () => {
    const crd = buildCrd(definition(described(z.object({ size: described(z.int()) }))));
    expect(crd.metadata.name).toBe("widgets.example.com");
    expect(crd.spec.names).toMatchObject({ kind: "Widget", listKind: "WidgetList", shortNames: ["wdg"] });
    expect(crd.spec.versions[0]?.additionalPrinterColumns).toEqual([
      { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
    ]);
  });
});

describe("structuralViolations", () => {
  it("reports forbidden keywords, missing types and additionalProperties next to properties", () => {
    const schema = {
      type: "object",
      description: "root",
      properties: {
        a: { description: "a", $ref: "#/x" },
        b: { description: "b", type: "array", items: { type: "string" }, uniqueItems: true },
        c: { description: "c", type: "object", properties: {}, additionalProperties: { type: "string" } },
      },
    } as never;
    expect(structuralViolations(schema)).toEqual([
      'a: forbidden keyword "$ref"',
      "a: has no type",
      'b: forbidden keyword "uniqueItems"',
      "c: additionalProperties next to properties",
    ]);
  });
});
