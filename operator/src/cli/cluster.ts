/**
 * The CLI's access to the cluster, as kubectl does it: the kubeconfig from --kubeconfig,
 * $KUBECONFIG or ~/.kube/config, its current context unless --context says otherwise.
 */
import type { AccessGrant, Target, User } from "../api/index.js";
import { ACCESS_GRANTS, TARGETS, USERS } from "../controllers/resources.js";
import { ApiError, KubeClient, loadKubeConfig, type KubeObject } from "../runtime/index.js";
import { messageOf } from "./command.js";

export interface ClusterOptions {
  kubeconfig?: string;
  context?: string;
}

export function connect(options: ClusterOptions): KubeClient {
  let config;
  try {
    config = loadKubeConfig(options.kubeconfig);
  } catch (err) {
    throw new Error(
      `cannot load the kubeconfig${options.kubeconfig ? ` ${options.kubeconfig}` : ""}: ${messageOf(err)}`,
    );
  }
  if (options.context) {
    if (!config.getContexts().some((c) => c.name === options.context))
      throw new Error(`context ${JSON.stringify(options.context)} is not in the kubeconfig`);
    config.setCurrentContext(options.context);
  }
  return new KubeClient(config);
}

/** Every Roster object the audit commands read, as the API server stored them. */
export interface Snapshot {
  users: User[];
  grants: AccessGrant[];
  targets: Target[];
}

function explain(err: unknown, what: string): Error {
  if (err instanceof ApiError && err.statusCode === 404)
    return new Error(`the server has no ${what} resource: are Roster's CRDs installed?`);
  if (err instanceof ApiError && (err.statusCode === 401 || err.statusCode === 403))
    return new Error(`not allowed to list ${what}: ${err.message}`);
  return err instanceof Error ? err : new Error(String(err));
}

async function listAll<T>(client: KubeClient, type: typeof USERS, what: string): Promise<T[]> {
  try {
    const { items } = await client.list<KubeObject>(type);
    return items as unknown as T[];
  } catch (err) {
    throw explain(err, what);
  }
}

export function listUsers(client: KubeClient): Promise<User[]> {
  return listAll<User>(client, USERS, "users.roster.dev");
}

export async function readSnapshot(client: KubeClient): Promise<Snapshot> {
  const [users, grants, targets] = await Promise.all([
    listUsers(client),
    listAll<AccessGrant>(client, ACCESS_GRANTS, "accessgrants.roster.dev"),
    listAll<Target>(client, TARGETS, "targets.roster.dev"),
  ]);
  return { users, grants, targets };
}

export const HR_IMPORT_FIELD_MANAGER = "roster-hr-import";
const APPLY_PATCH = "application/apply-patch+yaml";

/**
 * Server-side apply of a User under the import's own field manager, forcing ownership of the
 * fields it sets (HR is the source of truth for them). JSON is valid YAML, so the body is JSON.
 */
export async function applyUser(client: KubeClient, manifest: { metadata: { name: string } }): Promise<void> {
  const name = manifest.metadata.name;
  await client.request("PATCH", `/apis/${USERS.group}/${USERS.version}/users/${encodeURIComponent(name)}`, {
    body: manifest,
    contentType: APPLY_PATCH,
    query: { fieldManager: HR_IMPORT_FIELD_MANAGER, force: true },
  });
}
