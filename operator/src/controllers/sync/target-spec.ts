/** The settings of a Target object a sync pass reads, with their defaults. */
import type { KubeObject } from "../../runtime/index.js";
import { RELEASE_HELD_CHANGES_ANNOTATION } from "../resources.js";
import type { TargetState } from "./target-state.js";

/** The Target's release-held-changes annotation value, when it has not released a hold yet. */
export function unusedReleaseToken(obj: KubeObject, state: TargetState): string | undefined {
  const token = obj.metadata?.annotations?.[RELEASE_HELD_CHANGES_ANNOTATION];
  return token !== undefined && token !== state.usedReleaseToken ? token : undefined;
}

/** How often the Target is read in full (spec.syncIntervalSeconds, default 300 s), in ms. */
export function syncIntervalMs(obj: KubeObject): number {
  const seconds = (obj.spec as { syncIntervalSeconds?: number } | undefined)?.syncIntervalSeconds ?? 300;
  return seconds * 1000;
}

/** Operations in flight against the Target at most (spec.concurrency, default 4). */
export function concurrencyOf(obj: KubeObject): number {
  return (obj.spec as { concurrency?: number } | undefined)?.concurrency ?? 4;
}
