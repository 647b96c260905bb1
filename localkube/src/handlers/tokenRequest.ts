/** POST .../serviceaccounts/NAME/token (TokenRequest): issues an opaque bearer token. */
import type { Authenticator } from "../access/authn.js";
import { methodNotAllowed } from "../errors.js";
import { nowTime } from "../objects/meta.js";
import type { ApiRequest, ApiResponse, HandlerContext } from "./context.js";
import type { ResourceTarget } from "./resources.js";

export function handleTokenRequest(
  ctx: HandlerContext,
  authenticator: Authenticator,
  req: ApiRequest,
  target: ResourceTarget,
): ApiResponse {
  if (req.method !== "POST") throw methodNotAllowed();
  const name = target.name ?? "";
  const sa = ctx.service.stored(target.rt, target.namespace, name);
  const spec =
    (req.body as { spec?: { expirationSeconds?: number; audiences?: string[] } } | undefined)?.spec ?? {};
  const expirationSeconds = spec.expirationSeconds ?? 3600;
  const token = authenticator.issue(sa.metadata.namespace ?? "", name);
  return {
    code: 201,
    body: {
      kind: "TokenRequest",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { name, namespace: sa.metadata.namespace, creationTimestamp: nowTime() },
      spec: { audiences: spec.audiences ?? [], expirationSeconds, boundObjectRef: null },
      status: {
        token,
        expirationTimestamp: new Date(Date.now() + expirationSeconds * 1000)
          .toISOString()
          .replace(/\.\d{3}Z$/, "Z"),
      },
    },
  };
}
