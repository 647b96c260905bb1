/**
 * Protobuf field numbers of the built-in kinds kubectl ≥ 1.33 sends as
 * application/vnd.kubernetes.protobuf (its typed `create` commands), from k8s.io/api's
 * generated.proto. Only decoding is needed: responses are JSON.
 */
export type FieldType =
  "string" | "bytes" | "bool" | "int" | "time" | "stringMap" | "bytesMap" | { message: string };

export interface FieldSpec {
  name: string;
  type: FieldType;
  repeated?: boolean;
}

export type MessageSchema = Record<number, FieldSpec>;

const s = (name: string, repeated = false): FieldSpec => ({ name, type: "string", repeated });
const m = (name: string, message: string, repeated = false): FieldSpec => ({
  name,
  type: { message },
  repeated,
});

export const MESSAGES: Record<string, MessageSchema> = {
  ObjectMeta: {
    1: s("name"),
    2: s("generateName"),
    3: s("namespace"),
    5: s("uid"),
    6: s("resourceVersion"),
    7: { name: "generation", type: "int" },
    8: { name: "creationTimestamp", type: "time" },
    9: { name: "deletionTimestamp", type: "time" },
    10: { name: "deletionGracePeriodSeconds", type: "int" },
    11: { name: "labels", type: "stringMap" },
    12: { name: "annotations", type: "stringMap" },
    13: m("ownerReferences", "OwnerReference", true),
    14: s("finalizers", true),
  },
  OwnerReference: {
    1: s("kind"),
    3: s("name"),
    4: s("uid"),
    5: s("apiVersion"),
    6: { name: "controller", type: "bool" },
    7: { name: "blockOwnerDeletion", type: "bool" },
  },
  ObjectReference: {
    1: s("kind"),
    2: s("namespace"),
    3: s("name"),
    4: s("uid"),
    5: s("apiVersion"),
    6: s("resourceVersion"),
    7: s("fieldPath"),
  },
  LocalObjectReference: { 1: s("name") },
  ConfigMap: {
    1: m("metadata", "ObjectMeta"),
    2: { name: "data", type: "stringMap" },
    3: { name: "binaryData", type: "bytesMap" },
    4: { name: "immutable", type: "bool" },
  },
  Secret: {
    1: m("metadata", "ObjectMeta"),
    2: { name: "data", type: "bytesMap" },
    3: s("type"),
    4: { name: "stringData", type: "stringMap" },
    5: { name: "immutable", type: "bool" },
  },
  Namespace: {
    1: m("metadata", "ObjectMeta"),
    2: m("spec", "NamespaceSpec"),
    3: m("status", "NamespaceStatus"),
  },
  NamespaceSpec: { 1: s("finalizers", true) },
  NamespaceStatus: { 1: s("phase") },
  ServiceAccount: {
    1: m("metadata", "ObjectMeta"),
    2: m("secrets", "ObjectReference", true),
    3: m("imagePullSecrets", "LocalObjectReference", true),
    4: { name: "automountServiceAccountToken", type: "bool" },
  },
  PolicyRule: {
    1: s("verbs", true),
    2: s("apiGroups", true),
    3: s("resources", true),
    4: s("resourceNames", true),
    5: s("nonResourceURLs", true),
  },
  LabelSelector: {
    1: { name: "matchLabels", type: "stringMap" },
    2: m("matchExpressions", "LabelSelectorRequirement", true),
  },
  LabelSelectorRequirement: { 1: s("key"), 2: s("operator"), 3: s("values", true) },
  AggregationRule: { 1: m("clusterRoleSelectors", "LabelSelector", true) },
  Role: { 1: m("metadata", "ObjectMeta"), 2: m("rules", "PolicyRule", true) },
  ClusterRole: {
    1: m("metadata", "ObjectMeta"),
    2: m("rules", "PolicyRule", true),
    3: m("aggregationRule", "AggregationRule"),
  },
  Subject: { 1: s("kind"), 2: s("apiGroup"), 3: s("name"), 4: s("namespace") },
  RoleRef: { 1: s("apiGroup"), 2: s("kind"), 3: s("name") },
  RoleBinding: {
    1: m("metadata", "ObjectMeta"),
    2: m("subjects", "Subject", true),
    3: m("roleRef", "RoleRef"),
  },
  ClusterRoleBinding: {
    1: m("metadata", "ObjectMeta"),
    2: m("subjects", "Subject", true),
    3: m("roleRef", "RoleRef"),
  },
  TokenRequest: { 1: m("metadata", "ObjectMeta"), 2: m("spec", "TokenRequestSpec") },
  TokenRequestSpec: {
    1: s("audiences", true),
    3: m("boundObjectRef", "BoundObjectReference"),
    4: { name: "expirationSeconds", type: "int" },
  },
  BoundObjectReference: { 1: s("kind"), 2: s("apiVersion"), 3: s("name"), 4: s("uid") },
};
