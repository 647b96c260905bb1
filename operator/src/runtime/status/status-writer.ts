import { TransientError } from "../../errors.js";
import { isConflict, isNotFound, type KubeClient } from "../kube/client.js";
import type { KubeObject, ResourceType } from "../kube/resource.js";
import { deepEqual } from "./deep-equal.js";
import { mergePatchBetween } from "./merge-patch.js";

export type StatusWriteOutcome =
  /** The status already matched: no request was made. */
  | { kind: "unchanged" }
  | { kind: "written"; object: KubeObject }
  /** The object no longer exists. */
  | { kind: "gone" };

/**
 * Writes `status` to the status subresource only when it deep-differs from the object's current
 * status, as a merge patch (application/merge-patch+json) computed against that status and
 * guarded by the object's resourceVersion. On 409 (the cache was stale) it re-reads the object and
 * tries again, up to `maxAttempts`; if it still conflicts it throws a TransientError so the key is
 * requeued. A no-op reconcile therefore makes zero API writes.
 */
export class StatusWriter {
  constructor(
    private readonly client: KubeClient,
    private readonly type: ResourceType,
    private readonly maxAttempts = 3,
  ) {}

  async write(current: KubeObject, status: Record<string, unknown>): Promise<StatusWriteOutcome> {
    let observed: KubeObject = current;
    for (let attempt = 1; ; attempt++) {
      if (deepEqual(observed.status, status)) return { kind: "unchanged" };
      try {
        return { kind: "written", object: await this.patch(observed, status) };
      } catch (err) {
        if (isNotFound(err)) return { kind: "gone" };
        if (!isConflict(err)) throw err;
        if (attempt >= this.maxAttempts) {
          throw new TransientError(
            "StatusConflict",
            `status write kept conflicting: ${(err as Error).message}`,
            {
              cause: err,
            },
          );
        }
        const reread = await this.reread(observed);
        if (!reread) return { kind: "gone" };
        observed = reread;
      }
    }
  }

  private patch(observed: KubeObject, status: Record<string, unknown>): Promise<KubeObject> {
    const { namespace, name, resourceVersion } = observed.metadata ?? {};
    const statusPatch = mergePatchBetween(observed.status ?? {}, status) ?? {};
    const body = { metadata: { resourceVersion }, status: statusPatch };
    return this.client.mergePatch(this.type, { namespace, name, subresource: "status" }, body);
  }

  private async reread(observed: KubeObject): Promise<KubeObject | undefined> {
    const { namespace, name } = observed.metadata ?? {};
    try {
      return await this.client.get(this.type, { namespace, name });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}
