// Evaluation of x-kubernetes-validations (apiextensions cel.Validator): every rule of every node
// that has a non-null value, with `self` bound to the node and `oldSelf` to the old value at the
// same path. Transition rules (using oldSelf) are skipped when there is no old value, unless the
// rule sets optionalOldSelf (then oldSelf is an optional).
import { Optional } from "@marcbachmann/cel-js";
import { childPath, duplicate, forbidden, indexPath, invalid, required } from "../errors.js";
import type { FieldCause, JSONSchemaProps, ValidationRule } from "../types.js";
import { isObject, additionalSchema } from "../types.js";
import { compileCel, type CompiledRule } from "./environment.js";
import { toCel } from "./values.js";

interface Node {
  schema: JSONSchemaProps;
  value: unknown;
  old: unknown;
  path: string;
  isRoot: boolean;
}

function ruleErrorString(rule: ValidationRule): string {
  return rule.message && rule.message.trim() !== "" ? rule.message.trim() : rule.rule.trim();
}

function ruleMessageOrDefault(rule: ValidationRule): string {
  return rule.message && rule.message !== "" ? rule.message.trim() : `failed rule: ${ruleErrorString(rule)}`;
}

/** The cause field for a rule: the node's path, extended by the rule's fieldPath. */
function rulePath(path: string, fieldPath: string | undefined): string {
  const base = path === "" ? "<nil>" : path;
  if (!fieldPath) return base;
  const normalized = fieldPath
    .replace(/\[\s*'((?:[^'\\]|\\.)*)'\s*\]/g, (_m, key: string) => `.${key.replace(/\\(.)/g, "$1")}`)
    .replace(/^\./, "");
  return path === "" ? normalized : `${path}.${normalized}`;
}

function fieldErrorForReason(rule: ValidationRule, field: string, type: string, detail: string): FieldCause {
  switch (rule.reason) {
    case "FieldValueForbidden":
      return forbidden(field, detail);
    case "FieldValueRequired":
      return required(field, detail);
    case "FieldValueDuplicate":
      return duplicate(field, type);
    default:
      return invalid(field, type, detail);
  }
}

function evaluationErrorDetail(err: unknown, rule: ValidationRule): string {
  const raw = err instanceof Error ? (err.message.split("\n")[0] ?? "") : String(err);
  if (/no such overload|no matching overload/i.test(raw)) {
    return `'no such overload': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(rule)}`;
  }
  return `${celGoErrorText(raw)} evaluating rule: ${ruleErrorString(rule)}`;
}

/** cel-js runtime error text rewritten the way cel-go words the common ones. */
function celGoErrorText(raw: string): string {
  const outOfBounds = /index out of bounds, index (-?\d+)/.exec(raw);
  if (outOfBounds) return `index out of bounds: ${outOfBounds[1]}`;
  const noKey = /^no such key: (.*)$/i.exec(raw);
  if (noKey) return `no such key: ${noKey[1]}`;
  return raw.charAt(0).toLowerCase() + raw.slice(1);
}

function evalMessageExpression(rule: ValidationRule, context: Record<string, unknown>): string | undefined {
  if (!rule.messageExpression) return undefined;
  const compiled = compileCel(rule.messageExpression, "string", rule.optionalOldSelf === true);
  if (!compiled.program) return undefined;
  try {
    const result = compiled.program(context);
    if (typeof result !== "string") return undefined;
    const trimmed = result.trim();
    return trimmed === "" || trimmed.includes("\n") ? undefined : trimmed;
  } catch {
    return undefined;
  }
}

/** `self` / `oldSelf` of a node, converted once and shared by all its rules. */
interface Bindings {
  self: unknown;
  oldSelf: unknown;
  hasOld: boolean;
}

function bindings(node: Node): Bindings {
  const hasOld = node.old !== undefined && node.old !== null;
  return {
    self: toCel(node.value, node.schema, node.isRoot),
    oldSelf: hasOld ? toCel(node.old, node.schema, node.isRoot) : undefined,
    hasOld,
  };
}

function activation(
  b: Bindings,
  rule: ValidationRule,
  compiled: CompiledRule,
): Record<string, unknown> | undefined {
  const { self, oldSelf, hasOld } = b;
  if (rule.optionalOldSelf) return { self, oldSelf: hasOld ? Optional.of(oldSelf) : Optional.none() };
  if (compiled.usesOldSelf && !hasOld) return undefined;
  return hasOld ? { self, oldSelf } : { self };
}

function evaluateRule(node: Node, b: Bindings, rule: ValidationRule): FieldCause | undefined {
  const type = node.schema.type ?? "";
  const field = node.path === "" ? "<nil>" : node.path;
  const compiled = compileCel(rule.rule, "bool", rule.optionalOldSelf === true);
  if (!compiled.program)
    return invalid(field, type, `rule compile error: ${compiled.error ?? "unknown error"}`);
  const context = activation(b, rule, compiled);
  if (context === undefined) return undefined;
  let result: unknown;
  try {
    result = compiled.program(context);
  } catch (err) {
    return invalid(field, type, evaluationErrorDetail(err, rule));
  }
  if (result === true) return undefined;
  const detail = evalMessageExpression(rule, context) ?? ruleMessageOrDefault(rule);
  return fieldErrorForReason(rule, rulePath(node.path, rule.fieldPath), type, detail);
}

function children(node: Node): Node[] {
  const { schema, value, old, path } = node;
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items === undefined || Array.isArray(items)) return [];
    const oldItems = correlateMapList(schema, old);
    return value.map((v, i) => ({
      schema: items,
      value: v,
      old: oldItems(v),
      path: indexPath(path, i),
      isRoot: false,
    }));
  }
  if (!isObject(value)) return [];
  const oldMap = isObject(old) ? old : undefined;
  const additional = additionalSchema(schema);
  const out: Node[] = [];
  for (const [k, v] of Object.entries(value)) {
    const prop = schema.properties?.[k];
    if (prop !== undefined)
      out.push({ schema: prop, value: v, old: oldMap?.[k], path: childPath(path, k), isRoot: false });
    else if (additional !== undefined) {
      out.push({ schema: additional, value: v, old: oldMap?.[k], path: indexPath(path, k), isRoot: false });
    }
  }
  return out;
}

/** Only list-type map items correlate with old items (by their key fields). */
function correlateMapList(schema: JSONSchemaProps, old: unknown): (item: unknown) => unknown {
  const keys = schema["x-kubernetes-list-map-keys"] ?? [];
  if (schema["x-kubernetes-list-type"] !== "map" || !Array.isArray(old) || keys.length === 0)
    return () => undefined;
  const keyOf = (x: unknown): string | undefined =>
    isObject(x) ? JSON.stringify(keys.map((k) => (k in x ? x[k] : null))) : undefined;
  const byKey = new Map(old.map((o) => [keyOf(o), o]));
  return (item) => byKey.get(keyOf(item));
}

function walk(node: Node, out: FieldCause[]): void {
  if (node.value === null || node.value === undefined) return;
  const rules = node.schema["x-kubernetes-validations"] ?? [];
  if (rules.length > 0) {
    const b = bindings(node);
    for (const rule of rules) {
      const cause = evaluateRule(node, b, rule);
      if (cause) out.push(cause);
    }
  }
  for (const sub of node.schema.allOf ?? []) walk({ ...node, schema: sub }, out);
  for (const child of children(node)) walk(child, out);
}

/** CEL causes for a whole custom resource (`obj`) and, on update, its stored version. */
export function validateCel(schema: JSONSchemaProps, obj: unknown, oldObj?: unknown): FieldCause[] {
  const out: FieldCause[] = [];
  walk({ schema, value: obj, old: oldObj, path: "", isRoot: true }, out);
  return out;
}
