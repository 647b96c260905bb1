/**
 * Helpers for the shipping tests: find and render Roster's kustomizations with the real
 * `kubectl kustomize`, and apply rendered objects to the local API server.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { parseAllDocuments, stringify } from "yaml";
import type { LocalKube } from "../../harness/localkube.js";

const run = promisify(execFile);

export interface KubeDoc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** Directories under `root` holding a kustomization.yaml, with its kind (Kustomization or Component). */
export function findKustomizations(root: string, skip: string[] = []): Array<{ dir: string; kind: string }> {
  const found: Array<{ dir: string; kind: string }> = [];
  const walk = (dir: string): void => {
    if (skip.some((s) => path.resolve(dir) === path.resolve(s))) return;
    const file = path.join(dir, "kustomization.yaml");
    try {
      const kind = /^kind:\s*(\w+)/m.exec(readFileSync(file, "utf8"))?.[1] ?? "Kustomization";
      found.push({ dir, kind });
    } catch {
      // no kustomization here
    }
    for (const entry of readdirSync(dir)) {
      const child = path.join(dir, entry);
      if (statSync(child).isDirectory()) walk(child);
    }
  };
  walk(root);
  return found.sort((a, b) => a.dir.localeCompare(b.dir));
}

/** `kubectl kustomize DIR` with the default (root-only) load restrictor, parsed into objects. */
export async function render(dir: string): Promise<KubeDoc[]> {
  const { stdout } = await run("kubectl", ["kustomize", dir], { maxBuffer: 32 * 1024 * 1024 });
  return parseAllDocuments(stdout)
    .map((doc) => doc.toJS() as KubeDoc | null)
    .filter((doc): doc is KubeDoc => doc !== null);
}

export const find = (docs: KubeDoc[], kind: string, name?: string): KubeDoc | undefined =>
  docs.find((d) => d.kind === kind && (name === undefined || d.metadata.name === name));

/** "group/version/Kind" keys of the kinds the server serves (from discovery via kubectl). */
export async function servedKinds(kube: LocalKube): Promise<Set<string>> {
  const result = await kube.kubectl(["api-resources", "-o", "wide", "--no-headers"]);
  if (result.code !== 0) throw new Error(`kubectl api-resources failed: ${result.stderr}`);
  const kinds = new Set<string>();
  for (const line of result.stdout.split("\n").filter(Boolean)) {
    const cols = line.trim().split(/\s+/);
    // NAME [SHORTNAMES] APIVERSION NAMESPACED KIND VERBS...: locate NAMESPACED (true/false).
    const at = cols.findIndex((c) => c === "true" || c === "false");
    if (at < 2) continue;
    kinds.add(`${cols[at - 1]}/${cols[at + 1]}`);
  }
  return kinds;
}

/** The same "group/version/Kind" key as `servedKinds` ("v1/Namespace" for the core group). */
export const kindKey = (doc: KubeDoc): string => `${doc.apiVersion}/${doc.kind}`;

/** `kubectl apply -f -` (as the admin, or with `token`); throws with kubectl's stderr. */
export async function applyDocs(kube: LocalKube, docs: KubeDoc[], token?: string): Promise<string> {
  const input = docs.map((d) => stringify(d)).join("---\n");
  const result = await kube.kubectl(["apply", "-f", "-"], { input, ...(token ? { token } : {}) });
  if (result.code !== 0) throw new Error(`kubectl apply failed: ${result.stderr}`);
  return result.stdout;
}

/** Applies CRDs first and waits until they are Established, then everything else. */
export async function applyInOrder(kube: LocalKube, docs: KubeDoc[]): Promise<void> {
  const crds = docs.filter((d) => d.kind === "CustomResourceDefinition");
  if (crds.length > 0) {
    await applyDocs(kube, crds);
    const names = crds.map((c) => `crd/${c.metadata.name}`);
    const waited = await kube.kubectl(["wait", "--for=condition=Established", ...names, "--timeout=30s"]);
    if (waited.code !== 0) throw new Error(`CRDs not established: ${waited.stderr}`);
  }
  const rest = docs.filter((d) => d.kind !== "CustomResourceDefinition");
  if (rest.length > 0) await applyDocs(kube, rest);
}
