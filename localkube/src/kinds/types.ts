/** Shapes shared by every part of the server. Objects are plain JSON trees. */
export type JsonObject = { [key: string]: unknown };

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: JsonObject[];
  managedFields?: JsonObject[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** One served resource (a group/version/plural). Versions of one kind share one store. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Has a /status subresource that isolates .status. */
  statusSubresource: boolean;
  /** Compiled-in kind: strategic merge patch allowed, list items omit kind/apiVersion, no generation. */
  builtin: boolean;
  /** PUT without metadata.resourceVersion is rejected (CRs, CRDs, Leases). */
  requireResourceVersion: boolean;
  /** Tracks metadata.generation. */
  generation: boolean;
  /** Extra field-selector paths beyond metadata.name / metadata.namespace. */
  selectableFields: string[];
  /** The store all versions of this kind share, e.g. "example.com/widgets". */
  storeKey: string;
  /** The CRD that serves this resource, if any. */
  crdName?: string;
  /** Table columns for `kubectl get` (beyond Name). */
  printerColumns: PrinterColumn[];
  /** Create-only review resource answered by the server, never stored (SelfSubjectAccessReview). */
  review?: boolean;
  /** The OpenAPI v3 schema of the whole object, if known. */
  schema?: JsonObject;
}

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

export function apiVersionOf(rt: Pick<ResourceType, "group" | "version">): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}
