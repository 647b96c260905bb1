import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import { KubeClient } from "../../../operator/src/runtime/kube/client.js";
import type { KubeObject } from "../../../operator/src/runtime/kube/resource.js";
import { setCondition } from "../../../operator/src/runtime/status/conditions.js";
import { FinalizerHelper } from "../../../operator/src/runtime/status/finalizers.js";
import { StatusWriter } from "../../../operator/src/runtime/status/status-writer.js";
import { CONFIGMAPS, CountingClient, GADGETS, configMap, installGadgetCrd } from "./fixtures.js";

describe("StatusWriter and FinalizerHelper against the local API server", () => {
  let kube: LocalKube;
  let admin: KubeClient;

  beforeAll(async () => {
    kube = await startLocalKube();
    admin = new KubeClient(kube.kubeConfig);
    await installGadgetCrd(admin);
  });
  afterAll(async () => {
    await kube.stop();
  });

  const gadget = (name: string): KubeObject => ({
    apiVersion: "runtime.test/v1",
    kind: "Gadget",
    metadata: { name, namespace: "default" },
    spec: { size: 1 },
  });

  const readyStatus = (generation: number, status: "True" | "False") => ({
    observedGeneration: generation,
    conditions: setCondition(
      [],
      { type: "Ready", status, reason: status === "True" ? "Synced" : "Failing", message: "Checked." },
      { now: Date.parse("2026-01-01T00:00:00Z"), observedGeneration: generation },
    ),
  });

  it("writes a changed status once and makes zero writes for an identical one", async () => {
    const client = new CountingClient(kube.kubeConfig);
    const writer = new StatusWriter(client, GADGETS);
    const created = await admin.create(GADGETS, gadget("noop"));
    const first = await writer.write(created, readyStatus(1, "True"));
    expect(first.kind).toBe("written");
    expect(client.writes()).toBe(1);
    const stored = await admin.get(GADGETS, { namespace: "default", name: "noop" });
    expect(stored.status).toEqual(readyStatus(1, "True"));

    const second = await writer.write(stored, readyStatus(1, "True"));
    expect(second.kind).toBe("unchanged");
    expect(client.writes()).toBe(1);
    const again = await admin.get(GADGETS, { namespace: "default", name: "noop" });
    expect(again.metadata?.resourceVersion).toBe(stored.metadata?.resourceVersion);
  });

  it("removes fields that the new status no longer has", async () => {
    const writer = new StatusWriter(admin, GADGETS);
    const created = await admin.create(GADGETS, gadget("shrink"));
    const written = await writer.write(created, { ...readyStatus(1, "True"), note: "temporary" });
    expect(written.kind).toBe("written");
    const stored = await admin.get(GADGETS, { namespace: "default", name: "shrink" });
    await writer.write(stored, readyStatus(1, "True"));
    const after = await admin.get(GADGETS, { namespace: "default", name: "shrink" });
    expect(after.status).toEqual(readyStatus(1, "True"));
  });

  it("recovers from a stale cached object (409) by re-reading and retrying", async () => {
    const client = new CountingClient(kube.kubeConfig);
    const writer = new StatusWriter(client, GADGETS);
    const stale = await admin.create(GADGETS, gadget("stale"));
    await admin.mergePatch(GADGETS, { namespace: "default", name: "stale" }, { spec: { size: 2 } });
    const outcome = await writer.write(stale, readyStatus(2, "False"));
    expect(outcome.kind).toBe("written");
    expect(client.counts.get("PATCH")).toBe(2);
    expect(client.counts.get("GET")).toBe(1);
    const stored = await admin.get(GADGETS, { namespace: "default", name: "stale" });
    expect(stored.status).toEqual(readyStatus(2, "False"));
    expect((stored.spec as { size: number }).size).toBe(2);
  });

  it("reports a deleted object as gone instead of failing", async () => {
    const writer = new StatusWriter(admin, GADGETS);
    const created = await admin.create(GADGETS, gadget("vanished"));
    await admin.delete(GADGETS, { namespace: "default", name: "vanished" });
    expect((await writer.write(created, readyStatus(1, "True"))).kind).toBe("gone");
  });

  it("adds and removes its finalizer without clobbering foreign ones, even from a stale copy", async () => {
    const helper = new FinalizerHelper(admin, CONFIGMAPS, "runtime.test/cleanup");
    const cm = configMap("default", "guarded");
    cm.metadata!.finalizers = ["other.example/keep"];
    const stale = await admin.create(CONFIGMAPS, cm);
    // Another controller adds its finalizer after our copy was read.
    await admin.jsonPatch(CONFIGMAPS, { namespace: "default", name: "guarded" }, [
      { op: "add", path: "/metadata/finalizers/-", value: "third.example/hold" },
    ]);
    const added = await helper.add(stale);
    expect(added.kind).toBe("patched");
    const withOurs = await admin.get(CONFIGMAPS, { namespace: "default", name: "guarded" });
    expect(withOurs.metadata?.finalizers).toEqual([
      "other.example/keep",
      "third.example/hold",
      "runtime.test/cleanup",
    ]);

    expect((await helper.add(withOurs)).kind).toBe("unchanged");

    // The foreign finalizer list changes again before we remove ours from the copy we hold.
    await admin.jsonPatch(CONFIGMAPS, { namespace: "default", name: "guarded" }, [
      { op: "remove", path: "/metadata/finalizers/1" },
    ]);
    expect((await helper.remove(withOurs)).kind).toBe("patched");
    const final = await admin.get(CONFIGMAPS, { namespace: "default", name: "guarded" });
    expect(final.metadata?.finalizers).toEqual(["other.example/keep"]);
  });

  it("adds the first finalizer guarded by resourceVersion", async () => {
    const helper = new FinalizerHelper(admin, CONFIGMAPS, "runtime.test/cleanup");
    const stale = await admin.create(CONFIGMAPS, configMap("default", "bare"));
    await admin.jsonPatch(CONFIGMAPS, { namespace: "default", name: "bare" }, [
      { op: "add", path: "/metadata/finalizers", value: ["racer.example/first"] },
    ]);
    expect((await helper.add(stale)).kind).toBe("patched");
    const stored = await admin.get(CONFIGMAPS, { namespace: "default", name: "bare" });
    expect(stored.metadata?.finalizers).toEqual(["racer.example/first", "runtime.test/cleanup"]);
  });
});
