import { jest } from "@jest/globals";
import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import { call, eventually, MERGE, WIDGETS } from "./client.js";
import { WIDGET_CRD } from "./fixtures.js";
import { openWatch } from "./watch.js";

const CMS = "/api/v1/namespaces/default/configmaps";
const SECRETS = "/api/v1/namespaces/default/secrets";

function aWidget(
  name: string,
  spec: Record<string, unknown> = { size: 2 },
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { apiVersion: "example.com/v1", kind: "Widget", metadata: { name, ...extra }, spec };
}

jest.setTimeout(30_000);

describe("localkube deletion, namespaces, built-in kinds and CRDs", () => {
  let kube: LocalKube;
  beforeAll(async () => {
    kube = await startLocalKube();
    await kube.kubectl(["apply", "-f", "-"], { input: WIDGET_CRD });
    await kube.kubectl(["wait", "--for=condition=Established", "crd/widgets.example.com"]);
  });
  afterAll(async () => {
    await kube.stop();
  });

  it("D1: an immediate delete answers a Success Status and emits one DELETED", async () => {
    const created = (await call(kube, "POST", CMS, { metadata: { name: "gone" } })).json;
    const stream = await openWatch(
      kube,
      `${CMS}?watch=true&resourceVersion=${created.metadata.resourceVersion}`,
    );
    const res = await call(kube, "DELETE", `${CMS}/gone`, { propagationPolicy: "Background" });
    expect(res.json).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Success",
      details: { name: "gone", kind: "configmaps", uid: created.metadata.uid },
      code: 200,
    });
    expect((await stream.next()).map((e) => e.type)).toEqual(["DELETED"]);
    stream.close();
    expect((await call(kube, "DELETE", `${CMS}/gone`)).status).toBe(404);
    await call(kube, "POST", CMS, { metadata: { name: "pre" } });
    const pre = await call(kube, "DELETE", `${CMS}/pre`, { preconditions: { uid: "not-it" } });
    expect(pre.status).toBe(409);
    expect((await kube.kubectl(["delete", "cm", "pre"])).stdout).toBe('configmap "pre" deleted\n');
  });

  it("D2: finalizers hold the object with deletionTimestamp until the last one is removed", async () => {
    const created = (
      await call(kube, "POST", WIDGETS, aWidget("held", { size: 2 }, { finalizers: ["example.com/hold"] }))
    ).json;
    const stream = await openWatch(
      kube,
      `${WIDGETS}?watch=true&resourceVersion=${created.metadata.resourceVersion}`,
    );
    expect((await kube.kubectl(["delete", "wd", "held", "--wait=false"])).stdout).toBe(
      'widget.example.com "held" deleted\n',
    );
    const held = (await call(kube, "GET", `${WIDGETS}/held`)).json;
    expect(held.metadata.deletionTimestamp).toBeDefined();
    expect(held.metadata.deletionGracePeriodSeconds).toBe(0);
    expect(held.metadata.generation).toBe(2);
    const again = await call(kube, "DELETE", `${WIDGETS}/held`);
    expect(again.json.metadata.resourceVersion).toBe(held.metadata.resourceVersion);
    const adding = await call(
      kube,
      "PATCH",
      `${WIDGETS}/held`,
      { metadata: { finalizers: ["example.com/hold", "x"] } },
      MERGE,
    );
    expect(adding.json.message).toBe(
      'Widget.example.com "held" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"x"}',
    );
    await call(kube, "PATCH", `${WIDGETS}/held`, { metadata: { finalizers: null } }, MERGE);
    expect((await stream.next(2)).map((e) => e.type)).toEqual(["MODIFIED", "DELETED"]);
    expect((await call(kube, "GET", `${WIDGETS}/held`)).status).toBe(404);
    stream.close();
  });

  it("K1: namespaces get defaults; delete shows Terminating, then the namespace is emptied and removed", async () => {
    const ns = (await call(kube, "POST", "/api/v1/namespaces", { metadata: { name: "doomed" } })).json;
    expect(ns.spec).toEqual({ finalizers: ["kubernetes"] });
    expect(ns.status).toEqual({ phase: "Active" });
    expect(ns.metadata.labels).toEqual({ "kubernetes.io/metadata.name": "doomed" });
    await call(kube, "POST", "/api/v1/namespaces/doomed/configmaps", {
      metadata: { name: "c", finalizers: ["example.com/hold"] },
    });
    await call(kube, "POST", "/api/v1/namespaces/doomed/secrets", { metadata: { name: "s" } });
    const del = await call(kube, "DELETE", "/api/v1/namespaces/doomed");
    expect([del.status, del.json.kind, del.json.status.phase]).toEqual([200, "Namespace", "Terminating"]);
    await eventually(async () =>
      (await call(kube, "GET", "/api/v1/namespaces/doomed/secrets/s")).status === 404 ? true : undefined,
    );
    expect((await call(kube, "GET", "/api/v1/namespaces/doomed")).json.status.phase).toBe("Terminating");
    await call(
      kube,
      "PATCH",
      "/api/v1/namespaces/doomed/configmaps/c",
      { metadata: { finalizers: null } },
      MERGE,
    );
    await eventually(async () =>
      (await call(kube, "GET", "/api/v1/namespaces/doomed")).status === 404 ? true : undefined,
    );
  });

  it("K2: Secrets take stringData and base64 data; bad base64 is 400; ConfigMap keys are checked", async () => {
    const secret = await call(kube, "POST", SECRETS, {
      metadata: { name: "s1" },
      stringData: { password: "hunter2" },
      data: { user: "YWRh" },
    });
    expect(secret.json.data).toEqual({ user: "YWRh", password: Buffer.from("hunter2").toString("base64") });
    expect(secret.json.stringData).toBeUndefined();
    expect(secret.json.type).toBe("Opaque");
    const bad = await call(kube, "POST", SECRETS, { metadata: { name: "s2" }, data: { x: "a$b" } });
    expect([bad.status, bad.json.message]).toEqual([
      400,
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 1',
    ]);
    const typeChange = await call(kube, "PATCH", `${SECRETS}/s1`, { type: "kubernetes.io/tls" }, MERGE);
    expect(typeChange.status).toBe(422);
    const kubectl = await kube.kubectl(["create", "secret", "generic", "s3", "--from-literal=token=abc"]);
    expect(kubectl.stdout).toBe("secret/s3 created\n");
    const read = (await call(kube, "GET", `${SECRETS}/s3`)).json;
    expect(Buffer.from(read.data.token, "base64").toString()).toBe("abc");
    const badKey = await call(kube, "POST", CMS, { metadata: { name: "keys" }, data: { "a/b": "x" } });
    expect(badKey.status).toBe(422);
    await call(kube, "POST", CMS, { metadata: { name: "frozen" }, data: { a: "1" }, immutable: true });
    expect((await call(kube, "PATCH", `${CMS}/frozen`, { data: { a: "2" } }, MERGE)).status).toBe(422);
  });

  it("K3: Events are one store served as core/v1 and events.k8s.io/v1; kubectl describe shows them", async () => {
    const cm = (await call(kube, "POST", CMS, { metadata: { name: "described" } })).json;
    const ev = await call(kube, "POST", "/apis/events.k8s.io/v1/namespaces/default/events", {
      metadata: { name: "described.1" },
      eventTime: "2026-01-01T00:00:00.000000Z",
      reportingController: "roster.dev/operator",
      reportingInstance: "roster-0",
      action: "Reconcile",
      reason: "Synced",
      type: "Normal",
      note: "all good",
      regarding: {
        kind: "ConfigMap",
        namespace: "default",
        name: "described",
        apiVersion: "v1",
        uid: cm.metadata.uid,
      },
    });
    expect(ev.status).toBe(201);
    expect(ev.json.note).toBe("all good");
    const core = await call(
      kube,
      "GET",
      "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Ddescribed",
    );
    expect(core.json.items).toHaveLength(1);
    expect(core.json.items[0]).toMatchObject({
      message: "all good",
      involvedObject: { name: "described" },
      reason: "Synced",
    });
    expect(ev.json.eventTime).toBe("2026-01-01T00:00:00.000000Z");
    const missing = await call(kube, "POST", "/apis/events.k8s.io/v1/namespaces/default/events", {
      metadata: { name: "e2" },
      type: "Odd",
    });
    expect(missing.status).toBe(422);
    expect(missing.json.details.causes.map((c: { field: string }) => c.field)).toEqual(
      expect.arrayContaining([
        "eventTime",
        "type",
        "reportingController",
        "reportingInstance",
        "action",
        "reason",
      ]),
    );
    const wrongNs = await call(kube, "POST", "/api/v1/namespaces/default/events", {
      metadata: { name: "e3" },
      involvedObject: { kind: "ConfigMap", namespace: "kube-system", name: "x" },
      reason: "R",
      message: "m",
    });
    expect(wrongNs.json.message).toBe(
      'Event "e3" is invalid: involvedObject.namespace: Invalid value: "kube-system": does not match event.namespace',
    );
    const table = await kube.kubectl(["get", "events", "--field-selector=reason=Synced"]);
    expect(table.stdout.split("\n")[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(table.stdout.split("\n")[1]).toMatch(/^\S+\s+Normal\s+Synced\s+configmap\/described\s+all good$/);
    const describe = await kube.kubectl(["describe", "cm", "described"]);
    expect(describe.stdout).toMatch(/Normal\s+Synced.*all good/);
  });

  it("K4: Leases need an RV on update; two electors racing leave one holder", async () => {
    const LEASES = "/apis/coordination.k8s.io/v1/namespaces/default/leases";
    const lease = (
      await call(kube, "POST", LEASES, { metadata: { name: "leader" }, spec: { leaseDurationSeconds: 15 } })
    ).json;
    const noRv = await call(kube, "PUT", `${LEASES}/leader`, {
      metadata: { name: "leader" },
      spec: { holderIdentity: "a" },
    });
    expect(noRv.status).toBe(422);
    const now = new Date().toISOString();
    const attempts = await Promise.all(
      ["a", "b"].map((holder) =>
        call(kube, "PUT", `${LEASES}/leader`, {
          ...lease,
          spec: { ...lease.spec, holderIdentity: holder, renewTime: now, acquireTime: now },
        }),
      ),
    );
    expect(attempts.map((a) => a.status).sort()).toEqual([200, 409]);
    const winner = attempts.find((a) => a.status === 200)?.json;
    expect(winner.spec.renewTime).toBe(now.replace("Z", "000Z"));
    expect(
      (await call(kube, "POST", LEASES, { metadata: { name: "bad" }, spec: { leaseDurationSeconds: 0 } }))
        .status,
    ).toBe(422);
  });

  it("C1/C2: CRD validation and status conditions", async () => {
    const bad = await call(kube, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", {
      metadata: { name: "wrong.example.com" },
      spec: {
        group: "example.com",
        scope: "Namespaced",
        names: { plural: "things", kind: "Thing" },
        versions: [
          { name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object" } } },
        ],
      },
    });
    expect(bad.status).toBe(422);
    const crd = (
      await call(kube, "GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com")
    ).json;
    expect(crd.metadata.finalizers).toEqual(["customresourcecleanup.apiextensions.k8s.io"]);
    expect(crd.spec.names.listKind).toBe("WidgetList");
    expect(crd.status.acceptedNames.kind).toBe("Widget");
    expect(crd.status.storedVersions).toEqual(["v1"]);
    expect(
      crd.status.conditions.map((c: { type: string; status: string; reason: string }) => [
        c.type,
        c.status,
        c.reason,
      ]),
    ).toEqual([
      ["NamesAccepted", "True", "NoConflicts"],
      ["Established", "True", "InitialNamesAccepted"],
    ]);
  });

  it("C2: a CRD whose names are taken is not accepted and not served", async () => {
    const crd = WIDGET_CRD.replace("name: widgets.example.com", "name: gizmos.example.com").replace(
      "plural: widgets",
      "plural: gizmos",
    );
    await kube.kubectl(["apply", "-f", "-"], { input: crd });
    const status = await eventually(async () => {
      const got = (
        await call(kube, "GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.example.com")
      ).json;
      return got.status?.conditions ? got.status : undefined;
    });
    expect(
      status.conditions.map((c: { type: string; status: string; reason: string }) => [
        c.type,
        c.status,
        c.reason,
      ]),
    ).toEqual([["NamesAccepted", "False", "NotAccepted"]]);
    expect((await call(kube, "GET", "/apis/example.com/v1/namespaces/default/gizmos")).status).toBe(404);
    const original = (
      await call(kube, "GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com")
    ).json;
    expect(original.status.conditions[0].status).toBe("True");
    await call(kube, "DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.example.com");
  });

  it("C4/C5/C6: schema validation messages, pruning and defaulting", async () => {
    const invalid = await call(kube, "POST", WIDGETS, aWidget("bad", { size: "big", mode: "medium" }));
    expect(invalid.status).toBe(422);
    expect(invalid.json.details.causes).toEqual(
      expect.arrayContaining([
        {
          reason: "FieldValueTypeInvalid",
          field: "spec.size",
          message: 'Invalid value: "string": spec.size in body must be of type integer: "string"',
        },
        {
          reason: "FieldValueNotSupported",
          field: "spec.mode",
          message: 'Unsupported value: "medium": supported values: "fast", "slow"',
        },
      ]),
    );
    const small = await call(kube, "POST", WIDGETS, aWidget("small", { size: 0 }));
    expect(small.json.message).toBe(
      'Widget.example.com "small" is invalid: spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1',
    );
    const pruned = await call(kube, "POST", `${WIDGETS}?fieldValidation=Ignore`, {
      ...aWidget("pruned", { extra: true }),
      junk: 1,
    });
    expect(pruned.json.spec).toEqual({ size: 1 });
    expect(pruned.json.junk).toBeUndefined();
  });

  it("C3: deleting a CRD deletes its custom resources, then the CRD", async () => {
    const crd = WIDGET_CRD.replace(/widgets/g, "doodads")
      .replace(/widget/g, "doodad")
      .replace(/Widget/g, "Doodad")
      .replace("[wd]", "[dd]");
    await kube.kubectl(["apply", "-f", "-"], { input: crd });
    await kube.kubectl(["wait", "--for=condition=Established", "crd/doodads.example.com"]);
    const path = "/apis/example.com/v1/namespaces/default/doodads";
    const first = (
      await call(kube, "POST", path, {
        apiVersion: "example.com/v1",
        kind: "Doodad",
        metadata: { name: "d1" },
      })
    ).json;
    const stream = await openWatch(
      kube,
      `${path}?watch=true&resourceVersion=${first.metadata.resourceVersion}`,
    );
    await call(kube, "DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/doodads.example.com");
    expect((await stream.next()).map((e) => e.type)).toEqual(["DELETED"]);
    await eventually(async () =>
      (await call(kube, "GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/doodads.example.com"))
        .status === 404
        ? true
        : undefined,
    );
    await stream.ended;
  });

  it("C8: kubectl get -o wide shows priority columns and the Ready condition via a JSONPath filter", async () => {
    await call(kube, "POST", WIDGETS, aWidget("wide", { size: 4, mode: "fast" }));
    await call(
      kube,
      "PATCH",
      `${WIDGETS}/wide/status`,
      { status: { conditions: [{ type: "Ready", status: "True" }] } },
      MERGE,
    );
    const out = await kube.kubectl(["get", "wd", "wide", "-o", "wide"]);
    const [header, row] = out.stdout.trim().split("\n");
    expect(header).toMatch(/^NAME\s+SIZE\s+MODE\s+READY\s+AGE$/);
    expect(row).toMatch(/^wide\s+4\s+fast\s+True\s+\d+s$/);
    const selected = await kube.kubectl(["get", "wd", "--field-selector=spec.mode=fast", "-o", "name"]);
    expect(selected.stdout).toBe("widget.example.com/wide\n");
    const unsupported = await call(kube, "GET", `${WIDGETS}?fieldSelector=spec.size%3D4`);
    expect([unsupported.status, unsupported.json.message]).toEqual([
      400,
      "field label not supported: spec.size",
    ]);
    const narrow = await kube.kubectl(["get", "wd", "wide"]);
    expect(narrow.stdout.split("\n")[0]).toMatch(/^NAME\s+SIZE\s+READY\s+AGE$/);
  });

  it("C7/C3: CEL transition rules with oldSelf, and every served version of a multi-version CRD", async () => {
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "tickets.example.com" },
      spec: {
        group: "example.com",
        scope: "Namespaced",
        names: { plural: "tickets", kind: "Ticket" },
        versions: ["v1beta1", "v1"].map((name) => ({
          name,
          served: true,
          storage: name === "v1",
          schema: {
            openAPIV3Schema: {
              type: "object",
              properties: {
                spec: {
                  type: "object",
                  properties: {
                    owner: {
                      type: "string",
                      "x-kubernetes-validations": [
                        { rule: "self == oldSelf", message: "owner is immutable" },
                      ],
                    },
                  },
                },
              },
            },
          },
        })),
      },
    };
    await call(kube, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
    await kube.kubectl(["wait", "--for=condition=Established", "crd/tickets.example.com"]);
    const base = "/apis/example.com/v1/namespaces/default/tickets";
    await call(kube, "POST", base, {
      apiVersion: "example.com/v1",
      kind: "Ticket",
      metadata: { name: "t1" },
      spec: { owner: "ada" },
    });
    const change = await call(kube, "PATCH", `${base}/t1`, { spec: { owner: "bob" } }, MERGE);
    expect([change.status, change.json.message]).toEqual([
      422,
      'Ticket.example.com "t1" is invalid: spec.owner: Invalid value: "string": owner is immutable',
    ]);
    const beta = await call(kube, "GET", "/apis/example.com/v1beta1/namespaces/default/tickets/t1");
    expect(beta.json.apiVersion).toBe("example.com/v1beta1");
    expect(beta.json.spec.owner).toBe("ada");
    const groups = (await call(kube, "GET", "/apis/example.com")).json;
    expect(groups.preferredVersion.version).toBe("v1");
  });

  it("D3: garbage collection of dependents for Background, Foreground and Orphan deletes", async () => {
    const owner = async (
      name: string,
    ): Promise<{ apiVersion: string; kind: string; name: string; uid: string }> => {
      const created = (await call(kube, "POST", CMS, { metadata: { name } })).json;
      await call(kube, "POST", SECRETS, {
        metadata: {
          name: `${name}-dep`,
          ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name, uid: created.metadata.uid }],
        },
      });
      return { apiVersion: "v1", kind: "ConfigMap", name, uid: created.metadata.uid };
    };
    const gone = (path: string) => async () =>
      (await call(kube, "GET", path)).status === 404 ? true : undefined;
    await owner("bg");
    await kube.kubectl(["delete", "cm", "bg"]);
    await eventually(gone(`${SECRETS}/bg-dep`));
    await owner("fg");
    const fg = await kube.kubectl(["delete", "cm", "fg", "--cascade=foreground"]);
    expect(fg.stdout).toBe('configmap "fg" deleted\n');
    expect((await call(kube, "GET", `${SECRETS}/fg-dep`)).status).toBe(404);
    await owner("orph");
    await kube.kubectl(["delete", "cm", "orph", "--cascade=orphan"]);
    await eventually(gone(`${CMS}/orph`));
    const kept = await call(kube, "GET", `${SECRETS}/orph-dep`);
    expect([kept.status, kept.json.metadata.ownerReferences]).toEqual([200, undefined]);
  });
});
