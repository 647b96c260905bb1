import { TransientError } from "../../errors.js";
import { ApiError, isNotFound, type JsonPatchOp, type KubeClient } from "../kube/client.js";
import type { KubeObject, ResourceType } from "../kube/resource.js";

export type FinalizerOutcome =
  /** Nothing to do (already present / already absent): no request was made. */
  { kind: "unchanged"; object: KubeObject } | { kind: "patched"; object: KubeObject } | { kind: "gone" };

export function hasFinalizer(obj: KubeObject, finalizer: string): boolean {
  return obj.metadata?.finalizers?.includes(finalizer) ?? false;
}

/**
 * The JSON Patch that adds `finalizer`: a `test` op guards the exact current list (or, when there
 * is no list yet, the resourceVersion), so a finalizer another controller added meanwhile is never
 * clobbered; the server answers 422 when the guard fails. Pure; undefined when already present.
 */
export function addFinalizerPatch(obj: KubeObject, finalizer: string): JsonPatchOp[] | undefined {
  const current = obj.metadata?.finalizers;
  if (current?.includes(finalizer)) return undefined;
  if (!current || current.length === 0) {
    return [
      { op: "test", path: "/metadata/resourceVersion", value: obj.metadata?.resourceVersion },
      { op: "add", path: "/metadata/finalizers", value: [finalizer] },
    ];
  }
  return [
    { op: "test", path: "/metadata/finalizers", value: current },
    { op: "add", path: "/metadata/finalizers/-", value: finalizer },
  ];
}

/** The JSON Patch that removes `finalizer`, guarded by a `test` of the exact list. Pure. */
export function removeFinalizerPatch(obj: KubeObject, finalizer: string): JsonPatchOp[] | undefined {
  const current = obj.metadata?.finalizers ?? [];
  const index = current.indexOf(finalizer);
  if (index < 0) return undefined;
  return [
    { op: "test", path: "/metadata/finalizers", value: current },
    { op: "remove", path: `/metadata/finalizers/${index}` },
  ];
}

/**
 * Adds or removes one finalizer on live objects with the guarded patches above. When the guard
 * fails (422) or the object changed (409), it re-reads and recomputes, up to `maxAttempts`, then
 * throws a TransientError so the key is requeued.
 */
export class FinalizerHelper {
  constructor(
    private readonly client: KubeClient,
    private readonly type: ResourceType,
    private readonly finalizer: string,
    private readonly maxAttempts = 5,
  ) {}

  add(obj: KubeObject): Promise<FinalizerOutcome> {
    return this.apply(obj, (o) => addFinalizerPatch(o, this.finalizer));
  }

  remove(obj: KubeObject): Promise<FinalizerOutcome> {
    return this.apply(obj, (o) => removeFinalizerPatch(o, this.finalizer));
  }

  private async apply(
    obj: KubeObject,
    build: (o: KubeObject) => JsonPatchOp[] | undefined,
  ): Promise<FinalizerOutcome> {
    let observed = obj;
    for (let attempt = 1; ; attempt++) {
      const ops = build(observed);
      if (!ops) return { kind: "unchanged", object: observed };
      const ref = { namespace: observed.metadata?.namespace, name: observed.metadata?.name };
      try {
        return { kind: "patched", object: await this.client.jsonPatch(this.type, ref, ops) };
      } catch (err) {
        if (isNotFound(err)) return { kind: "gone" };
        if (!isGuardFailure(err)) throw err;
        if (attempt >= this.maxAttempts) {
          throw new TransientError(
            "FinalizerConflict",
            `finalizer ${this.finalizer} patch kept conflicting`,
            {
              cause: err,
            },
          );
        }
        try {
          observed = await this.client.get(this.type, ref);
        } catch (readErr) {
          if (isNotFound(readErr)) return { kind: "gone" };
          throw readErr;
        }
      }
    }
  }
}

function isGuardFailure(err: unknown): boolean {
  return err instanceof ApiError && (err.statusCode === 422 || err.statusCode === 409);
}
