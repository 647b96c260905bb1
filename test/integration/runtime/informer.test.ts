import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import { Informer } from "../../../operator/src/runtime/informer/informer.js";
import { byLabel } from "../../../operator/src/runtime/informer/store.js";
import type { KubeObject } from "../../../operator/src/runtime/kube/resource.js";
import {
  CONFIGMAPS,
  CountingClient,
  GADGETS,
  configMap,
  createNamespace,
  installGadgetCrd,
  quietLogger,
  waitFor,
} from "./fixtures.js";

describe("Informer against the local API server", () => {
  let kube: LocalKube;
  let client: CountingClient;
  const informers: Array<Informer<KubeObject>> = [];

  beforeAll(async () => {
    kube = await startLocalKube({ server: { bookmarkIntervalMs: 600_000 } });
    client = new CountingClient(kube.kubeConfig);
  });
  afterAll(async () => {
    await Promise.all(informers.map((i) => i.stop()));
    await kube.stop();
  });

  /** Proves the watch is connected: a change made now must arrive through it. */
  async function watchEstablished(
    informer: Informer<KubeObject>,
    namespace: string,
    name: string,
  ): Promise<void> {
    await client.create(CONFIGMAPS, configMap(namespace, name));
    await waitFor(`${name} through the watch`, () => informer.store.get(`${namespace}/${name}`));
  }

  function startInformer(
    namespace: string,
    backoffInitialMs = 800,
  ): { informer: Informer<KubeObject>; seen: string[] } {
    const seen: string[] = [];
    const informer = new Informer<KubeObject>({
      client,
      type: CONFIGMAPS,
      namespace,
      logger: quietLogger(),
      indexers: { team: byLabel("team") },
      backoffInitialMs,
    });
    informer.addEventHandler({
      onAdd: (o) => seen.push(`add ${o.metadata?.name}`),
      onUpdate: (_old, o) => seen.push(`update ${o.metadata?.name}`),
      onDelete: (o) => seen.push(`delete ${o.metadata?.name}`),
    });
    informers.push(informer);
    informer.start();
    return { informer, seen };
  }

  it("lists, syncs, strips managedFields, indexes, and follows changes", async () => {
    await createNamespace(client, "inf-basic");
    const cm = configMap("inf-basic", "a", { k: "v" });
    cm.metadata!.labels = { team: "red" };
    await client.create(CONFIGMAPS, cm);
    await client.create(CONFIGMAPS, configMap("inf-basic", "b"));
    const { informer, seen } = startInformer("inf-basic");
    await informer.waitForSync();
    expect(informer.hasSynced()).toBe(true);
    expect(informer.store.keys().sort()).toEqual(["inf-basic/a", "inf-basic/b"]);
    expect(informer.store.get("inf-basic/a")?.metadata?.managedFields).toBeUndefined();
    expect(informer.store.byIndex("team", "red").map((o) => o.metadata?.name)).toEqual(["a"]);

    await client.mergePatch(
      CONFIGMAPS,
      { namespace: "inf-basic", name: "a" },
      { metadata: { labels: { team: "blue" } } },
    );
    await client.delete(CONFIGMAPS, { namespace: "inf-basic", name: "b" });
    await client.create(CONFIGMAPS, configMap("inf-basic", "c"));
    await waitFor(
      "the informer to see every change",
      () => informer.store.get("inf-basic/c") && !informer.store.get("inf-basic/b"),
    );
    expect(informer.store.byIndex("team", "red")).toEqual([]);
    expect(informer.store.indexKeys("team", "blue")).toEqual(["inf-basic/a"]);
    expect(seen).toEqual(["add a", "add b", "update a", "delete b", "add c"]);
  });

  it("resumes from its resourceVersion after a dropped watch, without relisting", async () => {
    await createNamespace(client, "inf-drop");
    const { informer, seen } = startInformer("inf-drop");
    await informer.waitForSync();
    await watchEstablished(informer, "inf-drop", "ping");
    const listsBefore = client.lists;
    kube.hooks.dropWatches();
    await client.create(CONFIGMAPS, configMap("inf-drop", "after-drop"));
    await waitFor("the change made after the drop", () => informer.store.get("inf-drop/after-drop"));
    expect(client.lists).toBe(listsBefore);
    expect(seen).toEqual(["add ping", "add after-drop"]);
  });

  it("relists after 410 Gone and announces what changed", async () => {
    await createNamespace(client, "inf-gone");
    await createNamespace(client, "inf-elsewhere");
    await client.create(CONFIGMAPS, configMap("inf-gone", "stays"));
    const { informer, seen } = startInformer("inf-gone");
    await informer.waitForSync();
    await watchEstablished(informer, "inf-gone", "ping");
    const listsBefore = client.lists;
    // Writes elsewhere move the server's resourceVersion past the one this informer last saw;
    // compaction then makes that version too old, so the re-watch after the drop gets 410.
    await client.create(CONFIGMAPS, configMap("inf-elsewhere", "noise-1"));
    await client.create(CONFIGMAPS, configMap("inf-elsewhere", "noise-2"));
    kube.hooks.compactHistory();
    kube.hooks.dropWatches();
    await waitFor("a relist", () => client.lists > listsBefore);
    await client.create(CONFIGMAPS, configMap("inf-gone", "new"));
    await waitFor("the change made after the relist", () => informer.store.get("inf-gone/new"));
    expect(informer.store.keys().sort()).toEqual(["inf-gone/new", "inf-gone/ping", "inf-gone/stays"]);
    expect(seen).toEqual(["add stays", "add ping", "add new"]);
  });

  it("re-announces cached objects on its resync period", async () => {
    await createNamespace(client, "inf-resync");
    await client.create(CONFIGMAPS, configMap("inf-resync", "quiet"));
    const informer = new Informer<KubeObject>({
      client,
      type: CONFIGMAPS,
      namespace: "inf-resync",
      logger: quietLogger(),
      resyncPeriodMs: 100,
    });
    const resyncs: string[] = [];
    informer.addEventHandler({ onUpdate: (old, obj) => old === obj && resyncs.push(obj.metadata!.name!) });
    informers.push(informer);
    informer.start();
    await waitFor("three resyncs", () => resyncs.length >= 3);
    expect(new Set(resyncs)).toEqual(new Set(["quiet"]));
  });

  it("keeps retrying with backoff when the resource is not served yet, then syncs", async () => {
    const own = new CountingClient(kube.kubeConfig);
    const informer = new Informer<KubeObject>({
      client: own,
      type: GADGETS,
      namespace: "default",
      logger: quietLogger(),
      backoffInitialMs: 100,
      backoffMaxMs: 400,
    });
    informers.push(informer);
    informer.start();
    await waitFor("several failed lists", () => own.lists >= 3, 10_000);
    expect(informer.hasSynced()).toBe(false);
    await installGadgetCrd(client);
    await informer.waitForSync();
    expect(informer.store.size).toBe(0);
  });
});
