/**
 * The set of served resources: built-ins plus the resources of Established CRDs.
 * Discovery, OpenAPI and routing all read from here, so they always agree.
 */
import { builtinResourceTypes } from "./builtins.js";
import type { ResourceType } from "./types.js";

export interface GroupInfo {
  name: string;
  /** Served versions, preferred first. */
  versions: string[];
}

/** Kubernetes version priority: GA > beta > alpha, then higher numbers first. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number, string] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0, v];
    const stage = m[2] === "alpha" ? 2 : m[2] === "beta" ? 1 : 0;
    return [stage, -Number(m[1]), -Number(m[3] ?? 0), v];
  };
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] as number) - (pb[i] as number);
    if (d !== 0) return d;
  }
  return pa[3].localeCompare(pb[3]);
}

export class ResourceRegistry {
  private readonly builtins = builtinResourceTypes();
  private custom = new Map<string, ResourceType[]>();
  private generationCounter = 0;

  /** Bumped whenever the served set changes (used for OpenAPI hashes and discovery). */
  get generation(): number {
    return this.generationCounter;
  }

  all(): ResourceType[] {
    return [...this.builtins, ...[...this.custom.values()].flat()];
  }

  /** Replaces the resources served for one CRD (empty removes them). */
  setCustom(crdName: string, types: ResourceType[]): void {
    if (types.length === 0) this.custom.delete(crdName);
    else this.custom.set(crdName, types);
    this.generationCounter++;
  }

  customFor(crdName: string): ResourceType[] {
    return this.custom.get(crdName) ?? [];
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.all().find((r) => r.group === group && r.version === version && r.plural === plural);
  }

  byKind(group: string, version: string, kind: string): ResourceType | undefined {
    return this.all().find((r) => r.group === group && r.version === version && r.kind === kind);
  }

  /** Preferred-version resource of a store, e.g. for namespace cleanup. */
  storeKeys(): Map<string, ResourceType> {
    const out = new Map<string, ResourceType>();
    for (const r of this.all()) if (!out.has(r.storeKey)) out.set(r.storeKey, r);
    return out;
  }

  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.all().filter((r) => r.group === group && r.version === version);
  }

  groups(): GroupInfo[] {
    const byGroup = new Map<string, Set<string>>();
    for (const r of this.all()) {
      if (!r.group) continue;
      const set = byGroup.get(r.group) ?? new Set<string>();
      set.add(r.version);
      byGroup.set(r.group, set);
    }
    return [...byGroup.entries()].map(([name, versions]) => ({
      name,
      versions: [...versions].sort(compareVersions),
    }));
  }
}
