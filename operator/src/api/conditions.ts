import { z } from "zod";
import { Timestamp } from "./formats.js";
import { mapList } from "./lists.js";

const CONDITION_TYPE =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/;
const CONDITION_REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;

export const ConditionStatus = z.enum(["True", "False", "Unknown"]);
export type ConditionStatus = z.infer<typeof ConditionStatus>;

/** A status condition with the semantics of Kubernetes' metav1.Condition. */
export const Condition = z
  .object({
    type: z
      .string()
      .min(1)
      .max(316)
      .regex(CONDITION_TYPE)
      .meta({ description: "Type of condition in CamelCase, e.g. Ready." }),
    status: ConditionStatus.meta({ description: "Status of the condition: True, False or Unknown." }),
    observedGeneration: z.int().min(0).optional().meta({
      description:
        "The metadata.generation the condition was set from; older than the object's generation means stale.",
    }),
    lastTransitionTime: Timestamp.meta({ description: "Last time the condition's status changed." }),
    reason: z.string().min(1).max(1024).regex(CONDITION_REASON).meta({
      description: "A CamelCase reason for the condition's last transition, stable enough for automation.",
    }),
    message: z.string().max(32768).meta({ description: "A human-readable sentence about the transition." }),
  })
  .meta({ description: "One aspect of the object's current state." });
export type Condition = z.infer<typeof Condition>;

/** The `conditions` list of a status: one entry per type. */
export const Conditions = mapList(Condition, ["type"]).meta({
  description: "Current state of the object, one entry per condition type (Ready summarises the others).",
});
export type Conditions = z.infer<typeof Conditions>;
