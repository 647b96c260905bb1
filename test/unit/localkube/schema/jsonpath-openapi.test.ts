import { crdSchemaToOpenApi, evaluateJsonPath } from "../../../../localkube/src/schema/index.js";
import type { CustomResourceDefinition } from "../../../../localkube/src/schema/index.js";

const obj = {
  metadata: { name: "w1", labels: { "app.kubernetes.io/name": "roster" } },
  spec: { size: 3, nested: { a: { b: "deep" } }, list: ["x", "y"] },
  status: {
    conditions: [
      { type: "Reconciling", status: "False" },
      { type: "Ready", status: "True", reason: "Synced" },
    ],
  },
};

describe("evaluateJsonPath", () => {
  it.each([
    [".spec.size", 3],
    [".spec.nested.a.b", "deep"],
    [".spec.list[1]", "y"],
    [".spec.list[-1]", "y"],
    [".spec.list[*]", ["x", "y"]],
    ['.status.conditions[?(@.type=="Ready")].status', "True"],
    [".status.conditions[?(@.type=='Ready')].reason", "Synced"],
    ['.status.conditions[?(@.type!="Ready")].type', "Reconciling"],
    [".metadata.labels.app\\.kubernetes\\.io/name", "roster"],
    [".metadata.labels['app.kubernetes.io/name']", "roster"],
    ["{.metadata.name}", "w1"],
    [".spec.missing", undefined],
    ['.status.conditions[?(@.type=="Stalled")].status', undefined],
    [".spec.list[5]", undefined],
  ] as [string, unknown][])("%s", (path, expected) => {
    expect(evaluateJsonPath(obj, path)).toEqual(expected);
  });

  it("throws on unsupported syntax", () => {
    expect(() => evaluateJsonPath(obj, ".spec.list[")).toThrow();
    expect(() => evaluateJsonPath(obj, "spec")).toThrow();
  });
});

describe("crdSchemaToOpenApi", () => {
  const crd: CustomResourceDefinition = {
    spec: {
      group: "roster.dev",
      names: { plural: "users", kind: "User", listKind: "UserList" },
      scope: "Cluster",
      versions: [
        {
          name: "v1alpha1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: "object",
              properties: { spec: { type: "object", description: "The person." } },
            },
          },
        },
      ],
    },
  };

  it("publishes the kind and its list with their GVK under the reversed group", () => {
    const schemas = crdSchemaToOpenApi(crd, "v1alpha1") as Record<string, Record<string, unknown>>;
    expect(Object.keys(schemas)).toEqual(["dev.roster.v1alpha1.User", "dev.roster.v1alpha1.UserList"]);
    const user = schemas["dev.roster.v1alpha1.User"]!;
    expect(user["x-kubernetes-group-version-kind"]).toEqual([
      { group: "roster.dev", version: "v1alpha1", kind: "User" },
    ]);
    const props = user.properties as Record<string, Record<string, unknown>>;
    expect(props.spec).toEqual({ type: "object", description: "The person." });
    expect(props.metadata!.allOf).toEqual([
      { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" },
    ]);
    expect(props.kind!.type).toBe("string");
    const list = schemas["dev.roster.v1alpha1.UserList"]!;
    expect((list.properties as Record<string, Record<string, unknown>>).items!.items).toEqual({
      $ref: "#/components/schemas/dev.roster.v1alpha1.User",
    });
  });

  it("returns nothing for an unknown version and leaves the CRD untouched", () => {
    expect(crdSchemaToOpenApi(crd, "v9")).toEqual({});
    expect(crd.spec?.versions?.[0]?.schema?.openAPIV3Schema?.properties?.metadata).toBeUndefined();
  });
});
