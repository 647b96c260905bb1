/**
 * Puts the playground's manifests into the API server with the real kubectl: `apply` for what
 * must match the running servers at every start, `create` (existing objects left as they are)
 * for the seed of grants and Users.
 */
import type { LocalKube } from "../../test/harness/localkube.js";

export async function applyAll(kube: LocalKube, yaml: string): Promise<void> {
  const result = await kube.kubectl(["apply", "-f", "-"], { input: yaml });
  if (result.code !== 0) throw new Error(`kubectl apply failed: ${result.stderr.trim()}`);
}

/** `kubectl create` of every document; objects that already exist are kept (any other error throws). */
export async function createMissing(kube: LocalKube, yaml: string): Promise<string[]> {
  const result = await kube.kubectl(["create", "-f", "-", "-o", "name"], { input: yaml });
  const problems = result.stderr
    .split("\n")
    .filter((line) => line.trim() !== "" && !/\(AlreadyExists\)/.test(line));
  if (problems.length > 0) throw new Error(`kubectl create failed: ${problems.join("\n")}`);
  return result.stdout.split("\n").filter((line) => line.trim() !== "");
}
