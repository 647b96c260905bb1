/**
 * The authorization seam: every resource request is described as RequestAttributes and
 * passed to an Authorizer. RBAC evaluation itself lives in localkube/src/auth.
 */
import { forbidden, type ApiError } from "../errors.js";
import type { UserInfo } from "./authn.js";

export interface RequestAttributes {
  user: UserInfo;
  verb: string;
  /** Set for non-resource requests (/version, /apis, /openapi/v3 ...). */
  nonResourceURL?: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface Decision {
  allowed: boolean;
  /** Kubernetes' Forbidden message when denied. */
  message?: string;
}

export type Authorizer = (attributes: RequestAttributes) => Decision;

export const allowAll: Authorizer = () => ({ allowed: true });

/** Maps an HTTP method (and whether a name / watch is present) to the RBAC verb. */
export function verbOf(method: string, hasName: boolean, watch: boolean): string {
  switch (method) {
    case "GET":
    case "HEAD":
      return watch ? "watch" : hasName ? "get" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return hasName ? "delete" : "deletecollection";
    default:
      return method.toLowerCase();
  }
}

function defaultMessage(a: RequestAttributes): string {
  if (a.nonResourceURL !== undefined)
    return `forbidden: User "${a.user.name}" cannot ${a.verb} path "${a.nonResourceURL}"`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const subject = a.name ? `${a.resource} "${a.name}"` : a.resource;
  const where = a.namespace ? ` in the namespace "${a.namespace}"` : " at the cluster scope";
  return `${subject} is forbidden: User "${a.user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}"${where}`;
}

export function authorizeOrThrow(authorizer: Authorizer, attributes: RequestAttributes): void {
  if (attributes.user.admin) return;
  const decision = authorizer(attributes);
  if (decision.allowed) return;
  const error: ApiError = forbidden(decision.message ?? defaultMessage(attributes), {
    group: attributes.apiGroup,
    kind: attributes.resource,
    ...(attributes.name ? { name: attributes.name } : {}),
  });
  throw error;
}
