import { z } from "zod";
import { LabelKey, LabelValue } from "./meta.js";
import { withRules } from "./rules.js";

export const LabelSelectorOperator = z.enum(["In", "NotIn", "Exists", "DoesNotExist"]);
export type LabelSelectorOperator = z.infer<typeof LabelSelectorOperator>;

const needsValues = (operator: LabelSelectorOperator): boolean => operator === "In" || operator === "NotIn";

/** One requirement of a label selector, as in Kubernetes' metav1.LabelSelectorRequirement. */
export const LabelSelectorRequirement = withRules(
  z.strictObject({
    key: LabelKey.meta({ description: "The label key the requirement applies to." }),
    operator: LabelSelectorOperator.meta({
      description: "How the key relates to the values: In, NotIn, Exists or DoesNotExist.",
    }),
    values: z.array(LabelValue).max(64).optional().meta({
      description: "Label values; must be non-empty for In and NotIn and empty for Exists and DoesNotExist.",
    }),
  }),
  [
    {
      cel: "self.operator in ['In', 'NotIn'] ? has(self.values) && size(self.values) > 0 : !has(self.values) || size(self.values) == 0",
      message: "values must be non-empty for In and NotIn, and empty for Exists and DoesNotExist",
      path: ["values"],
      holds: (self) =>
        needsValues(self.operator) ? (self.values?.length ?? 0) > 0 : (self.values?.length ?? 0) === 0,
    },
  ],
).meta({ description: "A label key, an operator and values." });
export type LabelSelectorRequirement = z.infer<typeof LabelSelectorRequirement>;

/**
 * A Kubernetes label selector over Users. The requirements are ANDed; an empty selector selects
 * every User.
 */
export const LabelSelector = z
  .strictObject({
    matchLabels: z
      .record(LabelKey, LabelValue)
      .optional()
      .meta({ description: "Labels a User must carry with exactly these values." }),
    matchExpressions: z.array(LabelSelectorRequirement).max(32).optional().meta({
      description: "Set-based requirements a User's labels must meet.",
    }),
  })
  .meta({
    description:
      "A label selector: matchLabels and matchExpressions are ANDed; an empty selector selects every User.",
  });
export type LabelSelector = z.infer<typeof LabelSelector>;
