/**
 * User manifests for the HR import: the object applied with server-side apply, the diff-friendly
 * YAML written to an output directory (sorted keys, one document per file), and the reverse
 * reading of an existing User. Pure.
 */
import { stringify } from "yaml";
import { API_VERSION, type UserSpec } from "../../api/index.js";
import type { ExistingUser } from "./diff.js";
import type { Person } from "./people.js";

export interface UserManifest {
  apiVersion: string;
  kind: "User";
  metadata: { name: string; labels: Record<string, string> };
  spec: UserSpec;
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The User to apply for a person; keys sorted so output is stable. */
export function userManifest(person: Person): UserManifest {
  return {
    apiVersion: API_VERSION,
    kind: "User",
    metadata: { name: person.name, labels: sortedRecord(person.labels) },
    spec: sortedRecord(person.spec as Record<string, unknown>) as UserSpec,
  };
}

/**
 * Stable YAML: sorted keys everywhere, no line folding, trailing newline. Written for YAML 1.1
 * readers (kubectl, Argo CD), so strings such as dates, "no" or "on" are quoted.
 */
export function manifestYaml(manifest: UserManifest): string {
  return stringify(manifest, { sortMapEntries: true, lineWidth: 0, version: "1.1" });
}

/** The file name of a person's manifest in an output directory. */
export function manifestFileName(name: string): string {
  return `${name}.yaml`;
}

/** Reads the parts of a User (from the cluster or a manifest file) the import compares. */
export function existingUser(obj: unknown): ExistingUser | undefined {
  const user = obj as {
    kind?: unknown;
    metadata?: { name?: unknown; labels?: Record<string, string> };
    spec?: Record<string, unknown>;
  };
  if (user?.kind !== "User" || typeof user.metadata?.name !== "string") return undefined;
  const spec: ExistingUser["spec"] = {};
  for (const [key, value] of Object.entries(user.spec ?? {}))
    if (typeof value === "string") spec[key as keyof UserSpec] = value;
  return { name: user.metadata.name, labels: { ...(user.metadata.labels ?? {}) }, spec };
}
