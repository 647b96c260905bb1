/**
 * Credentials kept in the data directory (mode 0600) so a restarted server keeps its CA,
 * admin token and issued ServiceAccount tokens: existing kubeconfigs stay valid.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Credentials } from "../access/authn.js";
import type { TlsMaterial } from "./tls.js";

export interface SavedCredentials extends Credentials {
  tls?: TlsMaterial;
}

function fileIn(dir: string): string {
  return path.join(dir, "credentials.json");
}

export async function loadCredentials(dir: string): Promise<SavedCredentials | undefined> {
  try {
    return JSON.parse(await readFile(fileIn(dir), "utf8")) as SavedCredentials;
  } catch {
    return undefined;
  }
}

export async function saveCredentials(dir: string, credentials: SavedCredentials): Promise<void> {
  await writeFile(fileIn(dir), JSON.stringify(credentials), { mode: 0o600 });
}
