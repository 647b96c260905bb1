import { sanitizeNote } from "../../../operator/src/runtime/events/event-recorder.js";
import { addFinalizerPatch, removeFinalizerPatch } from "../../../operator/src/runtime/status/finalizers.js";
import { deepEqual } from "../../../operator/src/runtime/status/deep-equal.js";
import { mergePatchBetween } from "../../../operator/src/runtime/status/merge-patch.js";
import type { KubeObject } from "../../../operator/src/runtime/kube/resource.js";

const obj = (finalizers?: string[]): KubeObject => ({
  metadata: { name: "x", resourceVersion: "42", finalizers },
});

describe("finalizer patches", () => {
  it.each([
    {
      name: "first finalizer: guarded by resourceVersion",
      finalizers: undefined,
      expected: [
        { op: "test", path: "/metadata/resourceVersion", value: "42" },
        { op: "add", path: "/metadata/finalizers", value: ["mine"] },
      ],
    },
    {
      name: "alongside a foreign finalizer: guarded by the exact list",
      finalizers: ["theirs"],
      expected: [
        { op: "test", path: "/metadata/finalizers", value: ["theirs"] },
        { op: "add", path: "/metadata/finalizers/-", value: "mine" },
      ],
    },
    { name: "already present: no patch", finalizers: ["theirs", "mine"], expected: undefined },
  ])("add, $name", ({ finalizers, expected }) => {
    expect(addFinalizerPatch(obj(finalizers), "mine")).toEqual(expected);
  });

  it.each([
    {
      name: "removes by index under a test of the exact list",
      finalizers: ["theirs", "mine", "other"],
      expected: [
        { op: "test", path: "/metadata/finalizers", value: ["theirs", "mine", "other"] },
        { op: "remove", path: "/metadata/finalizers/1" },
      ],
    },
    { name: "absent: no patch", finalizers: ["theirs"], expected: undefined },
    { name: "no list: no patch", finalizers: undefined, expected: undefined },
  ])("remove, $name", ({ finalizers, expected }) => {
    expect(removeFinalizerPatch(obj(finalizers), "mine")).toEqual(expected);
  });
});

describe("mergePatchBetween", () => {
  it.each([
    { name: "identical: nothing", from: { a: 1, b: [1, 2] }, to: { a: 1, b: [1, 2] }, patch: undefined },
    { name: "changed scalar", from: { a: 1 }, to: { a: 2 }, patch: { a: 2 } },
    { name: "removed field becomes null", from: { a: 1, b: 2 }, to: { a: 1 }, patch: { b: null } },
    { name: "arrays replaced whole", from: { c: [1, 2] }, to: { c: [1] }, patch: { c: [1] } },
    {
      name: "nested diff only",
      from: { n: { x: 1, y: 2 } },
      to: { n: { x: 1, y: 3 } },
      patch: { n: { y: 3 } },
    },
    { name: "new nested object", from: {}, to: { n: { x: 1 } }, patch: { n: { x: 1 } } },
  ])("$name", ({ from, to, patch }) => {
    expect(mergePatchBetween(from, to)).toEqual(patch);
  });
});

describe("deepEqual", () => {
  it.each([
    { a: { x: [1, { y: "z" }] }, b: { x: [1, { y: "z" }] }, equal: true },
    { a: { x: 1, gone: undefined }, b: { x: 1 }, equal: true },
    { a: { x: 1 }, b: { x: "1" }, equal: false },
    { a: [1, 2], b: [2, 1], equal: false },
    { a: { x: [] }, b: { x: {} }, equal: false },
    { a: null, b: undefined, equal: false },
  ])("%j", ({ a, b, equal }) => {
    expect(deepEqual(a, b)).toBe(equal);
  });
});

describe("sanitizeNote", () => {
  it.each([
    {
      note: "bind failed with password=hunter2 for cn=admin",
      expected: "bind failed with password=[redacted] for cn=admin",
    },
    { note: "sent Authorization: Bearer abc.def", expected: "sent Authorization: [redacted]" },
    { note: "token: s3cr3t, retrying", expected: "token: [redacted], retrying" },
    { note: "The target refused the connection.", expected: "The target refused the connection." },
  ])("$note", ({ note, expected }) => {
    expect(sanitizeNote(note)).toBe(expected);
  });

  it("cuts notes to the API's 1 KiB limit", () => {
    expect(sanitizeNote("x".repeat(5000))).toHaveLength(1024);
  });
});
