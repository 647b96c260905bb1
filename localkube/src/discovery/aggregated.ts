/**
 * Aggregated discovery (apidiscovery.k8s.io/v2 and v2beta1): /api and /apis answer with every
 * group, version and resource in one document when the client's Accept asks for it first.
 */
import type { ResourceRegistry } from "../kinds/registry.js";
import type { JsonObject, ResourceType } from "../kinds/types.js";
import { verbsOf } from "./discovery.js";

/** The aggregated media type the client accepts ("v2" or "v2beta1"), preferring v2. */
export function aggregatedVersion(accept: string | undefined): "v2" | "v2beta1" | undefined {
  for (const part of (accept ?? "").split(",")) {
    if (!/as=APIGroupDiscoveryList/.test(part) || !/g=apidiscovery\.k8s\.io/.test(part)) continue;
    const v = /v=(v2beta1|v2)\b/.exec(part)?.[1];
    if (v === "v2" || v === "v2beta1") return v;
  }
  return undefined;
}

export function aggregatedContentType(version: "v2" | "v2beta1"): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

function resourceEntry(rt: ResourceType): JsonObject {
  const responseKind = { group: rt.group, version: rt.version, kind: rt.kind };
  const entry: JsonObject = {
    resource: rt.plural,
    responseKind,
    scope: rt.namespaced ? "Namespaced" : "Cluster",
    singularResource: rt.singular,
    verbs: verbsOf(rt),
  };
  if (rt.shortNames.length > 0) entry["shortNames"] = rt.shortNames;
  if (rt.categories.length > 0) entry["categories"] = rt.categories;
  if (rt.statusSubresource)
    entry["subresources"] = [{ subresource: "status", responseKind, verbs: ["get", "patch", "update"] }];
  return entry;
}

function groupEntry(registry: ResourceRegistry, name: string, versions: string[]): JsonObject {
  return {
    metadata: { name, creationTimestamp: null },
    versions: versions.map((version) => ({
      version,
      resources: registry.inGroupVersion(name, version).map(resourceEntry),
      freshness: "Current",
    })),
  };
}

/** The document for /api (legacy: true) or /apis. */
export function aggregatedDiscovery(
  registry: ResourceRegistry,
  legacy: boolean,
  version: "v2" | "v2beta1",
): JsonObject {
  const items = legacy
    ? [groupEntry(registry, "", ["v1"])]
    : registry.groups().map((g) => groupEntry(registry, g.name, g.versions));
  return { kind: "APIGroupDiscoveryList", apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}
