/**
 * The HTTP request pipeline: authentication, routing, authorization, body decoding,
 * dispatch, and Status error rendering. Never lets an exception escape to the socket.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { authorizeOrThrow, verbOf, type Authorizer } from "../access/authz.js";
import type { Authenticator, UserInfo } from "../access/authn.js";
import { impersonate } from "../access/impersonation.js";
import { aggregatedContentType, aggregatedDiscovery, aggregatedVersion } from "../discovery/aggregated.js";
import { apiGroup, groupList, legacyRoot, resourceList, versionInfo } from "../discovery/discovery.js";
import { ApiError, internalError, methodNotAllowed, pathNotFound } from "../errors.js";
import type { ApiRequest, ApiResponse, HandlerContext } from "../handlers/context.js";
import { handleResource, isWatch, startWatch, type ResourceTarget } from "../handlers/resources.js";
import { handleReview } from "../handlers/accessReview.js";
import { handleTokenRequest } from "../handlers/tokenRequest.js";
import { openapiDocument, openapiIndex } from "../openapi/openapi.js";
import { decodeBody, readBody } from "./body.js";
import { parseRoute, type Route } from "./router.js";

export interface AppOptions {
  context: HandlerContext;
  authenticator: Authenticator;
  authorizer: () => Authorizer;
  minorVersion: number;
  bodyLimitBytes: number;
  serverAddress: () => string;
  latencyMs: () => number;
  onError: (err: unknown) => void;
}

function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  warnings: string[] = [],
  contentType = "application/json",
): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  const headers: Record<string, string | string[]> = {
    "Content-Type": contentType,
    "Cache-Control": "no-cache, private",
  };
  if (warnings.length > 0) headers["Warning"] = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, err: ApiError): void {
  sendJson(res, err.code, err.status);
}

function discoveryRoot(app: AppOptions, legacy: boolean, accept: string | undefined): ApiResponse {
  const aggregated = aggregatedVersion(accept);
  if (aggregated)
    return {
      code: 200,
      body: aggregatedDiscovery(app.context.registry, legacy, aggregated),
      contentType: aggregatedContentType(aggregated),
    };
  return { code: 200, body: legacy ? legacyRoot(app.serverAddress()) : groupList(app.context.registry) };
}

function nonResource(
  app: AppOptions,
  route: Route,
  method: string,
  accept: string | undefined,
): ApiResponse | string | undefined {
  const { registry } = app.context;
  if (route.type !== "resource" && method !== "GET" && method !== "HEAD") throw methodNotAllowed();
  switch (route.type) {
    case "version":
      return { code: 200, body: versionInfo(app.minorVersion) };
    case "health":
      return "ok";
    case "legacyRoot":
      return discoveryRoot(app, true, accept);
    case "groupList":
      return discoveryRoot(app, false, accept);
    case "group":
      return { code: 200, body: apiGroup(registry, route.group) };
    case "groupVersion":
      return { code: 200, body: resourceList(registry, route.group, route.version) };
    case "openapiIndex":
      return { code: 200, body: openapiIndex(registry, app.minorVersion) };
    case "openapiDoc":
      return { code: 200, body: openapiDocument(registry, route.path, app.minorVersion) };
    case "openapiV2":
    case "unknown":
      throw pathNotFound();
    default:
      return undefined;
  }
}

function resolveTarget(context: HandlerContext, route: Extract<Route, { type: "resource" }>): ResourceTarget {
  const rt = context.registry.find(route.group, route.version, route.plural);
  if (!rt) throw pathNotFound();
  const target: ResourceTarget = { rt };
  if (route.namespace !== undefined) target.namespace = route.namespace;
  if (route.name !== undefined) target.name = route.name;
  if (route.subresource !== undefined) target.subresource = route.subresource;
  return target;
}

/** JSON is the only encoding served: an Accept header that excludes it gets 406. */
function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(",").some((part) => /^\s*(application\/json|application\/\*|\*\/\*)/i.test(part));
}

async function handle(app: AppOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const method = req.method ?? "GET";
  const caller = app.authenticator.authenticate(req.headers.authorization);
  if (!caller) {
    sendJson(res, 401, new ApiError(401, "Unauthorized", "Unauthorized").status);
    return;
  }
  const user = impersonate(caller, req.headers, app.authorizer());
  const latency = app.latencyMs();
  if (latency > 0) await new Promise((r) => setTimeout(r, latency));
  const route = parseRoute(url.pathname);
  if (!acceptsJson(req.headers.accept) && route.type !== "health")
    throw new ApiError(
      406,
      "NotAcceptable",
      "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf",
    );
  if (route.type !== "resource")
    authorizeOrThrow(app.authorizer(), {
      user,
      verb: method.toLowerCase(),
      nonResourceURL: url.pathname,
      apiGroup: "",
      resource: "",
    });
  const plain = nonResource(app, route, method, req.headers.accept);
  if (typeof plain === "string") {
    res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
    res.end(plain);
    return;
  }
  if (plain) return sendJson(res, plain.code, plain.body, [], plain.contentType);
  const target = resolveTarget(app.context, route as Extract<Route, { type: "resource" }>);
  const raw = await readBody(req, app.bodyLimitBytes);
  const apiReq: ApiRequest = {
    method,
    query: url.searchParams,
    headers: req.headers,
    body: decodeBody(raw, req.headers["content-type"]),
    user: user.name,
  };
  authorize(app, user, apiReq, target);
  if (target.rt.review) {
    const out = handleReview(apiReq, target.rt.kind, user, app.authorizer());
    return sendJson(res, out.code, out.body);
  }
  if (target.subresource === "token" && target.rt.storeKey === "/serviceaccounts" && target.name) {
    const out = handleTokenRequest(app.context, app.authenticator, apiReq, target);
    return sendJson(res, out.code, out.body);
  }
  if (isWatch(apiReq, target)) return startWatch(app.context, apiReq, target, res);
  const out = handleResource(app.context, apiReq, target);
  sendJson(res, out.code, out.body, out.warnings);
}

function authorize(app: AppOptions, user: UserInfo, req: ApiRequest, target: ResourceTarget): void {
  const attributes = {
    user,
    verb: verbOf(req.method, target.name !== undefined, isWatch(req, target)),
    apiGroup: target.rt.group,
    resource: target.rt.plural,
    ...(target.subresource ? { subresource: target.subresource } : {}),
    ...(target.namespace !== undefined ? { namespace: target.namespace } : {}),
    ...(target.name !== undefined ? { name: target.name } : {}),
  };
  authorizeOrThrow(app.authorizer(), attributes);
}

/** The request listener for node:http / node:https. */
export function createRequestListener(app: AppOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(app, req, res).catch((err: unknown) => {
      if (err instanceof ApiError) return sendError(res, err);
      // The client went away before its request was read (it aborted it): nobody to answer.
      if (req.destroyed && (err as { code?: string }).code === "ECONNRESET") return;
      app.onError(err);
      sendError(res, internalError(err instanceof Error ? err.message : "unexpected error"));
    });
  };
}
