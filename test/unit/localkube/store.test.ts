import { Store, type StoreEvent } from "../../../localkube/src/store.js";

const cm = (name: string, namespace = "default"): { metadata: { name: string; namespace: string } } => ({
  metadata: { name, namespace },
});

describe("Store", () => {
  it("stamps one global, strictly increasing resourceVersion per commit across kinds", () => {
    const store = new Store();
    const a = store.commit("ADDED", "/configmaps", cm("a"));
    const b = store.commit("ADDED", "/secrets", cm("b"));
    expect(Number(b.metadata.resourceVersion)).toBe(Number(a.metadata.resourceVersion) + 1);
    expect(store.resourceVersion).toBe(Number(b.metadata.resourceVersion));
  });

  it("lists sorted by namespace then name, filtered by namespace", () => {
    const store = new Store();
    for (const [n, ns] of [
      ["b", "x"],
      ["a", "y"],
      ["c", "x"],
    ])
      store.commit("ADDED", "/configmaps", cm(n as string, ns));
    expect(store.list("/configmaps").map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      "x/b",
      "x/c",
      "y/a",
    ]);
    expect(store.list("/configmaps", "y")).toHaveLength(1);
  });

  it("keeps history for resumption and reports expiry after compaction or the limit", () => {
    const store = new Store({ historyLimit: 2 });
    const start = store.resourceVersion;
    store.commit("ADDED", "/configmaps", cm("a"));
    expect(store.eventsSince("/configmaps", start)?.map((e) => e.type)).toEqual(["ADDED"]);
    store.commit("MODIFIED", "/configmaps", cm("a"));
    store.commit("DELETED", "/configmaps", cm("a"));
    expect(store.eventsSince("/configmaps", start)).toBeUndefined();
    expect(store.eventsSince("/configmaps", start + 1)?.map((e) => e.type)).toEqual(["MODIFIED", "DELETED"]);
    store.compact();
    expect(store.eventsSince("/configmaps", start + 1)).toBeUndefined();
    expect(store.eventsSince("/configmaps", store.resourceVersion)).toEqual([]);
  });

  it("tells listeners the previous state of a modified object", () => {
    const store = new Store();
    const seen: StoreEvent[] = [];
    store.subscribe((e) => seen.push(e));
    store.commit("ADDED", "/configmaps", { metadata: { name: "a", namespace: "d", labels: { v: "1" } } });
    store.commit("MODIFIED", "/configmaps", { metadata: { name: "a", namespace: "d", labels: { v: "2" } } });
    expect(seen[1]?.previous?.metadata.labels).toEqual({ v: "1" });
  });

  it("commits even when a listener throws, and reports the error", () => {
    const errors: unknown[] = [];
    const store = new Store({ onListenerError: (err) => errors.push(err) });
    store.subscribe(() => {
      throw new Error("broken watcher");
    });
    const seen: string[] = [];
    store.subscribe((e) => seen.push(e.type));
    store.commit("ADDED", "/configmaps", cm("a"));
    expect(store.get("/configmaps", "default", "a")).toBeDefined();
    expect(seen).toEqual(["ADDED"]);
    expect(errors).toHaveLength(1);
  });
});
