// Field-level causes with Kubernetes' exact wording (k8s.io/apimachinery field.Error.ErrorBody),
// and the aggregate "is invalid" message of apierrors.NewInvalid.
import { goErrorValue, goQuote } from "./gofmt.js";
import type { FieldCause } from "./types.js";

function withDetail(body: string, detail: string | undefined): string {
  return detail ? `${body}: ${detail}` : body;
}

export function invalid(field: string, value: unknown, detail?: string): FieldCause {
  return {
    reason: "FieldValueInvalid",
    field,
    message: withDetail(`Invalid value: ${goErrorValue(value)}`, detail),
  };
}

/** A schema type mismatch (FieldValueTypeInvalid; Kubernetes prints it as "Invalid value"). */
export function typeInvalid(field: string, value: unknown, detail?: string): FieldCause {
  return {
    reason: "FieldValueTypeInvalid",
    field,
    message: withDetail(`Invalid value: ${goErrorValue(value)}`, detail),
  };
}

export function required(field: string, detail?: string): FieldCause {
  return { reason: "FieldValueRequired", field, message: withDetail("Required value", detail) };
}

export function forbidden(field: string, detail?: string): FieldCause {
  return { reason: "FieldValueForbidden", field, message: withDetail("Forbidden", detail) };
}

export function duplicate(field: string, value: unknown): FieldCause {
  return { reason: "FieldValueDuplicate", field, message: `Duplicate value: ${goErrorValue(value)}` };
}

export function notSupported(field: string, value: unknown, validValues: string[]): FieldCause {
  const detail = validValues.length > 0 ? "supported values: " + validValues.map(goQuote).join(", ") : "";
  return {
    reason: "FieldValueNotSupported",
    field,
    message: withDetail(`Unsupported value: ${goErrorValue(value)}`, detail),
  };
}

/** field.TooLongMaxLength (the value itself is never printed). */
export function tooLong(field: string, maxLength: number): FieldCause {
  const detail = maxLength >= 0 ? `may not be longer than ${maxLength}` : "value is too long";
  return { reason: "FieldValueTooLong", field, message: `Too long: ${detail}` };
}

export function tooMany(field: string, actual: number, max: number): FieldCause {
  const detail = max >= 0 ? `must have at most ${max} items` : "has too many items";
  const body = actual >= 0 ? `Too many: ${actual}` : "Too many";
  return { reason: "FieldValueTooMany", field, message: `${body}: ${detail}` };
}

/** The `field: message` form (field.Error.Error()) used inside the Status message. */
export function formatCause(c: FieldCause): string {
  return `${c.field}: ${c.message}`;
}

/**
 * The Status message of a 422 Invalid error (apierrors.NewInvalid): `Widget.example.com "w1" is
 * invalid: <causes>`. Identical cause strings are reported once; several causes are bracketed
 * and comma-separated, a single one is not. `kind` is the qualified kind (`Widget.example.com`,
 * or just `ConfigMap` for the core group).
 */
export function invalidMessage(kind: string, name: string, causes: FieldCause[]): string {
  const head = `${kind} ${goQuote(name)} is invalid`;
  const unique = [...new Set(causes.map(formatCause))];
  if (unique.length === 0) return head;
  if (unique.length === 1) return `${head}: ${unique[0]}`;
  return `${head}: [${unique.join(", ")}]`;
}

/** field.Path helpers: `a.b`, `a[0]`, `a[key]`; the root path is the empty string. */
export function childPath(path: string, name: string): string {
  return path === "" ? name : `${path}.${name}`;
}

export function indexPath(path: string, index: number | string): string {
  return `${path}[${index}]`;
}
