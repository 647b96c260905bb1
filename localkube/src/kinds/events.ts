/**
 * Event rules (core/v1 and events.k8s.io/v1 share one store, kept in core form): required
 * fields per API version, the namespace rule, and Time / MicroTime normalisation.
 */
import { fieldInvalid, fieldRequired, type StatusCause } from "../errors.js";
import { normaliseTimes, toMicroTime, toTime } from "./times.js";
import type { JsonObject, KubeObject, ResourceType } from "./types.js";

const DEPRECATED_V1 = ["source", "firstTimestamp", "lastTimestamp", "count"];
const V1_NAME: Record<string, string> = {
  source: "deprecatedSource",
  firstTimestamp: "deprecatedFirstTimestamp",
  lastTimestamp: "deprecatedLastTimestamp",
  count: "deprecatedCount",
  reportingComponent: "reportingController",
};

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === "" || (typeof v === "object" && Object.keys(v).length === 0);
}

function reportingErrors(obj: KubeObject, v1: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const field of ["reportingComponent", "reportingInstance", "action", "reason"])
    if (isEmpty(obj[field])) causes.push(fieldRequired(v1 ? (V1_NAME[field] ?? field) : field));
  return causes;
}

function namespaceErrors(obj: KubeObject): StatusCause[] {
  const involved = (obj["involvedObject"] as JsonObject | undefined) ?? {};
  const ns = involved["namespace"];
  if (typeof ns === "string" && ns !== "" && ns !== obj.metadata.namespace)
    return [fieldInvalid("involvedObject.namespace", ns, "does not match event.namespace")];
  return [];
}

function v1Errors(obj: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  if (isEmpty(obj["eventTime"])) causes.push(fieldRequired("eventTime"));
  const type = obj["type"];
  if (type !== "Normal" && type !== "Warning")
    causes.push({
      reason: "FieldValueNotSupported",
      field: "type",
      message: `Unsupported value: ${JSON.stringify(type ?? "")}: supported values: "Normal", "Warning"`,
    });
  for (const field of DEPRECATED_V1)
    if (!isEmpty(obj[field]))
      causes.push({
        reason: "FieldValueForbidden",
        field: V1_NAME[field] ?? field,
        message: "Forbidden: needs to be unset",
      });
  return causes;
}

/** Validates a new or changed Event (stored form) written through `rt`. */
export function eventHook(obj: KubeObject, old: KubeObject | undefined, rt: ResourceType): StatusCause[] {
  normaliseTimes(obj, ["eventTime", "series.lastObservedTime"], toMicroTime);
  normaliseTimes(obj, ["firstTimestamp", "lastTimestamp"], toTime);
  if (old) return [];
  const v1 = rt.group === "events.k8s.io";
  if (v1) return [...v1Errors(obj), ...reportingErrors(obj, true)];
  if (isEmpty(obj["eventTime"])) return namespaceErrors(obj);
  return reportingErrors(obj, false);
}
