import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

/** Reading the YAML files tests check: examples, the invalid corpus, generated CRDs. */

export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

export interface Manifest {
  /** "examples/users/sales.yaml#1": file relative to the repository and document index. */
  source: string;
  file: string;
  text: string;
  document: Record<string, unknown>;
}

/** Every .yaml file below a directory, sorted. */
export function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path));
    else if (entry.endsWith(".yaml") || entry.endsWith(".yml")) out.push(path);
  }
  return out;
}

/** Every non-empty YAML document of a file; throws on YAML syntax errors. */
export function readManifests(file: string): Manifest[] {
  const text = readFileSync(file, "utf8");
  const documents = parseAllDocuments(text);
  const manifests: Manifest[] = [];
  for (const [index, document] of documents.entries()) {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
    const value = document.toJS() as unknown;
    if (value === null || value === undefined) continue;
    manifests.push({
      source: `${relative(REPO_ROOT, file)}#${index}`,
      file,
      text,
      document: value as Record<string, unknown>,
    });
  }
  return manifests;
}
