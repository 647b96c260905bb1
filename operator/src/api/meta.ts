import { z } from "zod";
import { API_VERSION } from "./group.js";
import { DNS1123_LABEL, LABEL_KEY, LABEL_VALUE, ObjectName } from "./formats.js";

/** Label keys and values as Kubernetes validates them. */
export const LabelKey = z.string().max(317).regex(new RegExp(LABEL_KEY), {
  message: "must be a label key: an optional DNS prefix and '/', then a name",
});
export const LabelValue = z.string().max(63).regex(new RegExp(LABEL_VALUE), {
  message: "must be a label value of at most 63 alphanumerics, '-', '_', '.'",
});
export const Labels = z.record(LabelKey, LabelValue);
export type Labels = z.infer<typeof Labels>;

/**
 * The parts of Kubernetes ObjectMeta that Roster reads. Loose: fields the server sets (uid,
 * resourceVersion, managedFields...) pass through untouched.
 */
export const ObjectMeta = z.looseObject({
  name: ObjectName,
  namespace: z
    .string()
    .max(63)
    .regex(new RegExp(DNS1123_LABEL), { message: "must be a DNS-1123 label" })
    .optional(),
  labels: Labels.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.int().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  finalizers: z.array(z.string()).optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMeta>;

/**
 * A whole Roster object: apiVersion, kind, metadata, spec and (optional) status. The CRD builder
 * takes the spec and status schemas; this is the schema Roster parses objects and manifests with.
 */
export function resourceSchema<K extends string, Spec extends z.ZodType, Status extends z.ZodType>(
  kind: K,
  spec: Spec,
  status: Status,
) {
  return z.object({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal(kind),
    metadata: ObjectMeta,
    spec,
    status: status.optional(),
  });
}
