/**
 * The review resources, answered and never stored: SelfSubjectAccessReview (`kubectl auth
 * can-i`) asks the authorizer about the caller; SelfSubjectReview (`kubectl auth whoami`)
 * tells the caller who it is.
 */
import type { Authorizer, RequestAttributes } from "../access/authz.js";
import type { UserInfo } from "../access/authn.js";
import { badRequest, methodNotAllowed } from "../errors.js";
import type { JsonObject } from "../kinds/types.js";
import type { ApiRequest, ApiResponse } from "./context.js";

function attributesOf(user: UserInfo, spec: JsonObject): RequestAttributes {
  const resource = spec["resourceAttributes"] as JsonObject | undefined;
  const nonResource = spec["nonResourceAttributes"] as JsonObject | undefined;
  if (nonResource)
    return {
      user,
      verb: String(nonResource["verb"] ?? ""),
      nonResourceURL: String(nonResource["path"] ?? ""),
      apiGroup: "",
      resource: "",
    };
  if (!resource) throw badRequest("spec.resourceAttributes or spec.nonResourceAttributes is required");
  const str = (k: string): string | undefined =>
    typeof resource[k] === "string" && resource[k] !== "" ? (resource[k] as string) : undefined;
  return {
    user,
    verb: str("verb") ?? "",
    apiGroup: str("group") ?? "",
    resource: str("resource") ?? "",
    ...(str("subresource") ? { subresource: str("subresource") } : {}),
    ...(str("namespace") ? { namespace: str("namespace") } : {}),
    ...(str("name") ? { name: str("name") } : {}),
  };
}

function whoAmI(user: UserInfo): ApiResponse {
  return {
    code: 201,
    body: {
      kind: "SelfSubjectReview",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { creationTimestamp: null },
      status: { userInfo: { username: user.name, groups: user.groups } },
    },
  };
}

export function handleReview(
  req: ApiRequest,
  kind: string,
  user: UserInfo,
  authorizer: Authorizer,
): ApiResponse {
  if (req.method !== "POST") throw methodNotAllowed();
  if (kind === "SelfSubjectReview") return whoAmI(user);
  const body = (req.body ?? {}) as JsonObject;
  const spec = (body["spec"] as JsonObject | undefined) ?? {};
  const decision = user.admin ? { allowed: true } : authorizer(attributesOf(user, spec));
  const status: JsonObject = { allowed: decision.allowed };
  if (!decision.allowed) status["denied"] = false;
  return {
    code: 201,
    body: {
      kind: "SelfSubjectAccessReview",
      apiVersion: "authorization.k8s.io/v1",
      metadata: { creationTimestamp: null },
      spec,
      status,
    },
  };
}
