/**
 * The write and read pipeline for every kind: create, update (main and /status), patch
 * and get. Enforces optimistic concurrency, status isolation, generation rules, no-op
 * detection and dryRun, and commits exactly one event per effective write.
 */
import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  MODIFIED_CONFLICT,
  notFound,
  qualifiedResource,
} from "../errors.js";
import type { CustomResourceSchema, FieldValidation } from "../crd/schemaSeam.js";
import type { KubeObject, ResourceType } from "../kinds/types.js";
import type { Store } from "../store.js";
import { admit } from "./admission.js";
import { stampManagedFields } from "./fieldManagement.js";
import { toServed, toStored } from "./convert.js";
import { deepEqual, sameOutsideMetadata } from "./equality.js";
import { generateNameSuffix, newFinalizersWhileDeleting, newUid, nowTime, requireName } from "./meta.js";

export interface WriteOptions {
  dryRun: boolean;
  fieldValidation: FieldValidation;
  /** The field manager recorded in managedFields ("" = none). */
  manager?: string;
  /** managedFields were already computed (server-side apply). */
  managedFieldsDone?: boolean;
}

export interface WriteResult {
  object: KubeObject;
  code: number;
  warnings: string[];
}

export const DEFAULT_WRITE: WriteOptions = { dryRun: false, fieldValidation: "Ignore" };

export type SchemaLookup = (rt: ResourceType) => CustomResourceSchema | undefined;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export class ObjectService {
  constructor(
    readonly store: Store,
    private readonly schemaOf: SchemaLookup,
  ) {}

  /** The stored object or 404. */
  stored(rt: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const obj = this.store.get(rt.storeKey, rt.namespaced ? namespace : undefined, name);
    if (!obj) throw notFound(rt.group, rt.plural, name);
    return obj;
  }

  /** Stored form -> served form for `rt`, with read-time defaulting. */
  serve(rt: ResourceType, obj: KubeObject): KubeObject {
    const served = toServed(rt, obj);
    const schema = this.schemaOf(rt);
    return schema ? schema.defaultOnRead(served) : served;
  }

  get(rt: ResourceType, namespace: string | undefined, name: string): KubeObject {
    return this.serve(rt, this.stored(rt, namespace, name));
  }

  private checkNamespaceWritable(rt: ResourceType, namespace: string, name: string): void {
    const ns = this.store.get("/namespaces", undefined, namespace);
    if (!ns) throw notFound("", "namespaces", namespace);
    if (ns.metadata.deletionTimestamp)
      throw forbidden(
        `${qualifiedResource(rt.group, rt.plural)} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        {
          name,
          group: rt.group,
          kind: rt.plural,
          causes: [
            {
              reason: "NamespaceTerminating",
              message: `namespace ${namespace} is being terminated`,
              field: "metadata.namespace",
            },
          ],
        },
      );
  }

  private decode(rt: ResourceType, body: unknown): KubeObject {
    if (!isObject(body))
      throw badRequest(
        `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: the body is not a JSON object`,
      );
    const obj = structuredClone(body) as KubeObject;
    if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
    if (!isObject(obj.metadata))
      throw badRequest(
        `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: metadata must be an object`,
      );
    if (obj.kind !== undefined && obj.kind !== rt.kind)
      throw badRequest(
        `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: no kind "${String(obj.kind)}" is registered for version "${String(obj.apiVersion)}"`,
      );
    return obj;
  }

  private resolveNamespace(rt: ResourceType, obj: KubeObject, urlNamespace: string | undefined): void {
    if (!rt.namespaced) {
      delete obj.metadata.namespace;
      return;
    }
    const bodyNs = obj.metadata.namespace;
    if (bodyNs && urlNamespace && bodyNs !== urlNamespace)
      throw badRequest(
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    obj.metadata.namespace = bodyNs || urlNamespace || "default";
  }

  create(rt: ResourceType, urlNamespace: string | undefined, body: unknown, opts: WriteOptions): WriteResult {
    const obj = toStored(rt, this.decode(rt, body));
    if (obj.metadata.resourceVersion)
      throw new ApiError(500, "InternalError", "resourceVersion should not be set on objects to be created");
    this.resolveNamespace(rt, obj, urlNamespace);
    const nameCauses = requireName(obj.metadata);
    if (nameCauses.length > 0) throw invalid(rt.group, rt.kind, "", nameCauses);
    if (!obj.metadata.name && obj.metadata.generateName)
      obj.metadata.name = obj.metadata.generateName + generateNameSuffix();
    if (rt.namespaced) this.checkNamespaceWritable(rt, obj.metadata.namespace ?? "", obj.metadata.name ?? "");
    if (rt.statusSubresource) delete obj["status"];
    for (const k of [
      "uid",
      "creationTimestamp",
      "deletionTimestamp",
      "deletionGracePeriodSeconds",
      "generation",
    ])
      delete obj.metadata[k];
    const { object, warnings } = admit({
      rt,
      object: obj,
      old: undefined,
      fieldValidation: opts.fieldValidation,
      statusOnly: false,
      schema: this.schemaOf(rt),
    });
    if (!opts.managedFieldsDone) stampManagedFields(rt, undefined, object, opts.manager ?? "", undefined);
    object.metadata.uid = newUid();
    object.metadata.creationTimestamp = nowTime();
    if (rt.generation) object.metadata.generation = 1;
    const name = object.metadata.name ?? "";
    if (this.store.get(rt.storeKey, object.metadata.namespace, name))
      throw alreadyExists(rt.group, rt.plural, name);
    const stored = opts.dryRun ? object : this.store.commit("ADDED", rt.storeKey, object);
    return { object: this.serve(rt, stored), code: 201, warnings };
  }

  /** PUT to the main endpoint or to /status. */
  update(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    opts: WriteOptions,
    subresource?: string,
  ): WriteResult {
    const candidate = this.decode(rt, body);
    if (candidate.metadata.name && candidate.metadata.name !== name)
      throw badRequest(
        `the name of the object (${candidate.metadata.name}) does not match the name on the URL (${name})`,
      );
    const old = this.stored(rt, namespace, name);
    const rv = candidate.metadata.resourceVersion;
    if (!rv && rt.requireResourceVersion)
      throw invalid(rt.group, rt.kind, name, [
        {
          reason: "FieldValueInvalid",
          field: "metadata.resourceVersion",
          message: "Invalid value: 0x0: must be specified for an update",
        },
      ]);
    return this.replace(rt, old, candidate, opts, subresource);
  }

  /**
   * Writes `candidate` (served form) over `old` (stored). A resourceVersion in the
   * candidate is a precondition. Shared by PUT and PATCH.
   */
  replace(
    rt: ResourceType,
    old: KubeObject,
    candidate: KubeObject,
    opts: WriteOptions,
    subresource?: string,
  ): WriteResult {
    const name = old.metadata.name ?? "";
    const rv = candidate.metadata.resourceVersion;
    if (rv && rv !== old.metadata.resourceVersion)
      throw conflict(rt.group, rt.plural, name, MODIFIED_CONFLICT);
    // Callers may pass objects sharing structure with stored ones; admission mutates in place.
    let obj = toStored(rt, structuredClone(candidate));
    const statusOnly = subresource === "status";
    if (statusOnly) {
      obj = { ...structuredClone(old), status: obj["status"] };
      if (obj["status"] === undefined) delete obj["status"];
    } else if (rt.statusSubresource) {
      if (old["status"] === undefined) delete obj["status"];
      else obj["status"] = structuredClone(old["status"]);
    }
    this.carryOver(old, obj);
    const { object, warnings } = admit({
      rt,
      object: obj,
      old,
      fieldValidation: opts.fieldValidation,
      statusOnly,
      schema: this.schemaOf(rt),
      extraCauses: newFinalizersWhileDeleting(old, obj),
    });
    if (rt.generation && !statusOnly) {
      const ignore = rt.statusSubresource ? ["status"] : [];
      if (!sameOutsideMetadata(old, object, ignore))
        object.metadata.generation = (old.metadata.generation ?? 0) + 1;
    }
    if (!opts.managedFieldsDone) stampManagedFields(rt, old, object, opts.manager ?? "", subresource);
    return this.commitUpdate(rt, old, object, opts, warnings);
  }

  /** Server-owned metadata survives every update. */
  private carryOver(old: KubeObject, obj: KubeObject): void {
    const meta = obj.metadata;
    meta.name = old.metadata.name;
    if (old.metadata.namespace) meta.namespace = old.metadata.namespace;
    else delete meta.namespace;
    for (const k of [
      "uid",
      "creationTimestamp",
      "deletionTimestamp",
      "deletionGracePeriodSeconds",
      "generation",
    ]) {
      if (old.metadata[k] === undefined) delete meta[k];
      else meta[k] = old.metadata[k];
    }
    if (meta.managedFields === undefined && old.metadata.managedFields)
      meta.managedFields = old.metadata.managedFields;
    meta.resourceVersion = old.metadata.resourceVersion;
  }

  private commitUpdate(
    rt: ResourceType,
    old: KubeObject,
    obj: KubeObject,
    opts: WriteOptions,
    warnings: string[],
  ): WriteResult {
    if (deepEqual(old, obj)) return { object: this.serve(rt, old), code: 200, warnings };
    if (opts.dryRun) return { object: this.serve(rt, obj), code: 200, warnings };
    if (
      obj.metadata.deletionTimestamp &&
      (obj.metadata.finalizers ?? []).length === 0 &&
      !namespaceFinalizers(obj)
    ) {
      return { object: this.serve(rt, this.store.commit("DELETED", rt.storeKey, obj)), code: 200, warnings };
    }
    return { object: this.serve(rt, this.store.commit("MODIFIED", rt.storeKey, obj)), code: 200, warnings };
  }
}

/** A Namespace is kept while spec.finalizers is non-empty. */
export function namespaceFinalizers(obj: KubeObject): boolean {
  if (obj.kind !== "Namespace" || obj.apiVersion !== "v1") return false;
  const spec = obj["spec"] as { finalizers?: string[] } | undefined;
  return (spec?.finalizers ?? []).length > 0;
}
