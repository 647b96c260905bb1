import { z } from "zod";
import { celRules, type ValidationRule } from "./crd/extensions.js";

/**
 * Cross-field rules, written once and enforced twice: by zod (`superRefine`) when Roster parses an
 * object, and by the Kubernetes API server (a CEL `x-kubernetes-validations` rule in the CRD)
 * when someone applies one. Each rule states both forms side by side so they cannot drift apart;
 * the unit tests run the CEL form too.
 */
export interface CrossFieldRule<T> {
  /** CEL expression over `self` (the object the rule is attached to). */
  cel: string;
  /** Sentence naming the fields involved; shown by both zod and the API server. */
  message: string;
  /** The field the error belongs to, relative to the object (empty: the object itself). */
  path?: readonly string[];
  reason?: ValidationRule["reason"];
  /** The same rule in TypeScript, over the parsed (defaulted) value. */
  holds: (self: T) => boolean;
}

/** The `x-kubernetes-validations` entry for a rule. */
export function toValidationRule(rule: CrossFieldRule<never>): ValidationRule {
  const validation: ValidationRule = { rule: rule.cel, message: rule.message };
  if (rule.path && rule.path.length > 0) validation.fieldPath = rule.path.map((part) => `.${part}`).join("");
  if (rule.reason) validation.reason = rule.reason;
  return validation;
}

/**
 * Attaches cross-field rules to an object schema: zod checks them on parse, and the CRD builder
 * emits them as CEL validations of the same node. Add `.meta({ description })` after this call.
 */
export function withRules<S extends z.ZodObject>(
  schema: S,
  rules: readonly CrossFieldRule<z.output<S>>[],
): S {
  return schema
    .superRefine((self, ctx) => {
      for (const rule of rules) {
        if (!rule.holds(self))
          ctx.addIssue({ code: "custom", message: rule.message, path: [...(rule.path ?? [])] });
      }
    })
    .meta(celRules(...rules.map((rule) => toValidationRule(rule as CrossFieldRule<never>)))) as S;
}

/** Counts the keys of `self` that are set (not undefined); for "exactly one of" rules. */
export function countSet(self: object, keys: readonly string[]): number {
  return keys.filter((key) => (self as Record<string, unknown>)[key] !== undefined).length;
}

/** The CEL form of `countSet(...) == n`. */
export function celCountSet(keys: readonly string[]): string {
  return keys.map((key) => `(has(self.${key}) ? 1 : 0)`).join(" + ");
}

/** A rule that exactly one of the given optional fields is set. */
export function exactlyOneOf<T extends object>(keys: readonly string[]): CrossFieldRule<T> {
  return {
    cel: `${celCountSet(keys)} == 1`,
    message: `exactly one of ${keys.join(", ")} must be set`,
    holds: (self) => countSet(self, keys) === 1,
  };
}
