/**
 * Conversion between the stored form and a served version. CRs use conversion "None"
 * (only apiVersion changes). Events are stored in core/v1 form and served as
 * events.k8s.io/v1 by renaming fields.
 */
import { apiVersionOf, type JsonObject, type KubeObject, type ResourceType } from "../kinds/types.js";

const EVENT_RENAMES: Array<[core: string, v1: string]> = [
  ["involvedObject", "regarding"],
  ["message", "note"],
  ["reportingComponent", "reportingController"],
  ["source", "deprecatedSource"],
  ["firstTimestamp", "deprecatedFirstTimestamp"],
  ["lastTimestamp", "deprecatedLastTimestamp"],
  ["count", "deprecatedCount"],
];

function rename(obj: JsonObject, pairs: Array<[string, string]>): JsonObject {
  const out: JsonObject = { ...obj };
  for (const [from, to] of pairs) {
    if (from in out) {
      out[to] = out[from];
      delete out[from];
    }
  }
  return out;
}

function isEventsV1(rt: ResourceType): boolean {
  return rt.storeKey === "/events" && rt.group === "events.k8s.io";
}

/** Stored form -> the form served for `rt`. Never mutates `obj`. */
export function toServed(rt: ResourceType, obj: KubeObject): KubeObject {
  let out: JsonObject = { ...obj };
  if (isEventsV1(rt)) {
    out = rename(out, EVENT_RENAMES);
    if (out["series"] && typeof out["series"] === "object") {
      const s = out["series"] as JsonObject;
      out["series"] = { count: s["count"], lastObservedTime: s["lastObservedTime"] };
    }
  }
  return { ...(out as KubeObject), apiVersion: apiVersionOf(rt), kind: rt.kind };
}

/** Served form (as sent by a client for `rt`) -> stored form. */
export function toStored(rt: ResourceType, obj: KubeObject): KubeObject {
  let out: JsonObject = { ...obj };
  if (isEventsV1(rt))
    out = rename(
      out,
      EVENT_RENAMES.map(([a, b]) => [b, a] as [string, string]),
    );
  const storedApiVersion = rt.storeKey === "/events" ? "v1" : apiVersionOf(rt);
  return { ...(out as KubeObject), apiVersion: storedApiVersion, kind: rt.kind };
}
