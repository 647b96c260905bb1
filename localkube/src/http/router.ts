/** Parses a request path into the route it names; knows nothing of handlers. */
export type Route =
  | { type: "version" }
  | { type: "health"; name: string }
  | { type: "legacyRoot" }
  | { type: "groupList" }
  | { type: "group"; group: string }
  | { type: "groupVersion"; group: string; version: string }
  | { type: "openapiIndex" }
  | { type: "openapiDoc"; path: string }
  | { type: "openapiV2" }
  | {
      type: "resource";
      group: string;
      version: string;
      plural: string;
      namespace?: string;
      name?: string;
      subresource?: string;
    }
  | { type: "unknown" };

const HEALTH = new Set(["healthz", "livez", "readyz"]);

function resourceRoute(group: string, version: string, rest: string[]): Route {
  // namespaces/{ns}/{plural}[/{name}[/{sub}]] unless it is the Namespace itself.
  if (
    rest[0] === "namespaces" &&
    rest.length >= 3 &&
    !(rest.length === 3 && ["status", "finalize"].includes(rest[2] ?? ""))
  ) {
    const [, namespace, plural, name, subresource, ...extra] = rest;
    if (extra.length > 0 || !plural) return { type: "unknown" };
    return withOptional({ type: "resource", group, version, plural, namespace }, name, subresource);
  }
  const [plural, name, subresource, ...extra] = rest;
  if (!plural || extra.length > 0) return { type: "unknown" };
  return withOptional({ type: "resource", group, version, plural }, name, subresource);
}

function withOptional(
  route: Extract<Route, { type: "resource" }>,
  name?: string,
  subresource?: string,
): Route {
  if (name !== undefined) route.name = name;
  if (subresource !== undefined) route.subresource = subresource;
  return route;
}

export function parseRoute(pathname: string): Route {
  const parts = pathname
    .split("/")
    .filter((p) => p.length > 0)
    .map(decodeURIComponent);
  const [first, second, third, ...rest] = parts;
  if (first === "version" && parts.length === 1) return { type: "version" };
  if (first && HEALTH.has(first)) return { type: "health", name: first };
  if (first === "openapi") {
    if (second === "v2" && parts.length === 2) return { type: "openapiV2" };
    if (second === "v3" && parts.length === 2) return { type: "openapiIndex" };
    if (second === "v3") return { type: "openapiDoc", path: parts.slice(2).join("/") };
    return { type: "unknown" };
  }
  if (first === "api") {
    if (!second) return { type: "legacyRoot" };
    if (!third) return { type: "groupVersion", group: "", version: second };
    return resourceRoute("", second, [third, ...rest]);
  }
  if (first === "apis") {
    if (!second) return { type: "groupList" };
    if (!third) return { type: "group", group: second };
    if (rest.length === 0) return { type: "groupVersion", group: second, version: third };
    return resourceRoute(second, third, rest);
  }
  return { type: "unknown" };
}
