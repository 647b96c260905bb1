import {
  applyConflictError,
  applyConflictMessage,
  managerName,
  PatchError,
  serverSideApply,
  updateManagedFields,
  type ApplyConflict,
  type ListTypes,
  type ManagedFieldsEntry,
} from "../../../../localkube/src/patch/index.js";

const API = "example.com/v1";
const T0 = "2026-01-01T00:00:00Z";
const T1 = "2026-01-01T00:01:00Z";
const T2 = "2026-01-01T00:02:00Z";
type Obj = Record<string, unknown> & {
  metadata: Record<string, unknown> & {
    managedFields?: Array<Record<string, unknown>> | ManagedFieldsEntry[];
  };
  spec?: Record<string, unknown>;
};

const widget = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
  apiVersion: API,
  kind: "Widget",
  metadata: { name: "w1", namespace: "default", ...metadata },
  spec,
});

const listTypes: ListTypes = (path) =>
  path.join(".") === "spec.containers" ? { type: "map", keys: ["name"] } : undefined;

function apply(
  live: unknown,
  applied: unknown,
  manager: string,
  opts: { force?: boolean; now?: string } = {},
) {
  return serverSideApply({
    live,
    applied,
    manager,
    force: opts.force ?? false,
    apiVersion: API,
    listTypes,
    now: opts.now ?? T0,
  });
}

function applyOk(
  live: unknown,
  applied: unknown,
  manager: string,
  opts: { force?: boolean; now?: string } = {},
): Obj {
  const result = apply(live, applied, manager, opts);
  expect(result.conflicts).toEqual([]);
  return result.object as Obj;
}

/** A plain update (e.g. kubectl patch) by `manager`, with its managedFields bookkeeping. */
function update(old: Obj, updated: Obj, manager: string, now = T1): Obj {
  const managedFields = updateManagedFields({
    old,
    updated,
    manager,
    operation: "Update",
    apiVersion: API,
    listTypes,
    now,
  });
  return { ...updated, metadata: { ...updated.metadata, managedFields } };
}

const entries = (obj: Obj) => (obj.metadata.managedFields ?? []) as Array<Record<string, unknown>>;
const fieldsOf = (obj: Obj, manager: string) =>
  entries(obj).find((e) => e["manager"] === manager)?.["fieldsV1"];
const managersOf = (obj: Obj) => entries(obj).map((e) => `${String(e["manager"])}/${String(e["operation"])}`);

describe("serverSideApply", () => {
  it("creates the object and records an Apply entry in FieldsV1", () => {
    const obj = applyOk(undefined, widget({ size: 1 }, { labels: { app: "x" } }), "kubectl");
    expect(obj.spec).toEqual({ size: 1 });
    expect(obj.metadata.managedFields).toEqual([
      {
        manager: "kubectl",
        operation: "Apply",
        apiVersion: API,
        time: T0,
        fieldsType: "FieldsV1",
        fieldsV1: { "f:metadata": { "f:labels": { "f:app": {} } }, "f:spec": { "f:size": {} } },
      },
    ]);
  });

  it("apply -> conflict with an updater -> force takes ownership", () => {
    const applied = widget({ size: 1, color: "red" });
    const created = applyOk(undefined, applied, "kubectl");
    const patched = update(created, { ...created, spec: { size: 5, color: "red" } }, "kubectl-patch");
    expect(fieldsOf(patched, "kubectl-patch")).toEqual({ "f:spec": { "f:size": {} } });
    expect(fieldsOf(patched, "kubectl")).toEqual({ "f:spec": { "f:color": {} } });

    const conflict = apply(patched, applied, "kubectl", { now: T2 });
    expect(conflict.conflicts).toEqual([
      { manager: "kubectl-patch", operation: "Update", apiVersion: API, field: ".spec.size" },
    ]);
    expect(conflict.object).toEqual(patched);
    expect(applyConflictMessage(conflict.conflicts)).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-patch" using example.com/v1: .spec.size',
    );

    const forced = applyOk(patched, applied, "kubectl", { force: true, now: T2 });
    expect(forced.spec).toEqual({ size: 1, color: "red" });
    expect(managersOf(forced)).toEqual(["kubectl/Apply"]);
    expect(fieldsOf(forced, "kubectl")).toEqual({ "f:spec": { "f:color": {}, "f:size": {} } });
  });

  it("applying the value another manager already set is shared ownership, not a conflict", () => {
    const a = applyOk(undefined, widget({ size: 1 }), "alpha");
    const both = applyOk(a, widget({ size: 1 }), "beta", { now: T1 });
    expect(managersOf(both)).toEqual(["alpha/Apply", "beta/Apply"]);
    // alpha drops the field: beta still owns it, so it stays.
    const { spec: _omitted, ...withoutSpec } = widget({});
    const dropped = applyOk(both, withoutSpec, "alpha", { now: T2 });
    expect(dropped.spec).toEqual({ size: 1 });
    expect(managersOf(dropped)).toEqual(["beta/Apply"]);
  });

  it("removes a field the applier owned and now omits", () => {
    const first = applyOk(
      undefined,
      widget({ size: 1, color: "red" }, { labels: { a: "1", b: "2" } }),
      "kubectl",
    );
    const second = applyOk(first, widget({ size: 1 }, { labels: { a: "1" } }), "kubectl", { now: T1 });
    expect(second.spec).toEqual({ size: 1 });
    expect(second.metadata["labels"]).toEqual({ a: "1" });
    expect(fieldsOf(second, "kubectl")).toEqual({
      "f:metadata": { "f:labels": { "f:a": {} } },
      "f:spec": { "f:size": {} },
    });
  });

  it("never mutates the live object or the applied configuration", () => {
    const live = applyOk(undefined, widget({ size: 1, color: "red", nested: { a: 1 } }), "kubectl");
    const applied = { apiVersion: API, kind: "Widget", metadata: { name: "w1" } };
    const liveBefore = structuredClone(live);
    const appliedBefore = structuredClone(applied);
    const result = applyOk(live, applied, "kubectl", { now: T1 });
    // Like Kubernetes, pruning removes the owned leaves; struct-like parents stay as empty maps.
    expect(result.spec).toEqual({ nested: {} });
    expect(live).toEqual(liveBefore);
    expect(applied).toEqual(appliedBefore);
  });

  it("keeps fields set by others that the applier never owned", () => {
    const created = applyOk(undefined, widget({ size: 1 }), "kubectl");
    const labelled = update(
      created,
      { ...created, metadata: { ...created.metadata, labels: { team: "a" } } },
      "kubectl-label",
    );
    const again = applyOk(labelled, widget({ size: 2 }), "kubectl", { now: T2 });
    expect(again.metadata["labels"]).toEqual({ team: "a" });
    expect(again.spec).toEqual({ size: 2 });
  });

  it("merges list-map entries by key and reports per-entry conflicts", () => {
    const a = applyOk(undefined, widget({ containers: [{ name: "a", image: "x:1" }] }), "alpha");
    const ab = applyOk(a, widget({ containers: [{ name: "b", image: "y:1" }] }), "beta", { now: T1 });
    expect(ab.spec?.["containers"]).toEqual([
      { name: "a", image: "x:1" },
      { name: "b", image: "y:1" },
    ]);
    expect(fieldsOf(ab, "alpha")).toEqual({
      "f:spec": { "f:containers": { 'k:{"name":"a"}': { ".": {}, "f:image": {}, "f:name": {} } } },
    });
    const clash = apply(ab, widget({ containers: [{ name: "a", image: "x:2" }] }), "beta", { now: T2 });
    expect(clash.conflicts.map((c) => c.field)).toEqual(['.spec.containers[name="a"].image']);
    // alpha drops its entry: only its own item goes, beta's stays.
    const dropped = applyOk(ab, widget({ containers: [] }), "alpha", { now: T2 });
    expect(dropped.spec?.["containers"]).toEqual([{ name: "b", image: "y:1" }]);
  });

  it("treats finalizers as a set (v: entries)", () => {
    const obj = applyOk(undefined, widget({}, { finalizers: ["roster.dev/cleanup"] }), "roster");
    expect(fieldsOf(obj, "roster")).toEqual({
      "f:metadata": { "f:finalizers": { 'v:"roster.dev/cleanup"': {} } },
      "f:spec": {},
    });
  });

  it("atomic lists are replaced whole and conflict as one field", () => {
    const a = applyOk(undefined, widget({ tags: ["x", "y"] }), "alpha");
    expect(fieldsOf(a, "alpha")).toEqual({ "f:spec": { "f:tags": {} } });
    const clash = apply(a, widget({ tags: ["z"] }), "beta", { now: T1 });
    expect(clash.conflicts.map((c) => c.field)).toEqual([".spec.tags"]);
  });

  it("a re-apply that changes a value it already owns moves the entry's time", () => {
    const first = applyOk(undefined, widget({ size: 1 }), "kubectl");
    const second = applyOk(first, widget({ size: 2 }), "kubectl", { now: T2 });
    expect(entries(second)[0]).toMatchObject({
      manager: "kubectl",
      time: T2,
      fieldsV1: fieldsOf(first, "kubectl"),
    });
  });

  it("an identical re-apply leaves managedFields (and their times) unchanged", () => {
    const first = applyOk(undefined, widget({ size: 1 }), "kubectl");
    const second = applyOk(first, widget({ size: 1 }), "kubectl", { now: T2 });
    expect(second).toEqual(first);
  });

  it("does not track ignored paths and keeps their live value", () => {
    const ignore = (path: string[]) => path[0] === "status";
    const live = { ...widget({ size: 1 }), status: { ready: true } };
    const result = serverSideApply({
      live,
      applied: { ...widget({ size: 1 }), status: { ready: false } },
      manager: "m",
      force: false,
      apiVersion: API,
      ignore,
      now: T0,
    });
    expect((result.object as Obj)["status"]).toEqual({ ready: true });
    expect(fieldsOf(result.object as Obj, "m")).toEqual({ "f:spec": { "f:size": {} } });
  });

  it("requires a field manager (422)", () => {
    expect(() => apply(undefined, widget({}), "")).toThrow(PatchError);
    try {
      apply(undefined, widget({}), "");
    } catch (err) {
      expect((err as PatchError).code).toBe(422);
      expect((err as PatchError).message).toBe(
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply requests',
      );
    }
  });
});

describe("applyConflictMessage", () => {
  const conflicts: ApplyConflict[] = [
    { manager: "zeta", operation: "Apply", apiVersion: API, field: ".spec.a" },
    { manager: "kubectl-patch", operation: "Update", apiVersion: API, field: ".spec.size" },
    { manager: "kubectl-patch", operation: "Update", apiVersion: API, field: ".spec.color" },
    {
      manager: "status-writer",
      operation: "Update",
      apiVersion: API,
      subresource: "status",
      field: ".status.ready",
    },
  ];
  it("groups several conflicts by manager, sorted", () => {
    expect(applyConflictMessage(conflicts)).toBe(
      [
        'Apply failed with 4 conflicts: conflicts with "kubectl-patch" using example.com/v1:',
        "- .spec.size",
        "- .spec.color",
        'conflicts with "status-writer" with subresource "status" using example.com/v1:',
        "- .status.ready",
        'conflicts with "zeta":',
        "- .spec.a",
      ].join("\n"),
    );
  });
  it("builds a 409 with one FieldManagerConflict cause per field", () => {
    const err = applyConflictError(conflicts.slice(1, 2));
    expect([err.code, err.reason]).toEqual([409, "Conflict"]);
    expect(err.causes).toEqual([
      {
        reason: "FieldManagerConflict",
        message: 'conflict with "kubectl-patch" using example.com/v1',
        field: ".spec.size",
      },
    ]);
  });
});

describe("updateManagedFields", () => {
  it("on create, owns every field with '.' on new maps and skips server-managed metadata", () => {
    const cm = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "c", uid: "u", resourceVersion: "1", labels: { x: "1" } },
      data: { a: "1" },
    };
    expect(
      updateManagedFields({
        old: undefined,
        updated: cm,
        manager: "kubectl-create",
        operation: "Update",
        apiVersion: "v1",
        now: T0,
      }),
    ).toEqual([
      {
        manager: "kubectl-create",
        operation: "Update",
        apiVersion: "v1",
        time: T0,
        fieldsType: "FieldsV1",
        fieldsV1: { "f:data": { ".": {}, "f:a": {} }, "f:metadata": { "f:labels": { ".": {}, "f:x": {} } } },
      },
    ]);
  });

  it("a write that changes nothing keeps the entries as they were", () => {
    const created = applyOk(undefined, widget({ size: 1 }), "kubectl");
    expect(update(created, created, "other").metadata.managedFields).toEqual(created.metadata.managedFields);
  });

  it("an updater changing a field it already owns gets a new time", () => {
    const created = update(
      applyOk(undefined, widget({ size: 1 }), "kubectl"),
      { ...widget({ size: 2 }) },
      "editor",
      T1,
    );
    const again = update(created, { ...created, spec: { size: 3 } }, "editor", T2);
    expect(entries(again).find((e) => e["manager"] === "editor")).toMatchObject({
      time: T2,
      fieldsV1: { "f:spec": { "f:size": {} } },
    });
  });

  it("removed fields leave every manager's set", () => {
    const created = applyOk(undefined, widget({ size: 1, color: "red" }), "kubectl");
    const updated = update(created, { ...created, spec: { size: 1 } }, "editor");
    expect(fieldsOf(updated, "kubectl")).toEqual({ "f:spec": { "f:size": {} } });
    expect(managersOf(updated)).toEqual(["kubectl/Apply"]);
  });

  it("updaters are distinct per apiVersion and subresource", () => {
    const created = applyOk(undefined, widget({ size: 1 }), "kubectl");
    const statusManaged = updateManagedFields({
      old: created,
      updated: { ...created, status: { ready: true } },
      manager: "roster",
      operation: "Update",
      apiVersion: API,
      subresource: "status",
      now: T1,
    });
    expect(statusManaged.find((e) => e.manager === "roster")).toMatchObject({
      subresource: "status",
      fieldsV1: { "f:status": { ".": {}, "f:ready": {} } },
    });
  });
});

describe("managerName", () => {
  const cases: Array<[string | undefined, string | undefined, string]> = [
    ["kubectl-client-side-apply", "kubectl/v1.31.0 (linux/amd64)", "kubectl-client-side-apply"],
    [undefined, "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)", "node-fetch"],
    ["", "kubectl/v1.31.0", "kubectl"],
    [undefined, undefined, ""],
  ];
  it.each(cases)("fieldManager %s, User-Agent %s -> %s", (fieldManager, userAgent, expected) => {
    expect(managerName(fieldManager, userAgent)).toBe(expected);
  });
});
