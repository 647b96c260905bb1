import { parseRoute } from "../../../localkube/src/http/router.js";
import { compareVersions } from "../../../localkube/src/kinds/registry.js";
import { toServed, toStored } from "../../../localkube/src/objects/convert.js";
import { builtinResourceTypes } from "../../../localkube/src/kinds/builtins.js";

describe("routing", () => {
  it.each([
    ["/api/v1/namespaces", { type: "resource", group: "", version: "v1", plural: "namespaces" }],
    ["/api/v1/namespaces/a", { type: "resource", group: "", version: "v1", plural: "namespaces", name: "a" }],
    [
      "/api/v1/namespaces/a/status",
      { type: "resource", group: "", version: "v1", plural: "namespaces", name: "a", subresource: "status" },
    ],
    [
      "/api/v1/namespaces/a/configmaps/b",
      { type: "resource", group: "", version: "v1", plural: "configmaps", namespace: "a", name: "b" },
    ],
    [
      "/apis/example.com/v1/widgets",
      { type: "resource", group: "example.com", version: "v1", plural: "widgets" },
    ],
    [
      "/apis/example.com/v1/namespaces/d/widgets/w/status",
      {
        type: "resource",
        group: "example.com",
        version: "v1",
        plural: "widgets",
        namespace: "d",
        name: "w",
        subresource: "status",
      },
    ],
    ["/apis/example.com/v1", { type: "groupVersion", group: "example.com", version: "v1" }],
    ["/openapi/v3/apis/example.com/v1", { type: "openapiDoc", path: "apis/example.com/v1" }],
    ["/api/v1/namespaces/a/configmaps/b/c/d", { type: "unknown" }],
  ])("%s", (path, route) => {
    expect(parseRoute(path)).toEqual(route);
  });

  it("orders versions GA > beta > alpha", () => {
    expect(["v1alpha1", "v1beta1", "v2", "v1", "v2beta1"].sort(compareVersions)).toEqual([
      "v2",
      "v1",
      "v2beta1",
      "v1beta1",
      "v1alpha1",
    ]);
  });

  it("converts Events between core/v1 and events.k8s.io/v1 field names", () => {
    const v1 = builtinResourceTypes().find((r) => r.group === "events.k8s.io");
    if (!v1) throw new Error("missing");
    const stored = toStored(v1, {
      metadata: { name: "e" },
      note: "hi",
      regarding: { name: "x" },
      deprecatedCount: 2,
    });
    expect(stored).toMatchObject({
      apiVersion: "v1",
      kind: "Event",
      message: "hi",
      involvedObject: { name: "x" },
      count: 2,
    });
    expect(toServed(v1, stored)).toMatchObject({
      apiVersion: "events.k8s.io/v1",
      note: "hi",
      regarding: { name: "x" },
      deprecatedCount: 2,
    });
  });
});
