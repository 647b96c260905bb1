import { compileCel, formatCause, validate } from "../../../../localkube/src/schema/index.js";
import type { JSONSchemaProps, ValidationRule } from "../../../../localkube/src/schema/index.js";

function schemaWith(
  specRules: ValidationRule[],
  extra: Record<string, JSONSchemaProps> = {},
): JSONSchemaProps {
  return {
    type: "object",
    properties: {
      metadata: { type: "object" },
      spec: {
        type: "object",
        "x-kubernetes-validations": specRules,
        properties: {
          ldap: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
          activeDirectory: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
          scim: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
          postgres: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
          startDate: { type: "string", format: "date-time" },
          endDate: { type: "string", format: "date-time" },
          validFrom: { type: "string" },
          expiresAt: { type: "string" },
          username: { type: "string" },
          replicas: { type: "integer" },
          ratio: { type: "number" },
          roles: { type: "array", items: { type: "string" } },
          ttl: { type: "string", format: "duration" },
          "dashed-name": { type: "string" },
          ...extra,
        },
      },
    },
  };
}

function run(
  rules: ValidationRule[],
  spec: Record<string, unknown>,
  oldSpec?: Record<string, unknown>,
): string[] {
  const obj = { metadata: { name: "w1" }, spec };
  const old = oldSpec === undefined ? undefined : { metadata: { name: "w1" }, spec: oldSpec };
  return validate(schemaWith(rules), obj, old).map(formatCause);
}

const exactlyOne: ValidationRule = {
  rule: "[has(self.ldap), has(self.activeDirectory), has(self.scim), has(self.postgres)].filter(x, x).size() == 1",
  message: "exactly one of ldap, activeDirectory, scim or postgres must be set",
};
const endAfterStart: ValidationRule = {
  rule: "!has(self.endDate) || !has(self.startDate) || timestamp(self.endDate) > timestamp(self.startDate)",
  message: "endDate must be after startDate",
};
const stringDates: ValidationRule = {
  rule: "!has(self.expiresAt) || !has(self.validFrom) || timestamp(self.expiresAt) > timestamp(self.validFrom)",
};
const immutableUsername: ValidationRule = {
  rule: "self.username == oldSelf.username",
  message: "username is immutable",
};

describe("CEL x-kubernetes-validations", () => {
  const cases: [
    string,
    ValidationRule[],
    Record<string, unknown>,
    Record<string, unknown> | undefined,
    string[],
  ][] = [
    ["exactly-one-of holds with one member", [exactlyOne], { ldap: {} }, undefined, []],
    [
      "exactly-one-of fails with two members",
      [exactlyOne],
      { ldap: {}, scim: { url: "x" } },
      undefined,
      ['spec: Invalid value: "object": exactly one of ldap, activeDirectory, scim or postgres must be set'],
    ],
    [
      "exactly-one-of fails with none",
      [exactlyOne],
      {},
      undefined,
      ['spec: Invalid value: "object": exactly one of ldap, activeDirectory, scim or postgres must be set'],
    ],
    [
      "timestamps in order",
      [endAfterStart],
      { startDate: "2024-01-01T00:00:00Z", endDate: "2024-06-01T00:00:00Z" },
      undefined,
      [],
    ],
    [
      "timestamps out of order",
      [endAfterStart],
      { startDate: "2024-06-01T00:00:00Z", endDate: "2024-01-01T00:00:00Z" },
      undefined,
      ['spec: Invalid value: "object": endDate must be after startDate'],
    ],
    [
      "a missing date skips the comparison",
      [endAfterStart],
      { startDate: "2024-06-01T00:00:00Z" },
      undefined,
      [],
    ],
    [
      "timestamp() of plain strings, default message",
      [stringDates],
      { validFrom: "2024-06-01T00:00:00Z", expiresAt: "2024-01-01T00:00:00+02:00" },
      undefined,
      [
        'spec: Invalid value: "object": failed rule: !has(self.expiresAt) || !has(self.validFrom) || timestamp(self.expiresAt) > timestamp(self.validFrom)',
      ],
    ],
    ["transition rule is skipped on create", [immutableUsername], { username: "alice" }, undefined, []],
    [
      "transition rule passes when unchanged",
      [immutableUsername],
      { username: "alice" },
      { username: "alice" },
      [],
    ],
    [
      "transition rule fails on change",
      [immutableUsername],
      { username: "bob" },
      { username: "alice" },
      ['spec: Invalid value: "object": username is immutable'],
    ],
    [
      "reason Forbidden and fieldPath",
      [
        {
          rule: "self.replicas <= 5",
          message: "too many",
          reason: "FieldValueForbidden",
          fieldPath: ".replicas",
        },
      ],
      { replicas: 7 },
      undefined,
      ["spec.replicas: Forbidden: too many"],
    ],
    [
      "reason Required",
      [{ rule: "has(self.username)", message: "username is required", reason: "FieldValueRequired" }],
      {},
      undefined,
      ["spec: Required value: username is required"],
    ],
    [
      "reason Duplicate",
      [{ rule: "false", reason: "FieldValueDuplicate" }],
      {},
      undefined,
      ['spec: Duplicate value: "object"'],
    ],
    [
      "messageExpression",
      [{ rule: "self.replicas < 3", messageExpression: "'replicas is ' + string(self.replicas)" }],
      { replicas: 4 },
      undefined,
      ['spec: Invalid value: "object": replicas is 4'],
    ],
    [
      "string and list functions",
      [
        {
          rule: "self.username.startsWith('a') && self.username.endsWith('e') && self.username.contains('lic') && self.username.matches('^[a-z]+$') && self.username.lowerAscii() == self.username && size(self.roles) == 2 && 'admin' in self.roles && self.roles.all(r, r.size() > 2) && self.roles.exists(r, r == 'dev') && self.roles.exists_one(r, r == 'admin') && self.roles.map(r, r.upperAscii()).join(',') == 'ADMIN,DEV' && 'a,b'.split(',').size() == 2",
        },
      ],
      { username: "alice", roles: ["admin", "dev"] },
      undefined,
      [],
    ],
    [
      "integers are ints and numbers are doubles",
      [{ rule: "self.replicas + 1 == 4 && self.ratio * 2.0 == 1.0 && int('3') == self.replicas" }],
      { replicas: 3, ratio: 0.5 },
      undefined,
      [],
    ],
    ["duration format", [{ rule: "self.ttl > duration('1h')" }], { ttl: "90m" }, undefined, []],
    [
      "escaped property names",
      [{ rule: "self.dashed__dash__name == 'x'" }],
      { "dashed-name": "x" },
      undefined,
      [],
    ],
    [
      "Kubernetes list extension functions",
      [
        {
          rule: "[3, 1, 2].sum() == 6 && [3, 1, 2].min() == 1 && [3, 1, 2].max() == 3 && [1, 2].isSorted() && ['a', 'b'].indexOf('b') == 1",
        },
      ],
      {},
      undefined,
      [],
    ],
    [
      "runtime error (missing key)",
      [{ rule: "self.username == 'x'" }],
      {},
      undefined,
      ["spec: Invalid value: \"object\": no such key: username evaluating rule: self.username == 'x'"],
    ],
  ];
  it.each(cases)("%s", (_name, rules, spec, oldSpec, expected) => {
    expect(run(rules, spec, oldSpec)).toEqual(expected);
  });

  it("binds oldSelf as an optional with optionalOldSelf, also on create", () => {
    const rule: ValidationRule = {
      rule: "!oldSelf.hasValue() || oldSelf.value().username == self.username",
      message: "username is immutable",
      optionalOldSelf: true,
    };
    expect(run([rule], { username: "bob" })).toEqual([]);
    expect(run([rule], { username: "bob" }, { username: "bob" })).toEqual([]);
    expect(run([rule], { username: "bob" }, { username: "alice" })).toEqual([
      'spec: Invalid value: "object": username is immutable',
    ]);
  });

  it("accepts a bracketed fieldPath and words an index error like cel-go", () => {
    const bracket: ValidationRule = { rule: "false", message: "no", fieldPath: ".roles['x']" };
    expect(run([bracket], {})).toEqual(['spec.roles.x: Invalid value: "object": no']);
    expect(run([{ rule: "self.roles[5] == 'a'" }], { roles: ["a"] })).toEqual([
      "spec: Invalid value: \"object\": index out of bounds: 5 evaluating rule: self.roles[5] == 'a'",
    ]);
  });

  it("reports a root-level rule at <nil> and can see metadata.name", () => {
    const schema: JSONSchemaProps = {
      type: "object",
      "x-kubernetes-validations": [
        { rule: "self.metadata.name.startsWith('w')", message: "name must start with w" },
      ],
      properties: { metadata: { type: "object" } },
    };
    expect(validate(schema, { metadata: { name: "w1" } })).toEqual([]);
    expect(validate(schema, { metadata: { name: "x1" } }).map(formatCause)).toEqual([
      '<nil>: Invalid value: "object": name must start with w',
    ]);
  });

  it("evaluates rules on list items, correlating map-list items with their old version", () => {
    const schema: JSONSchemaProps = {
      type: "object",
      properties: {
        spec: {
          type: "object",
          properties: {
            accounts: {
              type: "array",
              "x-kubernetes-list-type": "map",
              "x-kubernetes-list-map-keys": ["name"],
              items: {
                type: "object",
                "x-kubernetes-validations": [
                  { rule: "self.uid == oldSelf.uid", message: "uid is immutable" },
                ],
                properties: { name: { type: "string" }, uid: { type: "string" } },
              },
            },
          },
        },
      },
    };
    const old = { spec: { accounts: [{ name: "a", uid: "1" }] } };
    const obj = {
      spec: {
        accounts: [
          { name: "b", uid: "9" },
          { name: "a", uid: "2" },
        ],
      },
    };
    expect(validate(schema, obj, old).map(formatCause)).toEqual([
      'spec.accounts[1]: Invalid value: "object": uid is immutable',
    ]);
  });

  it("skips CEL when a type error blocks it", () => {
    const causes = run([exactlyOne], { replicas: "three" });
    expect(causes).toEqual([
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });

  it("skips CEL when a required field is missing", () => {
    const schema = schemaWith([exactlyOne]);
    (schema.properties!.spec as JSONSchemaProps).required = ["username"];
    expect(validate(schema, { spec: { ldap: {}, scim: {} } }).map(formatCause)).toEqual([
      "spec.username: Required value",
      '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });

  it("compiles each rule once and reports syntax and type errors", () => {
    expect(compileCel(exactlyOne.rule)).toBe(compileCel(exactlyOne.rule));
    expect(compileCel(exactlyOne.rule).error).toBeUndefined();
    expect(compileCel("self.foo(").error).toMatch(/^compilation failed: /);
    expect(compileCel("nosuchfunction(self)").error).toMatch(/^compilation failed: /);
    expect(compileCel("1 + 2").error).toBe("cel expression must evaluate to a bool");
    expect(compileCel("self.x == oldSelf.x").usesOldSelf).toBe(true);
    expect(compileCel("self.x == 'oldSelf'").usesOldSelf).toBe(false);
  });
});
