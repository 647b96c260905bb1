// Types shared by the schema library: the CRD openAPIV3Schema node (apiextensions.k8s.io/v1
// JSONSchemaProps, including the x-kubernetes-* extensions) and the field-level error cause that
// Kubernetes puts into Status.details.causes.

/** One x-kubernetes-validations entry (a CEL rule on a schema node). */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: "FieldValueInvalid" | "FieldValueForbidden" | "FieldValueRequired" | "FieldValueDuplicate";
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

/** apiextensions.k8s.io/v1 JSONSchemaProps: one node of a CRD's openAPIV3Schema. */
export interface JSONSchemaProps {
  id?: string;
  $schema?: string;
  $ref?: string;
  description?: string;
  type?: string;
  format?: string;
  title?: string;
  default?: unknown;
  maximum?: number;
  exclusiveMaximum?: boolean;
  minimum?: number;
  exclusiveMinimum?: boolean;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  maxItems?: number;
  minItems?: number;
  uniqueItems?: boolean;
  multipleOf?: number;
  enum?: unknown[];
  maxProperties?: number;
  minProperties?: number;
  required?: string[];
  items?: JSONSchemaProps | JSONSchemaProps[];
  allOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  patternProperties?: Record<string, JSONSchemaProps>;
  dependencies?: Record<string, JSONSchemaProps | string[]>;
  additionalItems?: JSONSchemaProps | boolean;
  definitions?: Record<string, JSONSchemaProps>;
  externalDocs?: { description?: string; url?: string };
  example?: unknown;
  nullable?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-list-type"?: string;
  "x-kubernetes-map-type"?: string;
  "x-kubernetes-validations"?: ValidationRule[];
}

export type CauseReason =
  | "FieldValueInvalid"
  | "FieldValueRequired"
  | "FieldValueNotSupported"
  | "FieldValueDuplicate"
  | "FieldValueTooLong"
  | "FieldValueTooMany"
  | "FieldValueForbidden"
  | "FieldValueTypeInvalid";

/**
 * One Status.details.causes[] entry. `message` is the error body exactly as Kubernetes writes it
 * (field.Error.ErrorBody(), e.g. `Required value`), `field` the field path (e.g. `spec.size`,
 * `spec.items[0]`, `spec.labels[key]`; "<nil>" when Kubernetes reports no field).
 */
export interface FieldCause {
  reason: CauseReason;
  message: string;
  field: string;
}

/** A JSON value as decoded from a request body. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object (map) as decoded from a request body. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The schema of a node's additionalProperties, when it is a schema (not a boolean or absent). */
export function additionalSchema(s: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  return isObject(s?.additionalProperties) ? (s.additionalProperties as JSONSchemaProps) : undefined;
}

/** The schema of a node's array items, when it is a single schema. */
export function itemsSchema(s: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  return s?.items === undefined || Array.isArray(s.items) ? undefined : s.items;
}
