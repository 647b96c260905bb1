import {
  enqueueKeys,
  enqueueObject,
  enqueueOwners,
  generationChanged,
} from "../../../operator/src/runtime/informer/event-handlers.js";
import { slimForCache } from "../../../operator/src/runtime/informer/informer.js";
import { Store, byField, byLabel } from "../../../operator/src/runtime/informer/store.js";
import type { KubeObject } from "../../../operator/src/runtime/kube/resource.js";

interface Grant extends KubeObject {
  spec: { user: string; target: string };
}

class GrantBuilder {
  private obj: Grant;
  constructor(name: string) {
    this.obj = {
      metadata: { namespace: "ns", name, resourceVersion: "1" },
      spec: { user: "alice", target: "ldap" },
    };
  }
  forUser(user: string): this {
    this.obj.spec.user = user;
    return this;
  }
  onTarget(target: string): this {
    this.obj.spec.target = target;
    return this;
  }
  withLabel(key: string, value: string): this {
    this.obj.metadata!.labels = { ...this.obj.metadata!.labels, [key]: value };
    return this;
  }
  atVersion(rv: string): this {
    this.obj.metadata!.resourceVersion = rv;
    return this;
  }
  ownedBy(kind: string, name: string): this {
    this.obj.metadata!.ownerReferences = [{ apiVersion: "v1", kind, name, uid: `uid-${name}` }];
    return this;
  }
  build(): Grant {
    return structuredClone(this.obj);
  }
}
const aGrant = (name: string) => new GrantBuilder(name);

function grantStore(): Store<Grant> {
  return new Store<Grant>({
    byUser: byField((g: Grant) => g.spec.user),
    byTarget: byField((g: Grant) => g.spec.target),
    byTier: byLabel("tier"),
  });
}

describe("Store secondary indexes", () => {
  it("files objects under every index and answers lookups", () => {
    const store = grantStore();
    store.upsert(aGrant("g1").forUser("alice").onTarget("ldap").withLabel("tier", "gold").build());
    store.upsert(aGrant("g2").forUser("alice").onTarget("pg").build());
    store.upsert(aGrant("g3").forUser("bob").onTarget("ldap").build());
    expect(store.indexKeys("byUser", "alice").sort()).toEqual(["ns/g1", "ns/g2"]);
    expect(store.indexKeys("byTarget", "ldap").sort()).toEqual(["ns/g1", "ns/g3"]);
    expect(store.byIndex("byTier", "gold").map((g) => g.metadata?.name)).toEqual(["g1"]);
    expect(store.indexKeys("byUser", "nobody")).toEqual([]);
    expect(() => store.byIndex("nope", "x")).toThrow(/no index "nope"/);
  });

  it("moves an object between index values when it changes, and forgets it when removed", () => {
    const store = grantStore();
    store.upsert(aGrant("g1").forUser("alice").build());
    const change = store.upsert(aGrant("g1").forUser("carol").atVersion("2").build());
    expect(change.type).toBe("updated");
    expect(store.indexKeys("byUser", "alice")).toEqual([]);
    expect(store.indexKeys("byUser", "carol")).toEqual(["ns/g1"]);
    expect(store.remove("ns/g1")?.type).toBe("deleted");
    expect(store.indexKeys("byUser", "carol")).toEqual([]);
    expect(store.remove("ns/g1")).toBeUndefined();
  });

  it("replaceAll reports additions, real updates and deletions, and skips unchanged objects", () => {
    const store = grantStore();
    store.upsert(aGrant("same").build());
    store.upsert(aGrant("changed").build());
    store.upsert(aGrant("gone").build());
    const changes = store.replaceAll([
      aGrant("same").build(),
      aGrant("changed").atVersion("7").build(),
      aGrant("new").build(),
    ]);
    expect(changes.map((c) => `${c.type} ${c.obj.metadata?.name}`).sort()).toEqual([
      "added new",
      "deleted gone",
      "updated changed",
    ]);
    expect(store.keys().sort()).toEqual(["ns/changed", "ns/new", "ns/same"]);
  });
});

describe("event handlers", () => {
  it("enqueue an object's own key for every kind of change", () => {
    const keys: string[] = [];
    const handler = enqueueObject<Grant>((k) => keys.push(k));
    const g = aGrant("g1").build();
    handler.onAdd?.(g);
    handler.onUpdate?.(g, g);
    handler.onDelete?.(g);
    expect(keys).toEqual(["ns/g1", "ns/g1", "ns/g1"]);
  });

  it("map a secondary object to its owners' keys", () => {
    const keys: string[] = [];
    const handler = enqueueOwners<Grant>((k) => keys.push(k), "User");
    handler.onAdd?.(aGrant("g1").ownedBy("User", "alice").build());
    handler.onAdd?.(aGrant("g2").ownedBy("Team", "blue").build());
    expect(keys).toEqual(["ns/alice"]);
  });

  it("reach both the old and the new referent when a reference moves", () => {
    const keys: string[] = [];
    const handler = enqueueKeys<Grant>(
      (k) => keys.push(k),
      (g) => [`ns/${g.spec.user}`],
    );
    handler.onUpdate?.(aGrant("g1").forUser("alice").build(), aGrant("g1").forUser("bob").build());
    expect(keys).toEqual(["ns/alice", "ns/bob"]);
  });

  it("can ignore updates that do not change the generation", () => {
    const keys: string[] = [];
    const handler = generationChanged(enqueueObject<Grant>((k) => keys.push(k)));
    const v1 = aGrant("g1").build();
    v1.metadata!.generation = 1;
    const statusOnly = structuredClone(v1);
    const specEdit = structuredClone(v1);
    specEdit.metadata!.generation = 2;
    handler.onUpdate?.(v1, statusOnly);
    handler.onUpdate?.(v1, specEdit);
    expect(keys).toEqual(["ns/g1"]);
  });

  it("drops managedFields and kubectl's last-applied copy without touching the original", () => {
    const withFields: KubeObject = {
      metadata: {
        name: "x",
        managedFields: [{ manager: "kubectl" }],
        annotations: {
          "kubectl.kubernetes.io/last-applied-configuration": "{...}",
          "roster.dev/abandon": "",
        },
      },
    };
    const slim = slimForCache(withFields);
    expect(slim.metadata).toEqual({ name: "x", annotations: { "roster.dev/abandon": "" } });
    expect(withFields.metadata?.managedFields).toHaveLength(1);
    expect(Object.keys(withFields.metadata?.annotations ?? {})).toHaveLength(2);
    const plain: KubeObject = { metadata: { name: "y", annotations: { a: "b" } } };
    expect(slimForCache(plain)).toBe(plain);
  });
});
