import { jest } from "@jest/globals";
import net from "node:net";
import { CoreV1Api, makeInformer, type V1ConfigMap } from "@kubernetes/client-node";
import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import { call, eventually, MERGE } from "./client.js";
import { openWatch } from "./watch.js";

const NS = "/api/v1/namespaces/watching";
const CMS = `${NS}/configmaps`;

jest.setTimeout(30_000);

describe("localkube lists and watches (R2-R7)", () => {
  let kube: LocalKube;
  beforeAll(async () => {
    kube = await startLocalKube({ server: { bookmarkIntervalMs: 300 } });
    await call(kube, "POST", "/api/v1/namespaces", { metadata: { name: "watching" } });
  });
  afterAll(async () => {
    await kube.stop();
  });

  it("R2: an empty list has items [] and a numeric RV; built-in items omit kind", async () => {
    const empty = await call(kube, "GET", CMS);
    expect(empty.json).toEqual({
      kind: "ConfigMapList",
      apiVersion: "v1",
      metadata: { resourceVersion: expect.stringMatching(/^\d+$/) },
      items: [],
    });
    await call(kube, "POST", CMS, { metadata: { name: "b" } });
    await call(kube, "POST", CMS, { metadata: { name: "a" } });
    const list = await call(kube, "GET", CMS);
    expect(list.json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(["a", "b"]);
    expect(list.json.items[0].kind).toBeUndefined();
    for (const item of list.json.items)
      expect(Number(list.json.metadata.resourceVersion)).toBeGreaterThanOrEqual(
        Number(item.metadata.resourceVersion),
      );
  });

  it("R3: limit=1 pages share one RV; an expired continue token is 410", async () => {
    await call(kube, "POST", CMS, { metadata: { name: "c" } });
    const first = await call(kube, "GET", `${CMS}?limit=1`);
    expect(first.json.metadata.remainingItemCount).toBe(2);
    await call(kube, "POST", CMS, { metadata: { name: "d" } });
    const second = await call(kube, "GET", `${CMS}?limit=1&continue=${first.json.metadata.continue}`);
    const third = await call(kube, "GET", `${CMS}?limit=1&continue=${second.json.metadata.continue}`);
    expect([first, second, third].map((p) => p.json.items[0].metadata.name)).toEqual(["a", "b", "c"]);
    expect(new Set([first, second, third].map((p) => p.json.metadata.resourceVersion)).size).toBe(1);
    expect(third.json.metadata.continue).toBeUndefined();
    const again = await call(kube, "GET", `${CMS}?limit=1`);
    kube.hooks.compactHistory();
    const expired = await call(kube, "GET", `${CMS}?limit=1&continue=${again.json.metadata.continue}`);
    expect([expired.status, expired.json.reason]).toEqual([410, "Expired"]);
    const selected = await call(kube, "GET", `${CMS}?limit=1&labelSelector=!nothing`);
    expect(selected.json.metadata.continue).toBeDefined();
    expect(selected.json.metadata.remainingItemCount).toBeUndefined();
  });

  it("R4: label and field selectors", async () => {
    const mk = (name: string, labels: Record<string, string>): Promise<unknown> =>
      call(kube, "POST", `${NS}/secrets`, {
        metadata: { name, labels },
        type: name === "s3" ? "kubernetes.io/tls" : undefined,
        data: name === "s3" ? { "tls.crt": "", "tls.key": "" } : {},
      });
    await mk("s1", { env: "prod", tier: "web" });
    await mk("s2", { env: "dev" });
    await mk("s3", {});
    const names = async (query: string): Promise<string[]> => {
      const res = await call(kube, "GET", `${NS}/secrets?${query}`);
      if (res.status !== 200) return [`${res.status}:${res.json.message}`];
      return res.json.items.map((i: { metadata: { name: string } }) => i.metadata.name);
    };
    const cases: Array<[string, string[]]> = [
      ["labelSelector=env%3Dprod", ["s1"]],
      ["labelSelector=env%3D%3Dprod", ["s1"]],
      ["labelSelector=env!%3Dprod", ["s2", "s3"]],
      ["labelSelector=env%20in%20(prod,dev)", ["s1", "s2"]],
      ["labelSelector=env%20notin%20(prod)", ["s2", "s3"]],
      ["labelSelector=tier", ["s1"]],
      ["labelSelector=!env", ["s3"]],
      ["labelSelector=env,tier%3Dweb", ["s1"]],
      ["fieldSelector=metadata.name%3Ds2", ["s2"]],
      ["fieldSelector=metadata.name!%3Ds2", ["s1", "s3"]],
      ["fieldSelector=type%3Dkubernetes.io/tls", ["s3"]],
      ["fieldSelector=metadata.namespace%3Dwatching,metadata.name%3D%3Ds1", ["s1"]],
      ["fieldSelector=spec.x%3D1", ["400:field label not supported: spec.x"]],
    ];
    for (const [query, expected] of cases) expect([query, await names(query)]).toEqual([query, expected]);
    expect((await call(kube, "GET", `${NS}/secrets?labelSelector=a%20in%20(`)).status).toBe(400);
  });

  it("R5: headers arrive before any event on a raw socket", async () => {
    const { port } = new URL(kube.url);
    const socket = net.connect(Number(port), "127.0.0.1");
    const head = await new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (d) => {
        text += d.toString();
        if (text.includes("\r\n\r\n")) resolve(text);
      });
      socket.write(
        `GET ${NS}/events?watch=true&resourceVersion=999999999 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${kube.adminToken}\r\n\r\n`,
      );
    });
    socket.destroy();
    expect(head).toMatch(/^HTTP\/1.1 200 OK/);
    expect(head.toLowerCase()).toContain("content-type: application/json");
    expect(head.toLowerCase()).toContain("transfer-encoding: chunked");
  });

  it("R6: RV=0 gives synthetic ADDED; RV=N resumes without replay; DELETED carries the deletion RV", async () => {
    const initial = await openWatch(
      kube,
      `${CMS}?watch=true&resourceVersion=0&fieldSelector=metadata.name%3Da`,
    );
    const [added] = await initial.next();
    expect(added?.type).toBe("ADDED");
    initial.close();
    const rv = (await call(kube, "GET", CMS)).json.metadata.resourceVersion;
    const stream = await openWatch(kube, `${CMS}?watch=1&resourceVersion=${rv}`);
    await call(kube, "PATCH", `${CMS}/a`, { data: { x: "1" } }, MERGE);
    await call(kube, "DELETE", `${CMS}/a`);
    const [modified, deleted] = await stream.next(2);
    expect(modified?.type).toBe("MODIFIED");
    expect(modified?.object).toMatchObject({ kind: "ConfigMap", apiVersion: "v1", data: { x: "1" } });
    expect(deleted?.type).toBe("DELETED");
    expect(Number(deleted?.object.metadata.resourceVersion)).toBeGreaterThan(
      Number(modified?.object.metadata.resourceVersion),
    );
    stream.close();
    const resumed = await openWatch(
      kube,
      `${CMS}?watch=1&resourceVersion=${modified?.object.metadata.resourceVersion}`,
    );
    const [only] = await resumed.next();
    expect(only?.type).toBe("DELETED");
    await new Promise((r) => setTimeout(r, 100));
    expect(resumed.events.length).toBe(1);
    resumed.close();
  });

  it("R6: a too-old RV gets 200, an ERROR 410 event, then a clean end", async () => {
    await call(kube, "POST", CMS, { metadata: { name: "old" } });
    kube.hooks.compactHistory();
    const stream = await openWatch(kube, `${CMS}?watch=true&resourceVersion=2`);
    expect(stream.status).toBe(200);
    await stream.ended;
    expect(stream.events).toEqual([
      {
        type: "ERROR",
        object: {
          kind: "Status",
          apiVersion: "v1",
          metadata: {},
          status: "Failure",
          message: expect.stringMatching(/^too old resource version: 2 \(\d+\)$/),
          reason: "Expired",
          details: {},
          code: 410,
        },
      },
    ]);
  });

  it("R6: selector transitions become ADDED and DELETED; bookmarks only on request; timeoutSeconds ends cleanly", async () => {
    const rv = (await call(kube, "GET", CMS)).json.metadata.resourceVersion;
    const stream = await openWatch(
      kube,
      `${CMS}?watch=true&resourceVersion=${rv}&labelSelector=role%3Dx&allowWatchBookmarks=true&timeoutSeconds=2`,
    );
    await call(kube, "POST", CMS, { metadata: { name: "moving" } });
    await call(kube, "PATCH", `${CMS}/moving`, { metadata: { labels: { role: "x" } } }, MERGE);
    await call(kube, "PATCH", `${CMS}/moving`, { metadata: { labels: { role: "y" } } }, MERGE);
    await stream.ended;
    const changes = stream.events.filter((e) => e.type !== "BOOKMARK");
    expect(changes.map((e) => e.type)).toEqual(["ADDED", "DELETED"]);
    const bookmark = stream.events.find((e) => e.type === "BOOKMARK");
    expect(bookmark?.object).toEqual({
      kind: "ConfigMap",
      apiVersion: "v1",
      metadata: { resourceVersion: expect.stringMatching(/^\d+$/) },
    });
    const plain = await openWatch(
      kube,
      `${CMS}?watch=true&resourceVersion=${rv}&labelSelector=role%3Dx&timeoutSeconds=1`,
    );
    await plain.ended;
    expect(plain.events.map((e) => e.type)).toEqual(["ADDED", "DELETED"]);
  });

  it("R7: writes to two kinds get strictly increasing RVs from one counter", async () => {
    const a = await call(kube, "POST", CMS, { metadata: { name: "rv1" } });
    const b = await call(kube, "POST", `${NS}/secrets`, { metadata: { name: "rv2" } });
    const c = await call(kube, "POST", CMS, { metadata: { name: "rv3" } });
    const rvs = [a, b, c].map((r) => Number(r.json.metadata.resourceVersion));
    expect(rvs[1]).toBe((rvs[0] ?? 0) + 1);
    expect(rvs[2]).toBe((rvs[1] ?? 0) + 1);
  });

  it("R6/R8: kubectl get -w prints the existing rows then live changes, once each", async () => {
    const child = (await import("node:child_process")).spawn(
      "kubectl",
      ["get", "cm", "-n", "watching", "-w", "--request-timeout=0"],
      {
        env: {
          ...process.env,
          KUBECONFIG: kube.kubeconfigPath,
          KUBECACHEDIR: `/tmp/lk-watch-${process.pid}`,
        },
      },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    try {
      await eventually(() => (out.includes("rv3") ? true : undefined));
      await call(kube, "POST", CMS, { metadata: { name: "live-one" }, data: { k: "v" } });
      await eventually(() => (out.includes("live-one") ? true : undefined));
      const lines = out.trim().split("\n");
      expect(lines[0]).toMatch(/^NAME\s+DATA\s+AGE$/);
      expect(lines.filter((l) => l.startsWith("live-one "))).toHaveLength(1);
      expect(lines.find((l) => l.startsWith("live-one "))).toMatch(/^live-one\s+1\s+\d+s$/);
    } finally {
      child.kill();
    }
  });

  it("R6: a client-node informer survives dropped streams and compaction (relist fires delete callbacks)", async () => {
    const api = kube.kubeConfig.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1ConfigMap>(
      kube.kubeConfig,
      "/api/v1/namespaces/watching/configmaps",
      () => api.listNamespacedConfigMap({ namespace: "watching" }),
    );
    const seen = new Set<string>();
    const deleted = new Set<string>();
    informer.on("add", (o) => seen.add(o.metadata?.name ?? ""));
    informer.on("delete", (o) => deleted.add(o.metadata?.name ?? ""));
    const errors: unknown[] = [];
    informer.on("error", (e) => errors.push(e));
    await informer.start();
    try {
      await eventually(() => (seen.has("rv1") ? true : undefined));
      kube.hooks.dropWatches();
      await call(kube, "POST", CMS, { metadata: { name: "after-drop" } });
      await eventually(() => (seen.has("after-drop") ? true : undefined));
      kube.hooks.dropWatches();
      kube.hooks.compactHistory();
      await call(kube, "DELETE", `${CMS}/after-drop`);
      await call(kube, "POST", CMS, { metadata: { name: "after-compaction" } });
      await eventually(() => (seen.has("after-compaction") && deleted.has("after-drop") ? true : undefined));
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
    }
  });
});
