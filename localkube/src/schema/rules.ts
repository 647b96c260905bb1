// CRD-time checks of x-kubernetes-validations entries: well-formed fields, a supported reason,
// and rules / messageExpressions that compile (a bad rule makes the CRD invalid).
import { compileCel } from "./cel/environment.js";
import { undefinedFieldError } from "./cel/fieldcheck.js";
import { childPath, indexPath, invalid, notSupported, required } from "./errors.js";
import { GoLiteral, goQuote } from "./gofmt.js";
import type { FieldCause, JSONSchemaProps, ValidationRule } from "./types.js";

const REASONS = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"];

/** %#v of apiextensions.ValidationRule, as Kubernetes prints the rule in a compile error. */
export function goValidationRule(rule: ValidationRule): GoLiteral {
  const reason =
    rule.reason === undefined
      ? "(*apiextensions.FieldValueErrorReason)(nil)"
      : "(*apiextensions.FieldValueErrorReason)(0xc000000000)";
  const optional = rule.optionalOldSelf === undefined ? "(*bool)(nil)" : "(*bool)(0xc000000000)";
  return new GoLiteral(
    `apiextensions.ValidationRule{Rule:${goQuote(rule.rule ?? "")}, Message:${goQuote(rule.message ?? "")}, ` +
      `MessageExpression:${goQuote(rule.messageExpression ?? "")}, Reason:${reason}, ` +
      `FieldPath:${goQuote(rule.fieldPath ?? "")}, OptionalOldSelf:${optional}}`,
  );
}

function checkRuleFields(rule: ValidationRule, path: string, out: FieldCause[]): void {
  const message = rule.message ?? "";
  if ((rule.rule ?? "").trim() === "") out.push(required(childPath(path, "rule"), "rule is not specified"));
  else if (message.length > 0 && message.trim() === "") {
    out.push(invalid(childPath(path, "message"), message, "message must be non-empty if specified"));
  } else if (/\n/.test(message.trim())) {
    out.push(invalid(childPath(path, "message"), message, "message must not contain line breaks"));
  } else if (
    /\n/.test(rule.rule.trim()) &&
    message.trim() === "" &&
    (rule.messageExpression ?? "").trim() === ""
  ) {
    out.push(required(childPath(path, "message"), "message must be specified if rule contains line breaks"));
  }
  if (
    rule.messageExpression !== undefined &&
    rule.messageExpression.length > 0 &&
    rule.messageExpression.trim() === ""
  ) {
    out.push(
      required(childPath(path, "messageExpression"), "messageExpression must be non-empty if specified"),
    );
  }
  if (rule.reason !== undefined && !REASONS.includes(rule.reason)) {
    out.push(notSupported(childPath(path, "reason"), rule.reason, REASONS));
  }
  if (rule.fieldPath !== undefined && rule.fieldPath.length > 0 && rule.fieldPath.trim() === "") {
    out.push(
      invalid(childPath(path, "fieldPath"), rule.fieldPath, "fieldPath must be non-empty if specified"),
    );
  }
}

function checkRuleCompiles(
  node: JSONSchemaProps,
  where: RuleContext,
  rule: ValidationRule,
  path: string,
  out: FieldCause[],
): void {
  if ((rule.rule ?? "").trim() === "") return;
  const optional = rule.optionalOldSelf === true;
  const compiled = compileCel(rule.rule, "bool", optional);
  const error =
    compiled.error ?? undefinedFieldError(rule.rule, compiled.ast, node, where.isRoot === true, optional);
  if (error) out.push(invalid(childPath(path, "rule"), goValidationRule(rule), error));
  if (!compiled.error && compiled.usesOldSelf && where.uncorrelatable !== undefined) {
    const detail = `oldSelf cannot be used on the uncorrelatable portion of the schema within ${where.uncorrelatable}`;
    out.push(invalid(childPath(path, "rule"), rule.rule, detail));
  }
  if (rule.messageExpression && rule.messageExpression.trim() !== "") {
    const message = compileCel(rule.messageExpression, "string", optional);
    if (message.error) {
      const detail = message.error.replace(
        "cel expression must evaluate to a bool",
        "must evaluate to string",
      );
      out.push(
        invalid(childPath(path, "messageExpression"), goValidationRule(rule), `messageExpression ${detail}`),
      );
    }
  }
}

/** Where a rule's node sits: the resource root, or below a list whose items do not correlate. */
export interface RuleContext {
  isRoot?: boolean;
  /** Path of the enclosing non-map list, if any: transition rules are not allowed below it. */
  uncorrelatable?: string;
}

/** Causes for the x-kubernetes-validations of one schema node at `path`. */
export function compileRuleCauses(
  schema: JSONSchemaProps,
  path: string,
  where: RuleContext = {},
): FieldCause[] {
  const out: FieldCause[] = [];
  (schema["x-kubernetes-validations"] ?? []).forEach((rule, i) => {
    const rulePath = indexPath(childPath(path, "x-kubernetes-validations"), i);
    checkRuleFields(rule, rulePath, out);
    checkRuleCompiles(schema, where, rule, rulePath, out);
  });
  return out;
}
