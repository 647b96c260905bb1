/**
 * Identifies a kind of Kubernetes resource by group/version/resource, and builds its REST paths.
 * The runtime addresses everything this way, so it needs no generated client per type.
 */
export interface ResourceType {
  /** "" for the core group (ConfigMaps, Secrets, Events v1 core). */
  readonly group: string;
  readonly version: string;
  /** The plural resource name, e.g. "configmaps", "leases". */
  readonly resource: string;
  readonly namespaced: boolean;
}

export interface ObjectRef {
  namespace?: string;
  name?: string;
  /** e.g. "status". */
  subresource?: string;
}

/** The minimal shape of any Kubernetes object the runtime handles. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  deletionTimestamp?: string;
  ownerReferences?: Array<{
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
  }>;
  managedFields?: unknown[];
  [field: string]: unknown;
}

export function apiVersionOf(type: ResourceType): string {
  return type.group === "" ? type.version : `${type.group}/${type.version}`;
}

/** `/api/v1/namespaces/ns/configmaps/name/status` and friends; omit namespace to span all namespaces. */
export function resourcePath(type: ResourceType, ref: ObjectRef = {}): string {
  const root = type.group === "" ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  const ns = type.namespaced && ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : "";
  const name = ref.name ? `/${encodeURIComponent(ref.name)}` : "";
  const sub = ref.name && ref.subresource ? `/${ref.subresource}` : "";
  return `${root}${ns}/${type.resource}${name}${sub}`;
}

/** The queue key of an object: "namespace/name", or "name" for cluster-scoped objects. */
export function objectKey(obj: { metadata?: { namespace?: string; name?: string } }): string {
  const { namespace, name } = obj.metadata ?? {};
  if (!name) throw new Error("object has no metadata.name");
  return namespace ? `${namespace}/${name}` : name;
}

/** Splits a key made by `objectKey`. */
export function parseKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf("/");
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
