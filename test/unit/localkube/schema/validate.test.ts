import {
  applyDefaults,
  formatCause,
  invalidMessage,
  prune,
  validate,
} from "../../../../localkube/src/schema/index.js";
import type { FieldCause, JSONSchemaProps } from "../../../../localkube/src/schema/index.js";

const widgetSchema: JSONSchemaProps = {
  type: "object",
  properties: {
    apiVersion: { type: "string" },
    kind: { type: "string" },
    metadata: { type: "object" },
    spec: {
      type: "object",
      required: ["x"],
      properties: {
        x: { type: "string" },
        size: { type: "integer", minimum: 1, maximum: 10, default: 1 },
        ratio: { type: "number", exclusiveMaximum: true, maximum: 1.5, multipleOf: 0.5 },
        mode: { type: "string", enum: ["fast", "slow"] },
        name: { type: "string", minLength: 2, maxLength: 5, pattern: "^[a-z]+$" },
        when: { type: "string", format: "date-time" },
        day: { type: "string", format: "date" },
        id: { type: "string", format: "uuid" },
        port: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] },
        tags: { type: "array", items: { type: "string" }, maxItems: 3, "x-kubernetes-list-type": "set" },
        list: { type: "array", items: { type: "string" }, minItems: 1 },
        ports: {
          type: "array",
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["name"],
          items: {
            type: "object",
            required: ["name"],
            properties: { name: { type: "string" }, port: { type: "integer" } },
          },
        },
        labels: { type: "object", additionalProperties: { type: "string" }, maxProperties: 2 },
        big: { type: "integer", maximum: 1000000 },
        maybe: { type: "string", nullable: true },
        flag: { type: "boolean" },
        template: {
          type: "object",
          "x-kubernetes-embedded-resource": true,
          "x-kubernetes-preserve-unknown-fields": true,
        },
      },
    },
  },
};

function widget(spec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name: "w1" },
    spec: { x: "a", ...spec },
  };
}

const messages = (causes: FieldCause[]): string[] => causes.map(formatCause);

describe("validate: OpenAPI keywords with Kubernetes' messages", () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ["a valid object has no causes", {}, []],
    [
      "a string where an integer is expected",
      { size: "string" },
      ['spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"'],
    ],
    [
      "a float where an integer is expected",
      { size: 1.5 },
      ['spec.size: Invalid value: "number": spec.size in body must be of type integer: "number"'],
    ],
    [
      "minimum",
      { size: 0 },
      ["spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1"],
    ],
    [
      "maximum",
      { size: 11 },
      ["spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10"],
    ],
    [
      "large integer bound",
      { big: 2000000 },
      ["spec.big: Invalid value: 2000000: spec.big in body should be less than or equal to 1000000"],
    ],
    [
      "exclusive maximum of a float",
      { ratio: 1.5 },
      ["spec.ratio: Invalid value: 1.5: spec.ratio in body should be less than 1.5"],
    ],
    [
      "multipleOf",
      { ratio: 0.7 },
      ["spec.ratio: Invalid value: 0.7: spec.ratio in body should be a multiple of 0.5"],
    ],
    [
      "enum",
      { mode: "medium" },
      ['spec.mode: Unsupported value: "medium": supported values: "fast", "slow"'],
    ],
    ["required", { x: undefined }, ["spec.x: Required value"]],
    ["maxLength", { name: "abcdef" }, ["spec.name: Too long: may not be longer than 5"]],
    [
      "minLength",
      { name: "a" },
      ['spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long'],
    ],
    [
      "pattern",
      { name: "AB" },
      ["spec.name: Invalid value: \"AB\": spec.name in body should match '^[a-z]+$'"],
    ],
    [
      "date-time format",
      { when: "yesterday" },
      ['spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"'],
    ],
    ["valid date-time", { when: "2024-05-01T10:00:00Z" }, []],
    ["date-time with an offset and fraction", { when: "2024-05-01T10:00:00.5+02:00" }, []],
    [
      "date-time without an offset",
      { when: "2027-01-01T17:00:00" },
      [
        'spec.when: Invalid value: "2027-01-01T17:00:00": spec.when in body must be of type date-time: "2027-01-01T17:00:00"',
      ],
    ],
    [
      "date format",
      { day: "2024-02-30" },
      ['spec.day: Invalid value: "2024-02-30": spec.day in body must be of type date: "2024-02-30"'],
    ],
    [
      "uuid format",
      { id: "nope" },
      ['spec.id: Invalid value: "nope": spec.id in body must be of type uuid: "nope"'],
    ],
    ["int-or-string accepts an integer", { port: 80 }, []],
    ["int-or-string accepts a string", { port: "http" }, []],
    [
      "int-or-string rejects a boolean",
      { port: true },
      [
        'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
        'spec.port: Invalid value: "": spec.port must validate at least one schema (anyOf)',
        'spec.port: Invalid value: "boolean": spec.port in body must be of type integer: "boolean"',
      ],
    ],
    ["maxItems", { tags: ["a", "b", "c", "d"] }, ["spec.tags: Too many: 4: must have at most 3 items"]],
    [
      "minItems",
      { list: [] },
      ["spec.list: Invalid value: 0: spec.list in body should have at least 1 items"],
    ],
    [
      "item type",
      { list: [1] },
      ['spec.list[0]: Invalid value: "integer": spec.list[0] in body must be of type string: "integer"'],
    ],
    ["set uniqueness", { tags: ["a", "b", "a"] }, ['spec.tags[2]: Duplicate value: "a"']],
    [
      "map-list key uniqueness",
      { ports: [{ name: "a" }, { name: "b", port: 1 }, { name: "a", port: 2 }] },
      ['spec.ports[2]: Duplicate value: map[string]interface {}{"name":"a"}'],
    ],
    ["required inside list items", { ports: [{ port: 1 }] }, ["spec.ports[0].name: Required value"]],
    [
      "maxProperties",
      { labels: { a: "1", b: "2", c: "3" } },
      ["spec.labels: Too many: 3: must have at most 2 items"],
    ],
    [
      "additionalProperties value type",
      { labels: { a: 1 } },
      ['spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"'],
    ],
    ["nullable accepts null", { maybe: null }, []],
    [
      "boolean type",
      { flag: "yes" },
      ['spec.flag: Invalid value: "string": spec.flag in body must be of type boolean: "string"'],
    ],
    [
      "embedded resource needs apiVersion and kind",
      { template: { metadata: {} } },
      [
        "spec.template.apiVersion: Required value: must not be empty",
        "spec.template.kind: Required value: must not be empty",
      ],
    ],
    [
      "embedded resource with apiVersion and kind",
      { template: { apiVersion: "v1", kind: "Pod", spec: {} } },
      [],
    ],
  ];
  it.each(cases)("%s", (_name, spec, expected) => {
    const obj = widget(spec);
    if ("x" in spec && spec.x === undefined) delete (obj.spec as Record<string, unknown>).x;
    expect(messages(validate(widgetSchema, obj))).toEqual(expected);
  });

  it("reports a non-nullable null as a type error", () => {
    expect(messages(validate(widgetSchema, widget({ flag: null })))).toEqual([
      'spec.flag: Invalid value: "null": spec.flag in body must be of type boolean: "null"',
    ]);
  });

  it("gives each cause its Kubernetes reason", () => {
    const causes = validate(
      widgetSchema,
      widget({ size: "s", mode: "m", name: "abcdefg", tags: ["a", "a"] }),
    );
    expect(causes.map((c) => [c.field, c.reason])).toEqual([
      ["spec.size", "FieldValueTypeInvalid"],
      ["spec.mode", "FieldValueNotSupported"],
      ["spec.name", "FieldValueTooLong"],
      ["spec.tags[1]", "FieldValueDuplicate"],
    ]);
  });
});

describe("invalidMessage", () => {
  const one: FieldCause = { reason: "FieldValueRequired", field: "spec.x", message: "Required value" };
  const two: FieldCause = {
    reason: "FieldValueInvalid",
    field: "spec.size",
    message: "Invalid value: 0: too small",
  };
  it.each([
    ["no causes", [], 'Widget.example.com "w1" is invalid'],
    ["one cause has no brackets", [one], 'Widget.example.com "w1" is invalid: spec.x: Required value'],
    [
      "several causes are bracketed",
      [one, two],
      'Widget.example.com "w1" is invalid: [spec.x: Required value, spec.size: Invalid value: 0: too small]',
    ],
    [
      "identical causes are reported once",
      [one, one],
      'Widget.example.com "w1" is invalid: spec.x: Required value',
    ],
  ] as [string, FieldCause[], string][])("%s", (_name, causes, expected) => {
    expect(invalidMessage("Widget.example.com", "w1", causes)).toBe(expected);
  });
});

describe("prune", () => {
  it("drops unknown fields, keeps type meta and ObjectMeta fields, and reports the paths", () => {
    const obj = {
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w1", labels: { a: "b" }, bogus: 1 },
      spec: { x: "a", colour: "red", ports: [{ name: "a", extra: true }], labels: { k: "v" } },
      extra: 1,
    };
    const unknown = prune(widgetSchema, obj);
    expect(unknown.sort()).toEqual(["extra", "metadata.bogus", "spec.colour", "spec.ports[0].extra"]);
    expect(obj).toEqual({
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w1", labels: { a: "b" } },
      spec: { x: "a", ports: [{ name: "a" }], labels: { k: "v" } },
    });
  });

  it("keeps everything under x-kubernetes-preserve-unknown-fields but prunes embedded metadata", () => {
    const obj = widget({
      template: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", junk: 1 }, spec: { any: 1 } },
    });
    expect(prune(widgetSchema, obj)).toEqual(["spec.template.metadata.junk"]);
    expect((obj.spec as Record<string, unknown>).template).toEqual({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { any: 1 },
    });
  });

  it("drops non-nullable nulls without a default, silently", () => {
    const obj = widget({ flag: null, maybe: null });
    expect(prune(widgetSchema, obj)).toEqual([]);
    expect(obj.spec).toEqual({ x: "a", maybe: null });
  });
});

describe("applyDefaults", () => {
  const schema: JSONSchemaProps = {
    type: "object",
    properties: {
      spec: {
        type: "object",
        properties: {
          size: { type: "integer", default: 1 },
          nested: { type: "object", properties: { a: { type: "string", default: "x" } } },
          withDefault: { type: "object", default: {}, properties: { b: { type: "integer", default: 2 } } },
          items: {
            type: "array",
            items: { type: "object", properties: { c: { type: "boolean", default: true } } },
          },
          nullable: { type: "string", nullable: true, default: "d" },
          map: { type: "object", additionalProperties: { type: "string", default: "m" } },
        },
      },
    },
  };

  it("fills missing fields whose parent exists, recursively into defaults and list items", () => {
    const obj: Record<string, unknown> = { spec: { items: [{}, { c: false }] } };
    applyDefaults(schema, obj);
    expect(obj).toEqual({
      spec: { size: 1, nullable: "d", withDefault: { b: 2 }, items: [{ c: true }, { c: false }] },
    });
  });

  it("replaces a non-nullable null but keeps a nullable null", () => {
    const obj: Record<string, unknown> = { spec: { size: null, nullable: null, map: { k: null } } };
    applyDefaults(schema, obj);
    expect(obj.spec).toEqual({ size: 1, nullable: null, map: { k: "m" }, withDefault: { b: 2 } });
  });

  it("does nothing without a parent object", () => {
    const obj: Record<string, unknown> = {};
    applyDefaults(schema, obj);
    expect(obj).toEqual({});
  });
});
