import {
  applyStrategicMergePatch,
  isStrategicMergeSupported,
  PatchError,
  type KindRef,
} from "../../../../localkube/src/patch/index.js";

const CONFIGMAP: KindRef = { group: "", kind: "ConfigMap" };
const SA: KindRef = { group: "", kind: "ServiceAccount" };
const NS: KindRef = { group: "", kind: "Namespace" };
const CLUSTERROLE: KindRef = { group: "rbac.authorization.k8s.io", kind: "ClusterRole" };
const CRD: KindRef = { group: "apiextensions.k8s.io", kind: "CustomResourceDefinition" };

const owner = (uid: string, name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  name,
  uid,
  ...extra,
});

function patchError(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PatchError) return err;
    throw err;
  }
  throw new Error("expected a PatchError");
}

describe("applyStrategicMergePatch", () => {
  const cases: Array<[string, KindRef, unknown, unknown, unknown]> = [
    [
      "maps merge and null deletes (kubectl label/annotate)",
      CONFIGMAP,
      { metadata: { name: "c", labels: { a: "1", b: "2" } }, data: { k: "v" } },
      { metadata: { labels: { b: null, c: "3" } }, data: { k2: "v2" } },
      { metadata: { name: "c", labels: { a: "1", c: "3" } }, data: { k: "v", k2: "v2" } },
    ],
    [
      "finalizers merge as a set",
      CONFIGMAP,
      { metadata: { finalizers: ["a", "b"] } },
      { metadata: { finalizers: ["b", "c"] } },
      { metadata: { finalizers: ["a", "b", "c"] } },
    ],
    [
      "$deleteFromPrimitiveList removes finalizers",
      CONFIGMAP,
      { metadata: { finalizers: ["a", "b", "c"] } },
      { metadata: { "$deleteFromPrimitiveList/finalizers": ["b"] } },
      { metadata: { finalizers: ["a", "c"] } },
    ],
    [
      "$setElementOrder orders a primitive merge list",
      CONFIGMAP,
      { metadata: { finalizers: ["a", "b"] } },
      { metadata: { "$setElementOrder/finalizers": ["c", "b", "a"], finalizers: ["c"] } },
      { metadata: { finalizers: ["c", "b", "a"] } },
    ],
    [
      "ownerReferences merge by uid",
      CONFIGMAP,
      { metadata: { ownerReferences: [owner("u1", "one"), owner("u2", "two")] } },
      { metadata: { ownerReferences: [{ uid: "u2", controller: true }, owner("u3", "three")] } },
      {
        metadata: {
          ownerReferences: [
            owner("u1", "one"),
            owner("u2", "two", { controller: true }),
            owner("u3", "three"),
          ],
        },
      },
    ],
    [
      "$patch: delete removes a list item by merge key",
      CONFIGMAP,
      { metadata: { ownerReferences: [owner("u1", "one"), owner("u2", "two")] } },
      { metadata: { ownerReferences: [{ uid: "u1", $patch: "delete" }] } },
      { metadata: { ownerReferences: [owner("u2", "two")] } },
    ],
    [
      "$patch: replace as a list item replaces the whole list",
      CONFIGMAP,
      { metadata: { ownerReferences: [owner("u1", "one"), owner("u2", "two")] } },
      { metadata: { ownerReferences: [{ $patch: "replace" }, owner("u9", "nine")] } },
      { metadata: { ownerReferences: [owner("u9", "nine")] } },
    ],
    [
      "$setElementOrder orders an object list by merge key",
      CONFIGMAP,
      { metadata: { ownerReferences: [owner("u1", "one"), owner("u2", "two")] } },
      { metadata: { "$setElementOrder/ownerReferences": [{ uid: "u2" }, { uid: "u1" }] } },
      { metadata: { ownerReferences: [owner("u2", "two"), owner("u1", "one")] } },
    ],
    [
      "$patch: replace in a map replaces the map",
      CONFIGMAP,
      { data: { a: "1", b: "2" } },
      { data: { $patch: "replace", c: "3" } },
      { data: { c: "3" } },
    ],
    [
      "$patch: delete in a map deletes it",
      CONFIGMAP,
      { data: { a: "1" }, binaryData: {} },
      { data: { $patch: "delete" } },
      { binaryData: {} },
    ],
    [
      "$retainKeys drops the keys not listed",
      CONFIGMAP,
      { data: { a: "1", b: "2", c: "3" } },
      { data: { $retainKeys: ["a", "c"], c: "30" } },
      { data: { a: "1", c: "30" } },
    ],
    [
      "ClusterRole rules are atomic (replaced)",
      CLUSTERROLE,
      { rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }] },
      { rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }] },
      { rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }] },
    ],
    [
      "CRD spec.versions are atomic (replaced)",
      CRD,
      {
        spec: {
          versions: [
            { name: "v1", served: true },
            { name: "v2", served: true },
          ],
        },
      },
      { spec: { versions: [{ name: "v1", served: false }] } },
      { spec: { versions: [{ name: "v1", served: false }] } },
    ],
    [
      "ServiceAccount secrets merge by name; imagePullSecrets are replaced",
      SA,
      { secrets: [{ name: "a" }], imagePullSecrets: [{ name: "x" }] },
      { secrets: [{ name: "b" }], imagePullSecrets: [{ name: "y" }] },
      { secrets: [{ name: "a" }, { name: "b" }], imagePullSecrets: [{ name: "y" }] },
    ],
    [
      "Namespace status.conditions merge by type",
      NS,
      {
        status: {
          conditions: [
            { type: "A", status: "True" },
            { type: "B", status: "True" },
          ],
        },
      },
      { status: { conditions: [{ type: "B", status: "False" }] } },
      {
        status: {
          conditions: [
            { type: "A", status: "True" },
            { type: "B", status: "False" },
          ],
        },
      },
    ],
  ];
  it.each(cases)("%s", (_name, kind, target, patch, expected) => {
    const before = structuredClone(target);
    expect(applyStrategicMergePatch(target, patch, kind)).toEqual(expected);
    expect(target).toEqual(before);
  });

  it("refuses custom resources with 415 and the API server's message", () => {
    const err = patchError(() => applyStrategicMergePatch({}, {}, { group: "roster.dev", kind: "User" }));
    expect(err.code).toBe(415);
    expect(err.reason).toBe("UnsupportedMediaType");
    expect(err.message).toBe(
      "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
    );
  });

  it("rejects a patch that is not an object with 400", () => {
    expect(patchError(() => applyStrategicMergePatch({}, [1], CONFIGMAP)).code).toBe(400);
  });

  it("rejects an object list item without its merge key with 422", () => {
    const err = patchError(() =>
      applyStrategicMergePatch({}, { metadata: { ownerReferences: [{ name: "x" }] } }, CONFIGMAP),
    );
    expect(err.code).toBe(422);
    expect(err.message).toBe('map: {"name":"x"} does not contain declared merge key: uid');
  });

  it("rejects patch keys outside $retainKeys with 422", () => {
    expect(
      patchError(() => applyStrategicMergePatch({}, { data: { $retainKeys: ["a"], b: "1" } }, CONFIGMAP))
        .code,
    ).toBe(422);
  });

  it("rejects an unknown $patch directive with 400", () => {
    expect(
      patchError(() => applyStrategicMergePatch({}, { data: { $patch: "explode" } }, CONFIGMAP)).code,
    ).toBe(400);
  });
});

describe("isStrategicMergeSupported", () => {
  const cases: Array<[string, string, boolean]> = [
    ["", "ConfigMap", true],
    ["", "Secret", true],
    ["", "Namespace", true],
    ["", "ServiceAccount", true],
    ["", "Event", true],
    ["events.k8s.io", "Event", true],
    ["coordination.k8s.io", "Lease", true],
    ["rbac.authorization.k8s.io", "RoleBinding", true],
    ["apiextensions.k8s.io", "CustomResourceDefinition", true],
    ["roster.dev", "User", false],
    ["", "Widget", false],
    ["", "constructor", false],
  ];
  it.each(cases)("%s/%s -> %s", (group, kind, supported) => {
    expect(isStrategicMergeSupported(group, kind)).toBe(supported);
  });
});
