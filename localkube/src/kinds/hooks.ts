/**
 * Per-kind rules for built-in kinds, run on every create and update before the object is
 * validated and stored: defaults, normalisation (Secret stringData) and kind validation.
 */
import { badRequest, fieldForbidden, fieldInvalid, fieldRequired, type StatusCause } from "../errors.js";
import { admitCrd } from "../crd/resourceTypes.js";
import { eventHook } from "./events.js";
import { normaliseTimes, toMicroTime } from "./times.js";
import type { JsonObject, KubeObject, ResourceType } from "./types.js";

export type KindHook = (obj: KubeObject, old: KubeObject | undefined, rt: ResourceType) => StatusCause[];

const KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64_CHAR = /[A-Za-z0-9+/]/;

function keyErrors(field: string, data: unknown): StatusCause[] {
  if (data === undefined || data === null) return [];
  return Object.keys(data as JsonObject)
    .filter((k) => !KEY.test(k) || k.length > 253)
    .map((k) =>
      fieldInvalid(
        `${field}`,
        k,
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      ),
    );
}

/** Position of the first invalid byte, as Go's base64 decoder reports it, or -1. */
export function base64ErrorOffset(text: string): number {
  const trimmed = text.replace(/=+$/, "");
  for (let i = 0; i < trimmed.length; i++) if (!BASE64_CHAR.test(trimmed[i] ?? "")) return i;
  const padded = text.length;
  if (padded % 4 !== 0) return Math.floor(padded / 4) * 4;
  return -1;
}

function immutableErrors(obj: KubeObject, old: KubeObject | undefined, fields: string[]): StatusCause[] {
  if (!old || old["immutable"] !== true) return [];
  const causes: StatusCause[] = [];
  if (obj["immutable"] !== true)
    causes.push(fieldForbidden("immutable", "field is immutable when `immutable` is set"));
  for (const f of fields)
    if (JSON.stringify(obj[f] ?? {}) !== JSON.stringify(old[f] ?? {}))
      causes.push(fieldForbidden(f, "field is immutable when `immutable` is set"));
  return causes;
}

const secret: KindHook = (obj, old) => {
  const data: Record<string, string> = { ...((obj["data"] as Record<string, string>) ?? {}) };
  for (const [k, v] of Object.entries(data)) {
    const offset = typeof v === "string" ? base64ErrorOffset(v) : 0;
    if (offset >= 0)
      throw badRequest(
        `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${offset}`,
      );
    data[k] = v;
  }
  const stringData = obj["stringData"] as Record<string, string> | undefined;
  for (const [k, v] of Object.entries(stringData ?? {}))
    data[k] = Buffer.from(String(v), "utf8").toString("base64");
  delete obj["stringData"];
  if (Object.keys(data).length > 0) obj["data"] = data;
  if (!obj["type"]) obj["type"] = "Opaque";
  const causes = keyErrors("data", data);
  if (old && old["type"] !== obj["type"])
    causes.push(fieldInvalid("type", obj["type"], "field is immutable"));
  return [...causes, ...immutableErrors(obj, old, ["data"])];
};

const configMap: KindHook = (obj, old) => {
  const causes = [...keyErrors("data", obj["data"]), ...keyErrors("binaryData", obj["binaryData"])];
  const data = (obj["data"] as JsonObject | undefined) ?? {};
  for (const k of Object.keys((obj["binaryData"] as JsonObject | undefined) ?? {}))
    if (k in data) causes.push(fieldInvalid("data", k, "duplicate of key present in binaryData"));
  return [...causes, ...immutableErrors(obj, old, ["data", "binaryData"])];
};

const namespace: KindHook = (obj, old) => {
  const name = obj.metadata.name ?? "";
  obj.metadata.labels = { ...(obj.metadata.labels ?? {}), "kubernetes.io/metadata.name": name };
  const spec = (obj["spec"] as JsonObject | undefined) ?? {};
  if (!old) {
    obj["spec"] = { ...spec, finalizers: (spec["finalizers"] as string[] | undefined) ?? ["kubernetes"] };
    obj["status"] = { phase: "Active" };
  } else {
    // Namespace spec.finalizers change only through /finalize; status only through /status.
    obj["spec"] = old["spec"];
  }
  return [];
};

const lease: KindHook = (obj) => {
  const spec = (obj["spec"] as JsonObject | undefined) ?? {};
  normaliseTimes(spec, ["acquireTime", "renewTime"], toMicroTime);
  const causes: StatusCause[] = [];
  const duration = spec["leaseDurationSeconds"];
  if (duration !== undefined && (typeof duration !== "number" || duration <= 0))
    causes.push(fieldInvalid("spec.leaseDurationSeconds", duration, "must be greater than 0"));
  const transitions = spec["leaseTransitions"];
  if (transitions !== undefined && (typeof transitions !== "number" || transitions < 0))
    causes.push(fieldInvalid("spec.leaseTransitions", transitions, "must be greater than or equal to 0"));
  return causes;
};

const roleBinding: KindHook = (obj) => {
  const ref = obj["roleRef"] as JsonObject | undefined;
  if (!ref) return [fieldRequired("roleRef")];
  const causes: StatusCause[] = [];
  if (!ref["name"]) causes.push(fieldRequired("roleRef.name"));
  if (!ref["kind"]) causes.push(fieldRequired("roleRef.kind"));
  return causes;
};

const HOOKS: Record<string, KindHook> = {
  "/secrets": secret,
  "/configmaps": configMap,
  "/namespaces": namespace,
  "coordination.k8s.io/leases": lease,
  "rbac.authorization.k8s.io/rolebindings": roleBinding,
  "rbac.authorization.k8s.io/clusterrolebindings": roleBinding,
  "apiextensions.k8s.io/customresourcedefinitions": admitCrd,
  "/events": eventHook,
};

export function kindHook(storeKey: string): KindHook | undefined {
  return HOOKS[storeKey];
}
