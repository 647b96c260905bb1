import { applyJsonPatch, applyMergePatch, PatchError } from "../../../../localkube/src/patch/index.js";

function patchError(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PatchError) return err;
    throw err;
  }
  throw new Error("expected a PatchError");
}

describe("applyMergePatch (RFC 7386)", () => {
  const cases: Array<[string, unknown, unknown, unknown]> = [
    ["replaces a scalar", { a: "b" }, { a: "c" }, { a: "c" }],
    ["adds a key", { a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    ["null deletes a key", { a: "b", b: "c" }, { a: null }, { b: "c" }],
    ["arrays are replaced, not merged", { a: [1, 2] }, { a: [3] }, { a: [3] }],
    ["nested objects merge", { s: { x: 1, y: 2 } }, { s: { y: null, z: 3 } }, { s: { x: 1, z: 3 } }],
    ["an object replaces a scalar and drops its nulls", { a: 1 }, { a: { b: null, c: 1 } }, { a: { c: 1 } }],
    ["deleting a missing key is a no-op", { a: 1 }, { zz: null }, { a: 1 }],
    ["empty patch changes nothing", { a: { b: 1 } }, {}, { a: { b: 1 } }],
  ];
  it.each(cases)("%s", (_name, target, patch, expected) => {
    const before = structuredClone(target);
    expect(applyMergePatch(target, patch)).toEqual(expected);
    expect(target).toEqual(before);
  });

  it("rejects a patch that is not an object with 400", () => {
    const err = patchError(() => applyMergePatch({ a: 1 }, [1]));
    expect([err.code, err.reason, err.message]).toEqual([400, "BadRequest", "Invalid JSON Patch"]);
  });

  it("keeps a __proto__ key as data instead of changing the prototype", () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    const result = applyMergePatch<Record<string, unknown>>({}, patch);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result)).toEqual(["__proto__"]);
  });
});

describe("applyJsonPatch (RFC 6902)", () => {
  const doc = { metadata: { name: "x", finalizers: ["a", "b"] }, spec: { size: 1 } };
  const ok: Array<[string, unknown[], unknown]> = [
    [
      "add a field",
      [{ op: "add", path: "/spec/color", value: "red" }],
      { ...doc, spec: { size: 1, color: "red" } },
    ],
    [
      "append with -",
      [{ op: "add", path: "/metadata/finalizers/-", value: "c" }],
      { ...doc, metadata: { name: "x", finalizers: ["a", "b", "c"] } },
    ],
    [
      "insert at an index",
      [{ op: "add", path: "/metadata/finalizers/0", value: "z" }],
      { ...doc, metadata: { name: "x", finalizers: ["z", "a", "b"] } },
    ],
    [
      "remove an item",
      [{ op: "remove", path: "/metadata/finalizers/0" }],
      { ...doc, metadata: { name: "x", finalizers: ["b"] } },
    ],
    ["replace a value", [{ op: "replace", path: "/spec/size", value: 3 }], { ...doc, spec: { size: 3 } }],
    [
      "replace a missing key sets it (Kubernetes' json-patch v4 quirk)",
      [{ op: "replace", path: "/spec/new", value: 1 }],
      { ...doc, spec: { size: 1, new: 1 } },
    ],
    ["move", [{ op: "move", from: "/spec/size", path: "/spec/count" }], { ...doc, spec: { count: 1 } }],
    [
      "copy",
      [{ op: "copy", from: "/spec/size", path: "/spec/count" }],
      { ...doc, spec: { size: 1, count: 1 } },
    ],
    [
      "a passing test then a change",
      [
        { op: "test", path: "/metadata/finalizers", value: ["a", "b"] },
        { op: "remove", path: "/metadata/finalizers" },
      ],
      { ...doc, metadata: { name: "x" } },
    ],
    [
      "escaped tokens",
      [{ op: "add", path: "/metadata/a~1b~0c", value: 1 }],
      { ...doc, metadata: { ...doc.metadata, "a/b~c": 1 } },
    ],
    ["test of a missing value against null passes", [{ op: "test", path: "/spec/none", value: null }], doc],
  ];
  it.each(ok)("%s", (_name, ops, expected) => {
    const before = structuredClone(doc);
    expect(applyJsonPatch(doc, ops)).toEqual(expected);
    expect(doc).toEqual(before);
  });

  const malformed: Array<[string, unknown, string]> = [
    [
      "an object instead of an array",
      { op: "add" },
      "json: cannot unmarshal object into Go value of type jsonpatch.Patch",
    ],
    ["a string item", ["add"], "json: cannot unmarshal string into Go value of type jsonpatch.Operation"],
    ["a number", 5, "json: cannot unmarshal number into Go value of type jsonpatch.Patch"],
  ];
  it.each(malformed)("rejects %s with 400", (_name, ops, message) => {
    const err = patchError(() => applyJsonPatch(doc, ops));
    expect([err.code, err.reason, err.message]).toEqual([400, "BadRequest", message]);
  });

  const failing: Array<[string, unknown[], string]> = [
    [
      "a failing test",
      [{ op: "test", path: "/spec/size", value: 2 }],
      "testing value /spec/size failed: test failed",
    ],
    [
      "remove of a missing key",
      [{ op: "remove", path: "/spec/nope" }],
      "error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value",
    ],
    [
      "add under a missing parent",
      [{ op: "add", path: "/status/x", value: 1 }],
      'add operation does not apply: doc is missing path: "/status/x": missing value',
    ],
    [
      "an index past the end",
      [{ op: "add", path: "/metadata/finalizers/7", value: "q" }],
      "error in add for path: '/metadata/finalizers/7': Unable to access invalid index: 7: invalid index referenced",
    ],
    ["an unknown op", [{ op: "frobnicate", path: "/a" }], "Unexpected kind: frobnicate"],
    ["a missing op", [{ path: "/a" }], "Unexpected kind: unknown"],
    [
      "an op named like an Object.prototype member",
      [{ op: "constructor", path: "/a" }],
      "Unexpected kind: constructor",
    ],
    ["a missing path", [{ op: "add", value: 1 }], "add operation failed to decode path: missing value"],
  ];
  it.each(failing)("rejects %s with 422 and the detail as a cause", (_name, ops, detail) => {
    const err = patchError(() => applyJsonPatch(doc, ops));
    expect(err.code).toBe(422);
    expect(err.reason).toBe("Invalid");
    expect(err.message).toBe("the server rejected our request due to an error in our request");
    expect(err.causes).toEqual([{ reason: "UnexpectedServerResponse", message: detail }]);
  });

  it("is atomic: a failure after a change leaves the target untouched", () => {
    const target = structuredClone(doc);
    patchError(() =>
      applyJsonPatch(target, [
        { op: "remove", path: "/spec" },
        { op: "test", path: "/spec", value: 1 },
      ]),
    );
    expect(target).toEqual(doc);
  });

  it("accepts 10,000 operations and rejects 10,001 with 413 like kube-apiserver", () => {
    const op = { op: "replace", path: "/spec/size", value: 2 };
    expect(
      applyJsonPatch(
        doc,
        Array.from({ length: 10000 }, () => op),
      ),
    ).toEqual({ ...doc, spec: { size: 2 } });
    const err = patchError(() =>
      applyJsonPatch(
        doc,
        Array.from({ length: 10001 }, () => op),
      ),
    );
    expect(err.code).toBe(413);
    expect(err.reason).toBe("RequestEntityTooLarge");
    expect(err.message).toBe(
      "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001",
    );
    expect(err.toStatus()).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", code: 413 });
  });
});
