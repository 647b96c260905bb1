/**
 * The playground's own manifests (manifests/playground/): Targets and their Secrets are templates
 * filled with the local servers' URLs and credentials at every start; the namespace, grants and
 * Users are seeded once (created when absent, so later starts keep what you changed).
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parseAllDocuments, stringify } from "yaml";

export const PLAYGROUND_NAMESPACE = "playground";

/** The Targets of manifests/playground/targets/, by the system that serves them. */
export const TARGET_NAMES = { ldap: "directory", postgres: "warehouse", scim: "crm", ad: "windows" } as const;

export interface PlaygroundManifests {
  /** Namespace, Secrets and Targets: applied at every start (ports and passwords change). */
  infrastructure: string;
  /** AccessGrants and Users: created only when absent. */
  seed: string;
}

/** Values a template may contain: no quotes, backslashes, spaces or line breaks to escape. */
const SAFE_VALUE = /^[\w.:/@,=!+-]*$/;

/** Replaces every `${NAME}` with its value; an unknown name or an unsafe value is an error. */
export function fillTemplate(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{([A-Z0-9_]+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`manifest placeholder \${${name}} has no value`);
    if (!SAFE_VALUE.test(value))
      throw new Error(`value of \${${name}} has characters the template cannot hold`);
    return value;
  });
}

async function yamlFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".yaml")).sort();
  return names.map((n) => path.join(dir, n));
}

interface Doc {
  kind?: string;
  spec?: { target?: string; roles?: string[] };
}

function documents(text: string): Doc[] {
  return parseAllDocuments(text)
    .filter((d) => d.contents !== null)
    .map((d) => d.toJS() as Doc);
}

/** Reads the manifests for the enabled targets (names from TARGET_NAMES), Targets filled with `values`. */
export async function loadManifests(
  root: string,
  targets: readonly string[],
  values: Record<string, string>,
): Promise<PlaygroundManifests> {
  const infrastructure = [await readFile(path.join(root, "00-namespace.yaml"), "utf8")];
  for (const name of targets) {
    const template = await readFile(path.join(root, "targets", `${name}.yaml`), "utf8");
    infrastructure.push(fillTemplate(template, values));
  }
  const seed: string[] = [];
  for (const file of [
    ...(await yamlFiles(path.join(root, "grants"))),
    ...(await yamlFiles(path.join(root, "users"))),
  ]) {
    for (const doc of documents(await readFile(file, "utf8"))) {
      const forTarget = doc.kind !== "AccessGrant" || targets.includes(doc.spec?.target ?? "");
      if (forTarget) seed.push(stringify(doc));
    }
  }
  return { infrastructure: infrastructure.join("\n---\n"), seed: seed.join("---\n") };
}

/**
 * Every role the playground's grants (seeded and walkthrough ones) name in `target`: the groups
 * a directory must hold before Roster can add members (LDAP and AD groups are not created by Roster).
 */
export async function rolesOf(root: string, target: string): Promise<string[]> {
  const roles = new Set<string>();
  for (const sub of ["grants", "walkthrough"]) {
    for (const file of await yamlFiles(path.join(root, sub))) {
      for (const doc of documents(await readFile(file, "utf8"))) {
        if (doc.kind === "AccessGrant" && doc.spec?.target === target)
          doc.spec.roles?.forEach((r) => roles.add(r));
      }
    }
  }
  return [...roles].sort();
}
