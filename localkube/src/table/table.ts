/** meta.k8s.io/v1 Table responses for `kubectl get` (lists, single objects and watch rows). */
import type { JsonObject, KubeObject, PrinterColumn, ResourceType } from "../kinds/types.js";
import { ageOf } from "./duration.js";
import { findJsonPath } from "../schema/index.js";

export type IncludeObject = "None" | "Metadata" | "Object";

/** True when the Accept header asks for a Table first (kubectl get). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = accept.split(",")[0] ?? "";
  return /as=Table/.test(first) && /g=meta\.k8s\.io/.test(first);
}

function countKeys(v: unknown): number {
  return v && typeof v === "object" ? Object.keys(v).length : 0;
}

function subjectsOf(obj: KubeObject, kind: string): string | null {
  const subjects = (obj["subjects"] as JsonObject[] | undefined) ?? [];
  const names = subjects
    .filter((s) => s["kind"] === kind)
    .map((s) =>
      kind === "ServiceAccount" ? `${String(s["namespace"] ?? "")}/${String(s["name"])}` : String(s["name"]),
    );
  return names.length > 0 ? names.join(", ") : null;
}

/** Built-in columns that are computed rather than read with JSONPath. */
/** A built-in column list may place the Name column itself (Events list it last, wide only). */
const NAME_PATH = "#name";

function namesItself(rt: ResourceType): boolean {
  return rt.printerColumns.some((c) => c.jsonPath === NAME_PATH);
}

const COMPUTED: Record<string, (obj: KubeObject) => unknown> = {
  [NAME_PATH]: (o) => o.metadata.name ?? "",
  "#data-count": (o) => countKeys(o["data"]) + countKeys(o["binaryData"]),
  "#secrets-count": (o) => ((o["secrets"] as unknown[] | undefined) ?? []).length,
  "#event-last-seen": (o) => ageOf(o["lastTimestamp"] ?? o["eventTime"] ?? o.metadata.creationTimestamp),
  "#event-object": (o) => {
    const io = (o["involvedObject"] ?? o["regarding"] ?? {}) as JsonObject;
    return `${String(io["kind"] ?? "").toLowerCase()}/${String(io["name"] ?? "")}`;
  },
  "#binding-role": (o) => {
    const ref = (o["roleRef"] ?? {}) as JsonObject;
    return `${String(ref["kind"] ?? "")}/${String(ref["name"] ?? "")}`;
  },
  "#binding-users": (o) => subjectsOf(o, "User"),
  "#binding-groups": (o) => subjectsOf(o, "Group"),
  "#binding-sas": (o) => subjectsOf(o, "ServiceAccount"),
};

function cellFor(column: PrinterColumn, obj: KubeObject, now: number): unknown {
  const computed = COMPUTED[column.jsonPath];
  if (computed) return computed(obj);
  let values: unknown[];
  try {
    values = findJsonPath(obj, column.jsonPath);
  } catch {
    return null;
  }
  if (values.length === 0) return null;
  const value = values.length === 1 ? values[0] : values;
  if (column.type === "date") return ageOf(value, now);
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return value;
}

export function columnDefinitions(rt: ResourceType): JsonObject[] {
  const name = {
    name: "Name",
    type: "string",
    format: "name",
    description:
      "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
    priority: 0,
  };
  const own = rt.printerColumns.map((c) =>
    c.jsonPath === NAME_PATH
      ? { ...name, priority: c.priority ?? 0 }
      : {
          name: c.name,
          type: c.type,
          format: c.format ?? "",
          description:
            c.description ??
            (c.type === "date" && c.name === "Age"
              ? "CreationTimestamp is a timestamp representing the server time when this object was created."
              : ""),
          priority: c.priority ?? 0,
        },
  );
  return namesItself(rt) ? own : [name, ...own];
}

function rowObject(obj: KubeObject, include: IncludeObject): unknown {
  if (include === "None") return undefined;
  if (include === "Object") return obj;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata };
}

export function tableRow(
  rt: ResourceType,
  obj: KubeObject,
  include: IncludeObject,
  now = Date.now(),
): JsonObject {
  const cells = rt.printerColumns.map((c) => cellFor(c, obj, now));
  if (!namesItself(rt)) cells.unshift(obj.metadata.name ?? "");
  const row: JsonObject = { cells };
  const object = rowObject(obj, include);
  if (object !== undefined) row["object"] = object;
  return row;
}

export function toTable(
  rt: ResourceType,
  objects: KubeObject[],
  include: IncludeObject,
  listMeta: JsonObject,
  withColumns = true,
): JsonObject {
  const now = Date.now();
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: listMeta,
    columnDefinitions: withColumns ? columnDefinitions(rt) : null,
    rows: objects.map((o) => tableRow(rt, o, include, now)),
  };
}
