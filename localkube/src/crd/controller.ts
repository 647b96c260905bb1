/**
 * The CRD controller: accepts names, registers the served resources and sets Established
 * (after a configurable delay); on deletion marks Terminating, deletes every custom
 * resource, then removes the cleanup finalizer so the CRD goes away.
 */
import type { ResourceRegistry } from "../kinds/registry.js";
import type { JsonObject, KubeObject, ResourceType } from "../kinds/types.js";
import { deleteObject } from "../objects/deletion.js";
import { deepEqual } from "../objects/equality.js";
import { nowTime } from "../objects/meta.js";
import { DEFAULT_WRITE, type ObjectService } from "../objects/service.js";
import { TaskScheduler } from "../scheduler.js";
import type { Store, StoreEvent } from "../store.js";
import { CRD_CLEANUP, crdSpec, resourceTypesOf } from "./resourceTypes.js";

const CRD_KEY = "apiextensions.k8s.io/customresourcedefinitions";

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

function namesOf(names: JsonObject | undefined): string[] {
  if (!names) return [];
  const list = [
    names["plural"],
    names["singular"],
    names["kind"],
    names["listKind"],
    ...((names["shortNames"] as string[] | undefined) ?? []),
  ];
  return list.filter((n): n is string => typeof n === "string" && n !== "");
}

export class CrdController {
  private readonly scheduler: TaskScheduler;

  constructor(
    private readonly store: Store,
    private readonly registry: ResourceRegistry,
    private readonly service: ObjectService,
    private readonly establishDelayMs: number,
    onError: (err: unknown) => void,
  ) {
    this.scheduler = new TaskScheduler(onError);
  }

  private get crdType(): ResourceType {
    return this.registry.find("apiextensions.k8s.io", "v1", "customresourcedefinitions") as ResourceType;
  }

  start(): () => void {
    for (const crd of this.store.list(CRD_KEY))
      this.registry.setCustom(crd.metadata.name ?? "", resourceTypesOf(crd));
    const unsubscribe = this.store.subscribe((ev) => this.onEvent(ev));
    return () => {
      unsubscribe();
      this.scheduler.stop();
    };
  }

  private onEvent(ev: StoreEvent): void {
    if (ev.storeKey !== CRD_KEY) return;
    const name = ev.object.metadata.name ?? "";
    if (ev.type === "DELETED") {
      this.registry.setCustom(name, []);
      return;
    }
    const delay = ev.type === "ADDED" ? this.establishDelayMs : 0;
    this.schedule(() => this.reconcile(name), delay);
  }

  private schedule(fn: () => void, delayMs: number): void {
    this.scheduler.run(fn, delayMs);
  }

  /** True when another CRD of the group already holds (has accepted) one of this CRD's names. */
  private conflictsWith(crd: KubeObject): boolean {
    const spec = crdSpec(crd);
    const mine = new Set(namesOf(spec.names as unknown as JsonObject));
    return this.store.list(CRD_KEY).some((other) => {
      if (other.metadata.name === crd.metadata.name || crdSpec(other).group !== spec.group) return false;
      const accepted = (other["status"] as JsonObject | undefined)?.["acceptedNames"] as
        JsonObject | undefined;
      return namesOf(accepted).some((n) => mine.has(n));
    });
  }

  private reconcile(name: string): void {
    const crd = this.store.get(CRD_KEY, undefined, name);
    if (!crd) return;
    if (crd.metadata.deletionTimestamp) {
      this.cleanup(crd);
      return;
    }
    const accepted = !this.conflictsWith(crd);
    if (accepted) this.registry.setCustom(name, resourceTypesOf(crd));
    this.writeStatus(crd, accepted, false);
  }

  private writeStatus(crd: KubeObject, accepted: boolean, terminating: boolean): void {
    const spec = crdSpec(crd);
    const old = (crd["status"] as JsonObject | undefined) ?? {};
    const oldConditions = (old["conditions"] as Condition[] | undefined) ?? [];
    const conditions: Condition[] = accepted
      ? [
          { type: "NamesAccepted", status: "True", reason: "NoConflicts", message: "no conflicts found" },
          {
            type: "Established",
            status: "True",
            reason: "InitialNamesAccepted",
            message: "the initial names have been accepted",
          },
        ]
      : [
          {
            type: "NamesAccepted",
            status: "False",
            reason: "NotAccepted",
            message: `"${spec.names.kind}" is already in use`,
          },
        ];
    if (terminating)
      conditions.push({
        type: "Terminating",
        status: "True",
        reason: "InstanceDeletionInProgress",
        message: "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon",
      });
    for (const c of conditions) {
      const prev = oldConditions.find((o) => o.type === c.type);
      c.lastTransitionTime = prev && prev.status === c.status ? prev.lastTransitionTime : nowTime();
    }
    const stored = new Set((old["storedVersions"] as string[] | undefined) ?? []);
    for (const v of spec.versions) if (v.storage) stored.add(v.name);
    const status = {
      conditions,
      acceptedNames: accepted ? { ...spec.names } : (old["acceptedNames"] ?? { plural: "", kind: "" }),
      storedVersions: [...stored],
    };
    if (deepEqual(old, status)) return;
    this.service.update(
      this.crdType,
      undefined,
      crd.metadata.name ?? "",
      { ...crd, status },
      DEFAULT_WRITE,
      "status",
    );
  }

  private cleanup(crd: KubeObject): void {
    const name = crd.metadata.name ?? "";
    this.writeStatus(crd, !this.conflictsWith(crd), true);
    const types = this.registry.customFor(name);
    const rt = types[0];
    const remaining = rt ? this.store.list(rt.storeKey) : [];
    if (rt)
      for (const obj of remaining)
        if (!obj.metadata.deletionTimestamp)
          deleteObject(this.service, rt, obj.metadata.namespace, obj.metadata.name ?? "", {}, DEFAULT_WRITE);
    if (rt && this.store.list(rt.storeKey).length > 0) {
      this.schedule(() => this.reconcile(name), 100);
      return;
    }
    const current = this.store.get(CRD_KEY, undefined, name);
    if (!current) return;
    const finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== CRD_CLEANUP);
    this.service.update(
      this.crdType,
      undefined,
      name,
      { ...current, metadata: { ...current.metadata, finalizers } },
      DEFAULT_WRITE,
    );
  }
}
