// Random and malformed inputs must only ever produce a PatchError (a 4xx Status), never a crash.
import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  PatchError,
  serverSideApply,
  updateManagedFields,
  type ListTypes,
} from "../../../../localkube/src/patch/index.js";

/** A small deterministic PRNG (mulberry32) so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = [
  "metadata",
  "spec",
  "finalizers",
  "ownerReferences",
  "managedFields",
  "uid",
  "$patch",
  "$retainKeys",
  "$setElementOrder/finalizers",
  "$deleteFromPrimitiveList/finalizers",
  "op",
  "path",
  "value",
  "from",
  "__proto__",
  "f:spec",
  "k:{bad",
  "v:",
  ".",
];
const STRINGS = [
  "",
  "/",
  "/spec",
  "/metadata/finalizers/-",
  "/a/0",
  "add",
  "remove",
  "replace",
  "move",
  "copy",
  "test",
  "delete",
  "merge",
  "x",
  "~1",
  "Apply",
  "Update",
];

function randomValue(rand: () => number, depth: number): unknown {
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)] as T;
  const r = rand();
  if (depth <= 0 || r < 0.3) return pick<unknown>([null, true, 0, -1, 3.5, ...STRINGS]);
  if (r < 0.6) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth - 1));
  const obj: Record<string, unknown> = {};
  for (let i = 0; i < Math.floor(rand() * 5); i++) {
    Object.defineProperty(obj, pick(KEYS), {
      value: randomValue(rand, depth - 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return obj;
}

function onlyPatchErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof PatchError)) throw err;
    expect(err.code).toBeGreaterThanOrEqual(400);
    expect(err.code).toBeLessThan(500);
  }
}

describe("patch library robustness", () => {
  it("survives 2,000 random targets and patches", () => {
    const rand = prng(20261125);
    for (let i = 0; i < 2000; i++) {
      const target = randomValue(rand, 4);
      const patch = randomValue(rand, 4);
      const listTypes: ListTypes = () => (rand() < 0.5 ? { type: "map", keys: ["uid"] } : { type: "set" });
      const options = { listTypes };
      onlyPatchErrors(() => applyMergePatch(target, patch));
      onlyPatchErrors(() => applyJsonPatch(target, patch));
      onlyPatchErrors(() => applyStrategicMergePatch(target, patch, { group: "", kind: "ConfigMap" }));
      onlyPatchErrors(() =>
        serverSideApply({
          live: target,
          applied: patch,
          manager: "m",
          force: rand() < 0.5,
          apiVersion: "v1",
          now: "t",
          ...options,
        }),
      );
      onlyPatchErrors(() =>
        updateManagedFields({
          old: target,
          updated: patch,
          manager: "m",
          operation: "Update",
          apiVersion: "v1",
          now: "t",
          ...options,
        }),
      );
    }
  }, 60000);

  it("tolerates malformed managedFields sent by a client", () => {
    const live = {
      metadata: {
        name: "x",
        managedFields: [
          {
            manager: "other",
            operation: "Update",
            apiVersion: "v1",
            fieldsType: "FieldsV1",
            fieldsV1: { "f:spec": { "k:{not json": {}, "v:also bad": {} } },
          },
          {
            manager: "mine",
            operation: "Apply",
            apiVersion: "v1",
            fieldsType: "FieldsV1",
            fieldsV1: { "f:spec": { "f:list": { "k:{broken": {}, 'v:"a"': {} } } },
          },
          { operation: "Update" },
          "garbage",
        ],
      },
      spec: { list: ["a", "b"] },
    };
    const result = serverSideApply({
      live,
      applied: { spec: { list: ["b"] } },
      manager: "mine",
      force: false,
      apiVersion: "v1",
      now: "t",
      listTypes: () => ({ type: "set" }),
    });
    expect(result.conflicts).toEqual([]);
    expect((result.object as { spec: unknown }).spec).toEqual({ list: ["b"] });
  });
});
