/**
 * Connects the RBAC library (localkube/src/auth) to the store: the RBAC objects are read
 * from the store (cached until one of them changes) and the bootstrap roles are seeded.
 */
import {
  authorize,
  defaultClusterRoleBindings,
  defaultClusterRoles,
  forbiddenMessage,
  type Attributes,
  type BindingLike,
  type RbacState,
  type RoleLike,
} from "../auth/index.js";
import type { ResourceRegistry } from "../kinds/registry.js";
import type { KubeObject } from "../kinds/types.js";
import { DEFAULT_WRITE, type ObjectService } from "../objects/service.js";
import type { Store } from "../store.js";
import type { Authorizer, RequestAttributes } from "./authz.js";

const RBAC = "rbac.authorization.k8s.io";
const KEYS = [`${RBAC}/roles`, `${RBAC}/clusterroles`, `${RBAC}/rolebindings`, `${RBAC}/clusterrolebindings`];

/** Creates the bootstrap ClusterRoles and ClusterRoleBindings that are missing. */
export function seedBootstrapRbac(store: Store, registry: ResourceRegistry, service: ObjectService): void {
  const seed = (plural: string, objects: Array<RoleLike | BindingLike>): void => {
    const rt = registry.find(RBAC, "v1", plural);
    if (!rt) return;
    for (const obj of objects)
      if (!store.get(rt.storeKey, undefined, obj.metadata?.name ?? ""))
        service.create(rt, undefined, structuredClone(obj), DEFAULT_WRITE);
  };
  seed("clusterroles", defaultClusterRoles());
  seed("clusterrolebindings", defaultClusterRoleBindings());
}

export function toRbacAttributes(a: RequestAttributes): Attributes {
  if (a.nonResourceURL !== undefined) return { verb: a.verb, nonResourceURL: a.nonResourceURL };
  return {
    verb: a.verb,
    apiGroup: a.apiGroup,
    resource: a.resource,
    ...(a.subresource ? { subresource: a.subresource } : {}),
    ...(a.namespace !== undefined ? { namespace: a.namespace } : {}),
    ...(a.name !== undefined ? { name: a.name } : {}),
  };
}

export function rbacAuthorizer(store: Store): Authorizer {
  let cached: RbacState | undefined;
  store.subscribe((ev) => {
    if (KEYS.includes(ev.storeKey)) cached = undefined;
  });
  const state = (): RbacState => {
    const list = (i: number): KubeObject[] => store.list(KEYS[i] ?? "");
    cached ??= {
      roles: list(0) as RoleLike[],
      clusterRoles: list(1) as RoleLike[],
      roleBindings: list(2) as unknown as BindingLike[],
      clusterRoleBindings: list(3) as unknown as BindingLike[],
    };
    return cached;
  };
  return (attributes) => {
    const subject = { user: attributes.user.name, groups: attributes.user.groups };
    const rbacAttributes = toRbacAttributes(attributes);
    const decision = authorize(subject, rbacAttributes, state());
    if (decision.allowed) return { allowed: true };
    return { allowed: false, message: forbiddenMessage(subject, rbacAttributes, decision.reason) };
  };
}
