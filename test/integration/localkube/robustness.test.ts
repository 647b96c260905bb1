import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { jest } from "@jest/globals";
import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import { call, MERGE, JSON_PATCH, STRATEGIC, APPLY } from "./client.js";
import { WIDGET_CRD } from "./fixtures.js";

jest.setTimeout(60_000);

const CMS = "/api/v1/namespaces/default/configmaps";

/** Deterministic pseudo-random generator so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

describe("localkube bad input, hooks and persistence", () => {
  let kube: LocalKube;
  beforeAll(async () => {
    kube = await startLocalKube({ server: { bodyLimitBytes: 256 * 1024 } });
    await kube.kubectl(["apply", "-f", "-"], { input: WIDGET_CRD });
    await kube.kubectl(["wait", "--for=condition=Established", "crd/widgets.example.com"]);
    await call(kube, "POST", CMS, { metadata: { name: "target" }, data: { a: "1" } });
  });
  afterAll(async () => {
    await kube.stop();
  });

  it("answers hundreds of random and truncated bodies with Status errors and keeps serving", async () => {
    const next = rng(42);
    const valid = JSON.stringify({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "fuzz", labels: { a: "b" } },
      data: { k: "v" },
    });
    const targets: Array<[string, string, Record<string, string>]> = [
      ["POST", CMS, {}],
      ["PUT", `${CMS}/target`, {}],
      ["PATCH", `${CMS}/target`, MERGE],
      ["PATCH", `${CMS}/target`, JSON_PATCH],
      ["PATCH", `${CMS}/target`, STRATEGIC],
      ["PATCH", `${CMS}/target?fieldManager=fuzz`, APPLY],
      ["POST", "/apis/example.com/v1/namespaces/default/widgets", {}],
      ["POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", {}],
      ["DELETE", `${CMS}/target`, {}],
    ];
    const shapes = [
      () => valid.slice(0, Math.floor(next() * valid.length)),
      () => randomBytes(Math.floor(next() * 200)).toString("latin1"),
      () => JSON.stringify([1, "x", null]),
      () => JSON.stringify({ metadata: "nope", spec: [1] }),
      () => JSON.stringify({ metadata: { name: 5, labels: [] }, data: { k: 1 } }),
      () => "null",
      () => JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "x" } }),
      () => JSON.stringify([{ op: "explode", path: 3 }]),
      () => "{".repeat(50) + "}".repeat(49),
      () => ":\n  - [",
    ];
    const statuses = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const [method, target, headers] = targets[i % targets.length] as [
        string,
        string,
        Record<string, string>,
      ];
      const body = (shapes[Math.floor(next() * shapes.length)] as () => string)();
      const res = await call(kube, method, target, body, headers);
      statuses.add(res.status);
      expect(res.status).toBeLessThan(500);
      if (res.status >= 400)
        expect(res.json).toMatchObject({
          kind: "Status",
          apiVersion: "v1",
          status: "Failure",
          code: res.status,
        });
      if (method === "DELETE")
        await call(kube, "POST", CMS, { metadata: { name: "target" }, data: { a: "1" } });
    }
    expect(statuses.has(400)).toBe(true);
    expect((await call(kube, "GET", "/healthz")).text).toBe("ok");
  });

  it("rejects an oversized body with 413 and unknown paths with 404", async () => {
    const big = await call(kube, "POST", CMS, {
      metadata: { name: "big" },
      data: { k: "x".repeat(300 * 1024) },
    });
    expect([big.status, big.json.reason]).toEqual([413, "RequestEntityTooLarge"]);
    expect((await call(kube, "GET", "/apis/nope/v1/things")).status).toBe(404);
    expect((await call(kube, "DELETE", "/version")).status).toBe(405);
  });

  it("adds latency on request", async () => {
    kube.hooks.setLatency(200);
    const started = Date.now();
    await call(kube, "GET", "/api/v1/namespaces");
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    kube.hooks.setLatency(0);
  });

  it("keeps objects and the resourceVersion across a restart with a data directory", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "localkube-data-"));
    try {
      const first = await startLocalKube({ dataDir, tls: true });
      const saToken = await first.issueServiceAccountToken("default", "bot");
      await first.kubectl(["apply", "-f", "-"], { input: WIDGET_CRD });
      await first.kubectl(["wait", "--for=condition=Established", "crd/widgets.example.com"]);
      const w = await call(first, "POST", "/apis/example.com/v1/namespaces/default/widgets", {
        apiVersion: "example.com/v1",
        kind: "Widget",
        metadata: { name: "kept" },
        spec: { size: 3 },
      });
      await call(first, "POST", CMS, { metadata: { name: "temp" } });
      await call(first, "DELETE", `${CMS}/temp`);
      const rvBefore = Number((await call(first, "GET", CMS)).json.metadata.resourceVersion);
      await first.stop();
      const ca = first.server.caCert;
      const admin = first.adminToken;
      const second = await startLocalKube({ dataDir, tls: true });
      try {
        expect([second.server.caCert, second.adminToken]).toEqual([ca, admin]);
        expect(second.server.authenticator.authenticate(`Bearer ${saToken}`)?.name).toBe(
          "system:serviceaccount:default:bot",
        );
        const got = await call(second, "GET", "/apis/example.com/v1/namespaces/default/widgets/kept");
        expect(got.json.metadata.uid).toBe(w.json.metadata.uid);
        expect(got.json.spec.size).toBe(3);
        const rvAfter = Number((await call(second, "GET", CMS)).json.metadata.resourceVersion);
        expect(rvAfter).toBe(rvBefore);
        const created = await call(second, "POST", CMS, { metadata: { name: "new" } });
        expect(Number(created.json.metadata.resourceVersion)).toBeGreaterThan(rvBefore);
        expect((await second.kubectl(["get", "wd", "kept", "-o", "name"])).stdout).toBe(
          "widget.example.com/kept\n",
        );
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
