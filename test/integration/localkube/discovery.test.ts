import { jest } from "@jest/globals";
import { CoreV1Api, KubernetesObjectApi } from "@kubernetes/client-node";
import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import { call, eventually } from "./client.js";
import { WIDGET_CRD } from "./fixtures.js";

jest.setTimeout(30_000);

describe("localkube transport, discovery and OpenAPI", () => {
  let kube: LocalKube;
  beforeAll(async () => {
    kube = await startLocalKube();
    await kube.kubectl(["apply", "-f", "-"], { input: WIDGET_CRD });
    await kube.kubectl(["wait", "--for=condition=Established", "crd/widgets.example.com"]);
  });
  afterAll(async () => {
    await kube.stop();
  });

  it("T2: answers JSON with apiVersion and kind, also for a 404 on an unknown path", async () => {
    const ok = await call(kube, "GET", "/api/v1/namespaces/default");
    expect(ok.headers.get("content-type")).toBe("application/json");
    expect(ok.json).toMatchObject({ apiVersion: "v1", kind: "Namespace" });
    const missing = await call(kube, "GET", "/nope/at/all");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/json");
    expect(missing.json).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "the server could not find the requested resource",
      reason: "NotFound",
      details: {},
      code: 404,
    });
  });

  it("T3: /version and the health endpoints", async () => {
    const version = await call(kube, "GET", "/version?timeout=5s");
    expect(version.json).toMatchObject({
      major: "1",
      minor: "31",
      gitVersion: "v1.31.0",
      platform: "linux/amd64",
    });
    for (const path of ["/healthz", "/livez", "/readyz"])
      expect((await call(kube, "GET", path)).text).toBe("ok");
  });

  it("T4: legacy discovery documents", async () => {
    const api = await call(kube, "GET", "/api");
    expect(api.json).toEqual({
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: new URL(kube.url).host }],
    });
    const groups = await call(kube, "GET", "/apis", undefined, { Accept: "application/json" });
    expect(groups.headers.get("content-type")).toBe("application/json");
    expect(groups.json.kind).toBe("APIGroupList");
    expect(groups.json.groups).toContainEqual({
      name: "example.com",
      versions: [{ groupVersion: "example.com/v1", version: "v1" }],
      preferredVersion: { groupVersion: "example.com/v1", version: "v1" },
    });
    const list = await call(kube, "GET", "/apis/example.com/v1");
    expect(list.json.resources).toEqual([
      {
        name: "widgets",
        singularName: "widget",
        namespaced: true,
        kind: "Widget",
        verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
        shortNames: ["wd"],
        categories: ["all"],
      },
      {
        name: "widgets/status",
        singularName: "",
        namespaced: true,
        kind: "Widget",
        verbs: ["get", "patch", "update"],
      },
    ]);
    expect((await call(kube, "GET", "/apis/example.com/v9")).status).toBe(404);
    expect((await call(kube, "GET", "/apis/nothing.io")).status).toBe(404);
  });

  it("T5: aggregated discovery v2 and v2beta1 when the client asks for it first", async () => {
    for (const v of ["v2", "v2beta1"]) {
      const res = await call(kube, "GET", "/apis", undefined, {
        Accept: `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList,application/json`,
      });
      expect(res.headers.get("content-type")).toBe(
        `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`,
      );
      expect(res.json.kind).toBe("APIGroupDiscoveryList");
      const group = res.json.items.find(
        (i: { metadata: { name: string } }) => i.metadata.name === "example.com",
      );
      expect(group.versions[0]).toEqual({
        version: "v1",
        freshness: "Current",
        resources: [
          {
            resource: "widgets",
            responseKind: { group: "example.com", version: "v1", kind: "Widget" },
            scope: "Namespaced",
            singularResource: "widget",
            verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
            shortNames: ["wd"],
            categories: ["all"],
            subresources: [
              {
                subresource: "status",
                responseKind: { group: "example.com", version: "v1", kind: "Widget" },
                verbs: ["get", "patch", "update"],
              },
            ],
          },
        ],
      });
    }
    const legacy = await call(kube, "GET", "/api", undefined, {
      Accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
    });
    expect(legacy.json.items[0].metadata.name).toBe("");
    expect(legacy.json.items[0].versions[0].resources.map((r: { resource: string }) => r.resource)).toContain(
      "configmaps",
    );
  });

  it("T4: kubectl api-resources lists built-ins and CRDs; client-node resolves a CR kind", async () => {
    const out = await kube.kubectl(["api-resources", "--no-headers"]);
    const names = out.stdout.split("\n").map((l) => l.split(/\s+/)[0]);
    for (const n of [
      "configmaps",
      "secrets",
      "namespaces",
      "events",
      "leases",
      "roles",
      "customresourcedefinitions",
      "widgets",
    ])
      expect(names).toContain(n);
    const objects = KubernetesObjectApi.makeApiClient(kube.kubeConfig);
    await objects.create({
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "by-client", namespace: "default" },
      spec: { size: 2 },
    });
    const read = await objects.read({
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "by-client", namespace: "default" },
    });
    expect((read as unknown as { spec: { size: number } }).spec.size).toBe(2);
  });

  it("T6: discovery follows CRDs (appears when Established, vanishes on delete)", async () => {
    const crd = WIDGET_CRD.replace(/widgets/g, "gadgets")
      .replace(/widget/g, "gadget")
      .replace(/Widget/g, "Gadget")
      .replace("[wd]", "[gd]");
    expect((await call(kube, "GET", "/apis/example.com/v1/namespaces/default/gadgets")).status).toBe(404);
    await kube.kubectl(["apply", "-f", "-"], { input: crd });
    await kube.kubectl(["wait", "--for=condition=Established", "crd/gadgets.example.com"]);
    expect((await kube.kubectl(["get", "gadgets"])).stderr).toContain("No resources found");
    await kube.kubectl(["delete", "crd", "gadgets.example.com"]);
    await eventually(async () =>
      (await call(kube, "GET", "/apis/example.com/v1/namespaces/default/gadgets")).status === 404
        ? true
        : undefined,
    );
    const list = await call(kube, "GET", "/apis/example.com/v1");
    expect(list.json.resources.map((r: { name: string }) => r.name)).toEqual(["widgets", "widgets/status"]);
  });

  it("T7: OpenAPI v3 index and documents carry the GVK and fieldValidation on PATCH", async () => {
    const index = await call(kube, "GET", "/openapi/v3");
    const entry = index.json.paths["apis/example.com/v1"];
    expect(entry.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/example.com\/v1\?hash=[0-9A-F]+$/);
    const doc = await call(kube, "GET", entry.serverRelativeURL);
    const patch = doc.json.paths["/apis/example.com/v1/namespaces/{namespace}/widgets/{name}"].patch;
    expect(patch["x-kubernetes-group-version-kind"]).toEqual({
      group: "example.com",
      version: "v1",
      kind: "Widget",
    });
    expect(patch.parameters.map((p: { name: string }) => p.name)).toContain("fieldValidation");
    expect(doc.json.components.schemas["com.example.v1.Widget"]["x-kubernetes-group-version-kind"]).toEqual([
      { group: "example.com", version: "v1", kind: "Widget" },
    ]);
    expect(index.json.paths["api/v1"]).toBeDefined();
  });

  it("T7/C9: plain kubectl apply (server-side validation) of a ConfigMap and a CR, and kubectl explain", async () => {
    const cm = await kube.kubectl(["apply", "-f", "-"], {
      input: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain}\ndata: {a: b}\n",
    });
    expect(cm.stdout).toBe("configmap/plain created\n");
    const explain = await kube.kubectl(["explain", "widget.spec"]);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain("The desired widget.");
    expect(explain.stdout).toMatch(/size\s+<integer>/);
    const bad = await kube.kubectl(["apply", "-f", "-"], {
      input:
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: strict}\nspec: {size: 1, colour: red}\n",
    });
    expect(bad.stderr).toContain('strict decoding error: unknown field "spec.colour"');
  });

  it("R1: unknown verbs give 405 and unknown resources 404", async () => {
    expect((await call(kube, "PUT", "/api/v1/namespaces/default/configmaps", {})).status).toBe(405);
    expect((await call(kube, "GET", "/api/v1/namespaces/default/nothings")).status).toBe(404);
    expect((await call(kube, "GET", "/api/v1/namespaces/default/configmaps/plain/status")).status).toBe(404);
    const protobuf = await call(kube, "GET", "/api/v1/namespaces", undefined, {
      Accept: "application/vnd.kubernetes.protobuf",
    });
    expect([protobuf.status, protobuf.json.reason]).toEqual([406, "NotAcceptable"]);
  });

  it("T1: HTTPS with a self-signed CA works for client-node and kubectl", async () => {
    const secure = await startLocalKube({ tls: true });
    try {
      expect(secure.url).toMatch(/^https:/);
      const api = secure.kubeConfig.makeApiClient(CoreV1Api);
      const list = await api.listNamespace();
      expect(list.items.length).toBe(4);
      const out = await secure.kubectl(["get", "ns", "default", "-o", "name"]);
      expect(out.stdout).toBe("namespace/default\n");
    } finally {
      await secure.stop();
    }
  });

  it("kubectl get --raw returns the server's JSON unchanged", async () => {
    const raw = await kube.kubectl(["get", "--raw", "/apis/example.com/v1"]);
    expect(JSON.parse(raw.stdout)).toEqual((await call(kube, "GET", "/apis/example.com/v1")).json);
    const version = await kube.kubectl(["get", "--raw", "/version"]);
    expect(JSON.parse(version.stdout).minor).toBe("31");
  });
});
