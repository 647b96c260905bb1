/** Legacy JSON discovery (/api, /apis, /apis/g, /apis/g/v, /api/v1) and /version. */
import { pathNotFound } from "../errors.js";
import type { ResourceRegistry } from "../kinds/registry.js";
import type { JsonObject, ResourceType } from "../kinds/types.js";

const VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

export function verbsOf(rt: ResourceType): string[] {
  return rt.review ? ["create"] : VERBS;
}

export function versionInfo(minor: number): JsonObject {
  return {
    major: "1",
    minor: String(minor),
    gitVersion: `v1.${minor}.0`,
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2026-01-01T00:00:00Z",
    goVersion: "go1.23.0",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

export function legacyRoot(serverAddress: string): JsonObject {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function groupEntry(name: string, versions: string[]): JsonObject {
  const entries = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

export function groupList(registry: ResourceRegistry): JsonObject {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: registry.groups().map((g) => groupEntry(g.name, g.versions)),
  };
}

export function apiGroup(registry: ResourceRegistry, group: string): JsonObject {
  const info = registry.groups().find((g) => g.name === group);
  if (!info) throw pathNotFound();
  return { kind: "APIGroup", apiVersion: "v1", ...groupEntry(info.name, info.versions) };
}

function resourceEntries(rt: ResourceType): JsonObject[] {
  const main: JsonObject = {
    name: rt.plural,
    singularName: rt.singular,
    namespaced: rt.namespaced,
    kind: rt.kind,
    verbs: verbsOf(rt),
  };
  if (rt.shortNames.length > 0) main["shortNames"] = rt.shortNames;
  if (rt.categories.length > 0) main["categories"] = rt.categories;
  const out = [main];
  if (rt.statusSubresource)
    out.push({
      name: `${rt.plural}/status`,
      singularName: "",
      namespaced: rt.namespaced,
      kind: rt.kind,
      verbs: ["get", "patch", "update"],
    });
  if (rt.storeKey === "/serviceaccounts")
    out.push({
      name: "serviceaccounts/token",
      singularName: "",
      namespaced: true,
      group: "authentication.k8s.io",
      version: "v1",
      kind: "TokenRequest",
      verbs: ["create"],
    });
  return out;
}

export function resourceList(registry: ResourceRegistry, group: string, version: string): JsonObject {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0) throw pathNotFound();
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: group ? `${group}/${version}` : version,
    resources: types.flatMap(resourceEntries),
  };
}
