import { jest } from "@jest/globals";
import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import { APPLY, call, JSON_PATCH, MERGE, STRATEGIC, WIDGETS } from "./client.js";
import { WIDGET_CRD } from "./fixtures.js";

const CMS = "/api/v1/namespaces/default/configmaps";

function aWidget(name: string, spec: Record<string, unknown> = { size: 2 }): Record<string, unknown> {
  return { apiVersion: "example.com/v1", kind: "Widget", metadata: { name }, spec };
}

jest.setTimeout(30_000);

describe("localkube writes (W1-W9, S1, G1)", () => {
  let kube: LocalKube;
  beforeAll(async () => {
    kube = await startLocalKube();
    await kube.kubectl(["apply", "-f", "-"], { input: WIDGET_CRD });
    await kube.kubectl(["wait", "--for=condition=Established", "crd/widgets.example.com"]);
  });
  afterAll(async () => {
    await kube.stop();
  });

  it("W1: create sets uid, timestamps, generation and ignores client values", async () => {
    const res = await call(kube, "POST", WIDGETS, {
      ...aWidget("w-create"),
      metadata: { name: "w-create", uid: "mine", generation: 9 },
    });
    expect(res.status).toBe(201);
    const meta = res.json.metadata;
    expect(meta.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(meta.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(meta.generation).toBe(1);
    expect(meta.namespace).toBe("default");
    const cm = await call(kube, "POST", CMS, { metadata: { name: "cm-create" } });
    expect(cm.json.metadata.generation).toBeUndefined();
  });

  it("W1: create rules — RV rejected, generateName, duplicates, missing and terminating namespaces, no name", async () => {
    expect(
      (await call(kube, "POST", CMS, { metadata: { name: "x", resourceVersion: "5" } })).json.message,
    ).toBe("resourceVersion should not be set on objects to be created");
    const gen = await call(kube, "POST", CMS, { metadata: { generateName: "gen-" } });
    expect(gen.json.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const dup = await call(kube, "POST", WIDGETS, aWidget("w-create"));
    expect([dup.status, dup.json.reason, dup.json.message]).toEqual([
      409,
      "AlreadyExists",
      'widgets.example.com "w-create" already exists',
    ]);
    const noNs = await call(kube, "POST", "/api/v1/namespaces/nope/configmaps", { metadata: { name: "a" } });
    expect([noNs.status, noNs.json.message]).toEqual([404, 'namespaces "nope" not found']);
    const mismatch = await call(kube, "POST", CMS, { metadata: { name: "a", namespace: "kube-system" } });
    expect(mismatch.status).toBe(400);
    const noName = await call(kube, "POST", CMS, { metadata: {} });
    expect(noName.status).toBe(422);
    await call(kube, "POST", "/api/v1/namespaces", { metadata: { name: "t1" } });
    await call(kube, "POST", "/api/v1/namespaces/t1/configmaps", {
      metadata: { name: "keep", finalizers: ["example.com/hold"] },
    });
    await call(kube, "DELETE", "/api/v1/namespaces/t1");
    const term = await call(kube, "POST", "/api/v1/namespaces/t1/configmaps", { metadata: { name: "b" } });
    expect([term.status, term.json.reason, term.json.message]).toEqual([
      403,
      "Forbidden",
      'configmaps "b" is forbidden: unable to create new content in namespace t1 because it is being terminated',
    ]);
  });

  it("W2/W3: stale RV gives Kubernetes' 409 and kubectl prints it; missing RV on a CR is 422", async () => {
    const created = (await call(kube, "POST", WIDGETS, aWidget("w-rv"))).json;
    const first = await call(kube, "PUT", `${WIDGETS}/w-rv`, { ...created, spec: { size: 3 } });
    expect(first.status).toBe(200);
    const second = await call(kube, "PUT", `${WIDGETS}/w-rv`, { ...created, spec: { size: 4 } });
    expect(second.json).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message:
        'Operation cannot be fulfilled on widgets.example.com "w-rv": the object has been modified; please apply your changes to the latest version and try again',
      reason: "Conflict",
      details: { name: "w-rv", group: "example.com", kind: "widgets" },
      code: 409,
    });
    const noRv = await call(kube, "PUT", `${WIDGETS}/w-rv`, aWidget("w-rv"));
    expect([noRv.status, noRv.json.message]).toEqual([
      422,
      'Widget.example.com "w-rv" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    ]);
    const cm = await call(kube, "PUT", `${CMS}/cm-create`, {
      metadata: { name: "cm-create" },
      data: { a: "1" },
    });
    expect(cm.status).toBe(200);
    const wrongName = await call(kube, "PUT", `${CMS}/cm-create`, { metadata: { name: "other" } });
    expect(wrongName.json.message).toBe(
      "the name of the object (other) does not match the name on the URL (cm-create)",
    );
    expect((await call(kube, "PUT", `${CMS}/absent`, { metadata: { name: "absent" } })).status).toBe(404);
  });

  it("W3: exactly one of two racing PUTs with the same RV wins", async () => {
    const obj = (await call(kube, "POST", WIDGETS, aWidget("w-race"))).json;
    const results = await Promise.all(
      [1, 2].map((n) => call(kube, "PUT", `${WIDGETS}/w-race`, { ...obj, spec: { size: 10 + n } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it("W4: no-op writes keep the RV; kubectl reports 'patched (no change)'", async () => {
    const obj = (await call(kube, "POST", WIDGETS, aWidget("w-noop"))).json;
    const again = await call(kube, "PUT", `${WIDGETS}/w-noop`, obj);
    expect(again.json.metadata.resourceVersion).toBe(obj.metadata.resourceVersion);
    const statusOnMain = await call(
      kube,
      "PATCH",
      `${WIDGETS}/w-noop`,
      { status: { observedGeneration: 7 } },
      MERGE,
    );
    expect(statusOnMain.json.metadata.resourceVersion).toBe(obj.metadata.resourceVersion);
    const out = await kube.kubectl(["patch", "wd", "w-noop", "--type=merge", "-p", '{"spec":{"size":2}}']);
    expect(out.stdout).toBe("widget.example.com/w-noop patched (no change)\n");
  });

  it("W5: merge, JSON and strategic patches with their error codes", async () => {
    await call(kube, "POST", CMS, {
      metadata: { name: "cm-patch", labels: { a: "1" }, finalizers: ["x.io/one"] },
      data: { k: "v" },
    });
    const merged = await call(kube, "PATCH", `${CMS}/cm-patch`, { data: { k: null, n: "2" } }, MERGE);
    expect(merged.json.data).toEqual({ n: "2" });
    const json = await call(
      kube,
      "PATCH",
      `${CMS}/cm-patch`,
      [{ op: "add", path: "/data/j", value: "3" }],
      JSON_PATCH,
    );
    expect(json.json.data).toEqual({ n: "2", j: "3" });
    const failed = await call(
      kube,
      "PATCH",
      `${CMS}/cm-patch`,
      [{ op: "test", path: "/data/j", value: "nope" }],
      JSON_PATCH,
    );
    expect(failed.status).toBe(422);
    const malformed = await call(kube, "PATCH", `${CMS}/cm-patch`, '{"op":', JSON_PATCH);
    expect(malformed.status).toBe(400);
    const smp = await call(
      kube,
      "PATCH",
      `${CMS}/cm-patch`,
      { metadata: { finalizers: ["x.io/two"] } },
      STRATEGIC,
    );
    expect(smp.json.metadata.finalizers).toEqual(["x.io/one", "x.io/two"]);
    const onCr = await call(kube, "PATCH", `${WIDGETS}/w-create`, { spec: { size: 3 } }, STRATEGIC);
    expect([onCr.status, onCr.json.message]).toEqual([
      415,
      "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
    ]);
    const precondition = await call(
      kube,
      "PATCH",
      `${CMS}/cm-patch`,
      { metadata: { resourceVersion: "1" }, data: { z: "1" } },
      MERGE,
    );
    expect(precondition.status).toBe(409);
    expect((await call(kube, "PATCH", `${CMS}/missing`, { data: {} }, MERGE)).status).toBe(404);
    expect((await call(kube, "PATCH", `${CMS}/cm-patch`, {}, { "Content-Type": "text/plain" })).status).toBe(
      415,
    );
    await call(kube, "PATCH", `${CMS}/cm-patch`, { metadata: { finalizers: null } }, MERGE);
  });

  it("W5: kubectl label, annotate, patch --type=json/strategic and replace", async () => {
    await kube.kubectl(["create", "configmap", "cm-kubectl", "--from-literal=a=1"]);
    expect((await kube.kubectl(["label", "cm", "cm-kubectl", "team=blue"])).stdout).toBe(
      "configmap/cm-kubectl labeled\n",
    );
    expect((await kube.kubectl(["annotate", "cm", "cm-kubectl", "note=hi"])).stdout).toBe(
      "configmap/cm-kubectl annotated\n",
    );
    await kube.kubectl([
      "patch",
      "cm",
      "cm-kubectl",
      "--type=json",
      "-p",
      '[{"op":"add","path":"/data/b","value":"2"}]',
    ]);
    await kube.kubectl(["patch", "cm", "cm-kubectl", "-p", '{"data":{"c":"3"}}']);
    const got = JSON.parse((await kube.kubectl(["get", "cm", "cm-kubectl", "-o", "json"])).stdout);
    expect(got.metadata.labels).toEqual({ team: "blue" });
    expect(got.metadata.annotations).toEqual({ note: "hi" });
    expect(got.data).toEqual({ a: "1", b: "2", c: "3" });
    got.data = { only: "this" };
    expect((await kube.kubectl(["replace", "-f", "-"], { input: JSON.stringify(got) })).stdout).toBe(
      "configmap/cm-kubectl replaced\n",
    );
    const unlabeled = await kube.kubectl(["label", "cm", "cm-kubectl", "team-"]);
    expect(unlabeled.stdout).toBe("configmap/cm-kubectl unlabeled\n");
    const after = (await call(kube, "GET", `${CMS}/cm-kubectl`)).json;
    expect(after.data).toEqual({ only: "this" });
    expect(after.metadata.labels).toBeUndefined();
  });

  it("W6: server-side apply creates, conflicts with another manager, and force takes ownership", async () => {
    const create = await call(
      kube,
      "PATCH",
      `${WIDGETS}/w-ssa?fieldManager=alice`,
      aWidget("w-ssa", { size: 3 }),
      APPLY,
    );
    expect(create.status).toBe(201);
    expect(create.json.metadata.managedFields[0]).toMatchObject({
      manager: "alice",
      operation: "Apply",
      fieldsType: "FieldsV1",
    });
    await call(kube, "PATCH", `${WIDGETS}/w-ssa?fieldManager=kubectl-patch`, { spec: { size: 5 } }, MERGE);
    const conflict = await call(
      kube,
      "PATCH",
      `${WIDGETS}/w-ssa?fieldManager=alice`,
      aWidget("w-ssa", { size: 3 }),
      APPLY,
    );
    expect([conflict.status, conflict.json.message]).toEqual([
      409,
      'Apply failed with 1 conflict: conflict with "kubectl-patch" using example.com/v1: .spec.size',
    ]);
    const forced = await call(
      kube,
      "PATCH",
      `${WIDGETS}/w-ssa?fieldManager=alice&force=true`,
      aWidget("w-ssa", { size: 3 }),
      APPLY,
    );
    expect(forced.json.spec.size).toBe(3);
    const again = await call(
      kube,
      "PATCH",
      `${WIDGETS}/w-ssa?fieldManager=alice`,
      aWidget("w-ssa", { size: 3 }),
      APPLY,
    );
    expect(again.json.metadata.resourceVersion).toBe(forced.json.metadata.resourceVersion);
    const noManager = await call(kube, "PATCH", `${WIDGETS}/w-ssa`, aWidget("w-ssa"), APPLY);
    expect(noManager.status).toBe(422);
    const kubectl = await kube.kubectl(["apply", "--server-side", "-f", "-"], {
      input: JSON.stringify(aWidget("w-ssa2", { size: 4 })),
    });
    expect(kubectl.stdout).toBe("widget.example.com/w-ssa2 serverside-applied\n");
  });

  it("W7: fieldValidation Strict, Warn (Warning header) and Ignore", async () => {
    const body = aWidget("w-fv", { size: 1, colour: "red" });
    const strict = await call(kube, "POST", `${WIDGETS}?fieldValidation=Strict`, body);
    expect([strict.status, strict.json.message]).toEqual([
      400,
      'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.colour"',
    ]);
    const warn = await call(kube, "POST", `${WIDGETS}?fieldValidation=Warn`, body);
    expect(warn.status).toBe(201);
    expect(warn.headers.get("warning")).toBe('299 - "unknown field \\"spec.colour\\""');
    expect(warn.json.spec).toEqual({ size: 1 });
    const ignore = await call(
      kube,
      "POST",
      `${WIDGETS}?fieldValidation=Ignore`,
      aWidget("w-fv2", { size: 1, colour: "red" }),
    );
    expect(ignore.headers.get("warning")).toBeNull();
    const typo = await kube.kubectl(["apply", "-f", "-"], {
      input: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: typo}\ndatas: {a: b}\n",
    });
    expect(typo.stderr).toContain('strict decoding error: unknown field "datas"');
    const builtinWarn = await call(kube, "POST", CMS, { metadata: { name: "typo", bogus: 1 }, datas: {} });
    expect(builtinWarn.headers.get("warning")).toBe(
      '299 - "unknown field \\"metadata.bogus\\"", 299 - "unknown field \\"datas\\""',
    );
  });

  it("W8: dryRun=All validates and persists nothing", async () => {
    const before = (await call(kube, "GET", CMS)).json.metadata.resourceVersion;
    const dry = await call(kube, "POST", `${CMS}?dryRun=All`, { metadata: { name: "dry" } });
    expect(dry.status).toBe(201);
    expect((await call(kube, "GET", `${CMS}/dry`)).status).toBe(404);
    expect((await call(kube, "GET", CMS)).json.metadata.resourceVersion).toBe(before);
    const out = await kube.kubectl(["create", "configmap", "dry2", "--dry-run=server"]);
    expect(out.stdout).toBe("configmap/dry2 created (server dry run)\n");
  });

  it("W9: metadata validation gives 422 for bad labels, names and finalizers", async () => {
    const label = await call(kube, "POST", CMS, { metadata: { name: "bad-label", labels: { "a b": "c" } } });
    expect(label.status).toBe(422);
    expect(label.json.details.causes[0].field).toBe("metadata.labels");
    expect((await call(kube, "POST", CMS, { metadata: { name: "Bad_Name" } })).status).toBe(422);
    expect(
      (await call(kube, "POST", CMS, { metadata: { name: "long-value", labels: { a: "x".repeat(64) } } }))
        .status,
    ).toBe(422);
    const kubectl = await kube.kubectl(["label", "cm", "cm-create", "bad key=x"]);
    expect(kubectl.code).not.toBe(0);
  });

  it("S1: /status changes only status; the main endpoint drops status changes", async () => {
    const obj = (
      await call(kube, "POST", WIDGETS, { ...aWidget("w-status"), status: { observedGeneration: 5 } })
    ).json;
    expect(obj.status).toBeUndefined();
    const put = await call(kube, "PUT", `${WIDGETS}/w-status/status`, {
      ...obj,
      spec: { size: 99 },
      status: { observedGeneration: 1 },
    });
    expect(put.json.spec.size).toBe(2);
    expect(put.json.status).toEqual({ observedGeneration: 1 });
    expect(put.json.metadata.generation).toBe(1);
    const out = await kube.kubectl([
      "patch",
      "wd",
      "w-status",
      "--subresource=status",
      "--type=merge",
      "-p",
      '{"status":{"observedGeneration":2}}',
    ]);
    expect(out.stdout).toBe("widget.example.com/w-status patched\n");
    const main = await call(
      kube,
      "PATCH",
      `${WIDGETS}/w-status`,
      { status: { observedGeneration: 3 } },
      MERGE,
    );
    expect(main.json.status).toEqual({ observedGeneration: 2 });
  });

  it("G1: generation bumps on spec changes only, and kubectl wait honours observedGeneration", async () => {
    const obj = (await call(kube, "POST", WIDGETS, aWidget("w-gen"))).json;
    const labelled = await call(
      kube,
      "PATCH",
      `${WIDGETS}/w-gen`,
      { metadata: { labels: { a: "b" } } },
      MERGE,
    );
    expect(labelled.json.metadata.generation).toBe(1);
    const spec = await call(kube, "PATCH", `${WIDGETS}/w-gen`, { spec: { size: 7 } }, MERGE);
    expect(spec.json.metadata.generation).toBe(2);
    const ready = (observedGeneration: number): unknown => ({
      status: {
        observedGeneration,
        conditions: [
          {
            type: "Ready",
            status: "True",
            observedGeneration,
            reason: "Done",
            message: "",
            lastTransitionTime: obj.metadata.creationTimestamp,
          },
        ],
      },
    });
    await call(kube, "PATCH", `${WIDGETS}/w-gen/status`, ready(1), MERGE);
    const stale = await kube.kubectl(["wait", "--for=condition=Ready", "wd/w-gen", "--timeout=1s"]);
    expect(stale.code).not.toBe(0);
    await call(kube, "PATCH", `${WIDGETS}/w-gen/status`, ready(2), MERGE);
    const fresh = await kube.kubectl(["wait", "--for=condition=ready", "wd/w-gen", "--timeout=10s"]);
    expect(fresh.stdout).toBe("widget.example.com/w-gen condition met\n");
  });

  it("D1: deletecollection with a label selector and kubectl wait --for=delete", async () => {
    for (const name of ["dc-1", "dc-2", "dc-keep"])
      await call(kube, "POST", CMS, {
        metadata: { name, labels: { batch: name === "dc-keep" ? "no" : "yes" } },
      });
    const res = await call(kube, "DELETE", `${CMS}?labelSelector=batch%3Dyes`);
    expect(res.status).toBe(200);
    const left = (await call(kube, "GET", `${CMS}?labelSelector=batch`)).json.items.map(
      (i: { metadata: { name: string } }) => i.metadata.name,
    );
    expect(left).toEqual(["dc-keep"]);
    const waiting = kube.kubectl(["wait", "--for=delete", "cm/dc-keep", "--timeout=20s"]);
    await new Promise((r) => setTimeout(r, 300));
    await call(kube, "DELETE", `${CMS}/dc-keep`);
    expect((await waiting).code).toBe(0);
  });
});
