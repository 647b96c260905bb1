// Plain shapes of the RBAC objects and request attributes the authorizer works on.
// They mirror rbac.authorization.k8s.io/v1; unknown extra fields are ignored.

export interface Subject {
  user: string;
  groups: string[];
}

export interface ResourceAttributes {
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface NonResourceAttributes {
  verb: string;
  nonResourceURL: string;
}

export type Attributes = ResourceAttributes | NonResourceAttributes;

export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface ObjectMetaLike {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  [key: string]: unknown;
}

export interface RoleLike {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMetaLike;
  rules?: PolicyRule[] | null;
  aggregationRule?: { clusterRoleSelectors?: LabelSelector[] | null } | null;
}

export interface RbacSubject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface BindingLike {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMetaLike;
  roleRef: { kind: string; name: string; apiGroup?: string };
  subjects?: RbacSubject[] | null;
}

export interface RbacState {
  roles: RoleLike[];
  clusterRoles: RoleLike[];
  roleBindings: BindingLike[];
  clusterRoleBindings: BindingLike[];
}

export interface Decision {
  allowed: boolean;
  reason: string;
}

export function isResourceRequest(attributes: Attributes): attributes is ResourceAttributes {
  return !("nonResourceURL" in attributes);
}
