import { checkStructural, formatCause, validateCrd } from "../../../../localkube/src/schema/index.js";
import type { CustomResourceDefinition, JSONSchemaProps } from "../../../../localkube/src/schema/index.js";

const P = "spec.versions[0].schema.openAPIV3Schema";

function root(spec: JSONSchemaProps, extra: Partial<JSONSchemaProps> = {}): JSONSchemaProps {
  return { type: "object", properties: { spec }, ...extra };
}

describe("checkStructural", () => {
  const cases: [string, JSONSchemaProps, string[]][] = [
    ["a typed schema is structural", root({ type: "object", properties: { size: { type: "integer" } } }), []],
    [
      "an untyped field",
      root({ type: "object", properties: { size: {} } }),
      [
        `${P}.properties[spec].properties[size].type: Required value: must not be empty for specified object fields`,
      ],
    ],
    [
      "untyped array items and an array without items",
      root({ type: "object", properties: { a: { type: "array", items: {} }, b: { type: "array" } } }),
      [
        `${P}.properties[spec].properties[a].items.type: Required value: must not be empty for specified array items`,
        `${P}.properties[spec].properties[b].items: Required value: must be specified`,
      ],
    ],
    [
      "int-or-string and preserve-unknown-fields need no type",
      root({
        type: "object",
        properties: {
          p: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] },
          any: { "x-kubernetes-preserve-unknown-fields": true },
        },
      }),
      [],
    ],
    [
      "uniqueItems",
      root({
        type: "object",
        properties: { l: { type: "array", items: { type: "string" }, uniqueItems: true } },
      }),
      [
        `${P}.properties[spec].properties[l].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
      ],
    ],
    [
      "additionalProperties with properties",
      root({
        type: "object",
        properties: { a: { type: "string" } },
        additionalProperties: { type: "string" },
      }),
      [
        `${P}.properties[spec].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
      ],
    ],
    [
      "$ref",
      root({ type: "object", properties: { a: { type: "object", $ref: "#/definitions/x" } } }),
      [`${P}.properties[spec].properties[a].$ref: Forbidden: $ref is not supported`],
    ],
    [
      "root type must be object",
      { type: "string" },
      [`${P}.type: Invalid value: "string": must be object at the root`],
    ],
    [
      "metadata may only restrict name and generateName",
      {
        type: "object",
        properties: { metadata: { type: "object", properties: { labels: { type: "object" } } } },
      },
      [
        `${P}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
      ],
    ],
    [
      "metadata restricting the name is fine",
      {
        type: "object",
        properties: { metadata: { type: "object", properties: { name: { type: "string", maxLength: 20 } } } },
      },
      [],
    ],
    [
      "types inside anyOf are not structural",
      root({
        type: "object",
        properties: { a: { type: "string", anyOf: [{ type: "string" }, { pattern: "^a" }] } },
      }),
      [`${P}.properties[spec].properties[a].anyOf[0].type: Forbidden: must be empty to be structural`],
    ],
    [
      "list-type map needs keys",
      root({
        type: "object",
        properties: {
          l: {
            type: "array",
            "x-kubernetes-list-type": "map",
            items: { type: "object", properties: { n: { type: "string" } } },
          },
        },
      }),
      [
        `${P}.properties[spec].properties[l].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`,
      ],
    ],
    [
      "unknown list type",
      root({
        type: "object",
        properties: { l: { type: "array", items: { type: "string" }, "x-kubernetes-list-type": "bag" } },
      }),
      [
        `${P}.properties[spec].properties[l].x-kubernetes-list-type: Unsupported value: "bag": supported values: "atomic", "set", "map"`,
      ],
    ],
    [
      "a default that does not match its schema",
      root({ type: "object", properties: { size: { type: "integer", default: "big" } } }),
      [
        `${P}.properties[spec].properties[size].default: Invalid value: "string":  in body must be of type integer: "string"`,
      ],
    ],
    [
      "an empty rule",
      root({ type: "object", "x-kubernetes-validations": [{ rule: " " }] }),
      [`${P}.properties[spec].x-kubernetes-validations[0].rule: Required value: rule is not specified`],
    ],
    [
      "an unsupported reason",
      root({ type: "object", "x-kubernetes-validations": [{ rule: "true", reason: "Nope" as never }] }),
      [
        `${P}.properties[spec].x-kubernetes-validations[0].reason: Unsupported value: "Nope": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"`,
      ],
    ],
  ];
  it.each(cases)("%s", (_name, schema, expected) => {
    expect(checkStructural(schema, P).map(formatCause)).toEqual(expected);
  });

  it("reports a rule that does not compile, printing the rule like Kubernetes", () => {
    const causes = checkStructural(
      root({ type: "object", "x-kubernetes-validations": [{ rule: "self.size >" }] }),
      P,
    );
    expect(causes).toHaveLength(1);
    expect(causes[0]!.field).toBe(`${P}.properties[spec].x-kubernetes-validations[0].rule`);
    expect(causes[0]!.message).toMatch(
      /^Invalid value: apiextensions\.ValidationRule\{Rule:"self\.size >", Message:"", MessageExpression:"", Reason:\(\*apiextensions\.FieldValueErrorReason\)\(nil\), FieldPath:"", OptionalOldSelf:\(\*bool\)\(nil\)\}: compilation failed: /,
    );
  });

  describe("rules that select fields the schema does not declare", () => {
    const spec: JSONSchemaProps = {
      type: "object",
      properties: {
        username: { type: "string" },
        "dashed-name": { type: "string" },
        accounts: { type: "array", items: { type: "object", properties: { name: { type: "string" } } } },
        labels: { type: "object", additionalProperties: { type: "string" } },
        ldap: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
      },
    };
    const ruleCauses = (rule: string, onRoot = false): string[] => {
      const rules = [{ rule }];
      const schema = onRoot
        ? { ...root(spec), "x-kubernetes-validations": rules }
        : root({ ...spec, "x-kubernetes-validations": rules });
      return checkStructural(schema, P).map((c) =>
        c.message.replace(/^Invalid value: apiextensions\.ValidationRule\{.*?\}: /, ""),
      );
    };
    it.each([
      ["self.username == 'a' && self.dashed__dash__name != ''", false],
      ["self.accounts.all(a, a.name != '')", false],
      ["self.labels.team == 'x' && self.ldap.anything == 1", false],
      ["has(self.spec.username) && self.metadata.name.startsWith('a') && self.kind == 'User'", true],
      ["self.username == oldSelf.username", false],
    ] as [string, boolean][])("accepts %s", (rule, onRoot) => {
      expect(ruleCauses(rule, onRoot)).toEqual([]);
    });
    it.each([
      ["self.usrname == 'a'", false, "compilation failed: ERROR: <input>:1:6: undefined field 'usrname'"],
      [
        "self.accounts.exists(a, a.nmae == 'x')",
        false,
        "compilation failed: ERROR: <input>:1:27: undefined field 'nmae'",
      ],
      [
        "self.metadata.labels.size() > 0",
        true,
        "compilation failed: ERROR: <input>:1:15: undefined field 'labels'",
      ],
      ["has(self.spec.nope)", true, "compilation failed: ERROR: <input>:1:15: undefined field 'nope'"],
    ] as [string, boolean, string][])("rejects %s", (rule, onRoot, message) => {
      expect(ruleCauses(rule, onRoot)).toEqual([message]);
    });
  });

  it("rejects transition rules below a list whose items do not correlate", () => {
    const item: JSONSchemaProps = {
      type: "object",
      "x-kubernetes-validations": [{ rule: "self.name == oldSelf.name" }],
      properties: { name: { type: "string" } },
    };
    const atomic = root({ type: "object", properties: { l: { type: "array", items: item } } });
    expect(checkStructural(atomic, P).map(formatCause)).toEqual([
      `${P}.properties[spec].properties[l].items.x-kubernetes-validations[0].rule: Invalid value: "self.name == oldSelf.name": oldSelf cannot be used on the uncorrelatable portion of the schema within ${P}.properties[spec].properties[l]`,
    ]);
    const mapList = root({
      type: "object",
      properties: {
        l: {
          type: "array",
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["name"],
          items: { ...item, required: ["name"] },
        },
      },
    });
    expect(checkStructural(mapList, P)).toEqual([]);
  });

  it("defaults to the v1 path", () => {
    expect(checkStructural({ type: "object", properties: { a: {} } }).map(formatCause)).toEqual([
      "spec.versions[0].schema.openAPIV3Schema.properties[a].type: Required value: must not be empty for specified object fields",
    ]);
  });
});

function aCrd(
  overrides: {
    name?: string;
    group?: string;
    plural?: string;
    kind?: string;
    versions?: unknown[];
    scope?: string;
  } = {},
): CustomResourceDefinition {
  const group = overrides.group ?? "example.com";
  const plural = overrides.plural ?? "widgets";
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: overrides.name ?? `${plural}.${group}` },
    spec: {
      group,
      scope: overrides.scope ?? "Namespaced",
      names: { plural, kind: overrides.kind ?? "Widget" },
      versions: (overrides.versions as never) ?? [
        { name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object" } } },
      ],
    },
  };
}

describe("validateCrd", () => {
  const v = (name: string, storage: boolean): unknown => ({
    name,
    served: true,
    storage,
    schema: { openAPIV3Schema: { type: "object" } },
  });
  const cases: [string, CustomResourceDefinition, string[]][] = [
    ["a valid CRD (singular and listKind defaulted)", aCrd(), []],
    [
      "name must be plural.group",
      aCrd({ name: "widget.example.com" }),
      ['metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group'],
    ],
    [
      "group needs a dot",
      aCrd({ group: "example" }),
      ['spec.group: Invalid value: "example": should be a domain with at least one dot'],
    ],
    [
      "plural must be lowercase",
      aCrd({ plural: "Widgets" }),
      [
        "metadata.name: Invalid value: \"Widgets.example.com\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        "spec.names.plural: Invalid value: \"Widgets\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      ],
    ],
    [
      "scope must be known",
      aCrd({ scope: "Global" }),
      ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"'],
    ],
    [
      "exactly one storage version",
      aCrd({ versions: [v("v1", true), v("v2", true)] }),
      [
        'spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{apiextensions.CustomResourceDefinitionVersion{Name:"v1", Served:true, Storage:true}, apiextensions.CustomResourceDefinitionVersion{Name:"v2", Served:true, Storage:true}}: must have exactly one version marked as storage version',
      ],
    ],
    [
      "a schema is required",
      aCrd({ versions: [{ name: "v1", served: true, storage: true }] }),
      ["spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required"],
    ],
    [
      "the schema must be structural",
      aCrd({
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: "object", properties: { spec: {} } } },
          },
        ],
      }),
      [
        "spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields",
      ],
    ],
  ];
  it.each(cases)("%s", (_name, crd, expected) => {
    expect(validateCrd(crd).map(formatCause)).toEqual(expected);
  });

  it("rejects a bad CEL rule", () => {
    const crd = aCrd({
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: { type: "object", "x-kubernetes-validations": [{ rule: "self.a ==" }] },
          },
        },
      ],
    });
    expect(validateCrd(crd).map((c) => c.field)).toEqual([
      "spec.versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
    ]);
  });

  it("rejects removing a stored version and changing the group on update", () => {
    const old = aCrd({ versions: [v("v1", false), v("v2", true)] });
    old.status = { storedVersions: ["v1", "v2"] };
    const updated = aCrd({ versions: [v("v2", true)] });
    expect(validateCrd(updated, old).map(formatCause)).toEqual([
      'status.storedVersions[0]: Invalid value: "v1": must appear in spec.versions',
    ]);
    const regrouped = aCrd({ group: "other.io", name: "widgets.other.io" });
    expect(validateCrd(regrouped, aCrd()).map(formatCause)).toEqual([
      'spec.group: Invalid value: "other.io": field is immutable',
    ]);
  });

  it("does not modify its input", () => {
    const crd = aCrd();
    validateCrd(crd);
    expect(crd.spec?.names).toEqual({ plural: "widgets", kind: "Widget" });
  });
});
