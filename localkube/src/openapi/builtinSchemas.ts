/** Compact OpenAPI schemas for ObjectMeta and the built-in kinds (enough for `kubectl explain`). */
import type { JsonObject, ResourceType } from "../kinds/types.js";

const str = (description: string): JsonObject => ({ type: "string", description });
const stringMap = (description: string): JsonObject => ({
  type: "object",
  description,
  additionalProperties: { type: "string" },
});
const open = (description: string): JsonObject => ({
  type: "object",
  description,
  "x-kubernetes-preserve-unknown-fields": true,
});

export const OBJECT_META_SCHEMA: JsonObject = {
  type: "object",
  description: "ObjectMeta is metadata that all persisted resources must have.",
  properties: {
    name: str("Name must be unique within a namespace."),
    generateName: str("Optional prefix used by the server to generate a unique name."),
    namespace: str("Namespace defines the space within which each name must be unique."),
    uid: str("UID is the unique in time and space value for this object."),
    resourceVersion: str("An opaque value that represents the internal version of this object."),
    generation: {
      type: "integer",
      format: "int64",
      description: "A sequence number representing a specific generation of the desired state.",
    },
    creationTimestamp: {
      type: "string",
      format: "date-time",
      description: "Server time when this object was created.",
    },
    deletionTimestamp: {
      type: "string",
      format: "date-time",
      description: "Time at which this resource will be deleted.",
    },
    deletionGracePeriodSeconds: {
      type: "integer",
      format: "int64",
      description: "Seconds allowed for graceful termination.",
    },
    labels: stringMap("Map of string keys and values that can be used to organize and categorize objects."),
    annotations: stringMap("Unstructured key value map stored with a resource."),
    finalizers: {
      type: "array",
      items: { type: "string" },
      description: "Must be empty before the object is deleted from the registry.",
      "x-kubernetes-list-type": "set",
    },
    ownerReferences: {
      type: "array",
      items: open("OwnerReference"),
      description: "List of objects depended by this object.",
    },
    managedFields: {
      type: "array",
      items: open("ManagedFieldsEntry"),
      description: "Which fields are managed by which workflow.",
    },
  },
};

export const LIST_META_SCHEMA: JsonObject = {
  type: "object",
  description: "ListMeta describes metadata that synthetic resources must have.",
  properties: {
    continue: str("continue may be set if the user set a limit on the number of items returned."),
    remainingItemCount: {
      type: "integer",
      format: "int64",
      description: "The number of subsequent items in the list.",
    },
    resourceVersion: str("String that identifies the server's internal version of this object."),
  },
};

const KIND_PROPERTIES: Record<string, JsonObject> = {
  ConfigMap: {
    data: stringMap("Data contains the configuration data."),
    binaryData: stringMap("BinaryData contains the binary data."),
    immutable: {
      type: "boolean",
      description: "If set to true, ensures that data stored in the ConfigMap cannot be updated.",
    },
  },
  Secret: {
    data: stringMap("Data contains the secret data, base64 encoded."),
    stringData: stringMap("stringData allows specifying non-binary secret data in string form."),
    type: str("Used to facilitate programmatic handling of secret data."),
    immutable: {
      type: "boolean",
      description: "If set to true, ensures that data stored in the Secret cannot be updated.",
    },
  },
  Namespace: {
    spec: open("Spec defines the behavior of the Namespace."),
    status: open("Status describes the current status of a Namespace."),
  },
  Lease: {
    spec: {
      type: "object",
      description: "LeaseSpec is a specification of a Lease.",
      properties: {
        holderIdentity: str("holderIdentity contains the identity of the holder of a current lease."),
        leaseDurationSeconds: {
          type: "integer",
          format: "int32",
          description: "Duration that candidates for a lease need to wait to force acquire it.",
        },
        acquireTime: {
          type: "string",
          format: "date-time",
          description: "When the current lease was acquired.",
        },
        renewTime: {
          type: "string",
          format: "date-time",
          description: "When the current holder of a lease has last updated the lease.",
        },
        leaseTransitions: {
          type: "integer",
          format: "int32",
          description: "Number of transitions of a lease between holders.",
        },
      },
    },
  },
};

export function builtinSchema(rt: ResourceType): JsonObject {
  const properties = KIND_PROPERTIES[rt.kind];
  if (properties)
    return {
      type: "object",
      description: `${rt.kind} (${rt.group || "core"}/${rt.version}).`,
      properties: { ...properties },
    };
  return { ...open(`${rt.kind} (${rt.group || "core"}/${rt.version}).`), properties: {} };
}
