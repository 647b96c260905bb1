// Public API of localkube's schema library: what kube-apiserver's apiextensions does to custom
// resources and CRDs, with Kubernetes' exact messages. Pure: no I/O.
//
// Request pipeline for a custom resource (the caller's job, in this order):
//   const unknown = prune(schema, obj);          // drop unknown fields (Strict -> 400, Warn -> warnings)
//   applyDefaults(schema, obj);                  // also on read, without writing back
//   const causes = validate(schema, obj, old);   // [] = valid; else 422 with invalidMessage(...)
// CRD create/update: defaultCrd(crd); validateCrd(crd, oldCrd) -> [] or 422 causes.
export type { CauseReason, FieldCause, JSONSchemaProps, ValidationRule } from "./types.js";
export type { CrdNames, CrdVersion, CustomResourceDefinition, PrinterColumn } from "./crd-types.js";
export {
  formatCause,
  invalidMessage,
  invalid,
  typeInvalid,
  required,
  forbidden,
  duplicate,
  notSupported,
  tooLong,
  tooMany,
} from "./errors.js";
export { GoLiteral, goQuote } from "./gofmt.js";
export { prune, OBJECT_META_FIELDS } from "./prune.js";
export { applyDefaults } from "./defaults.js";
export { validate } from "./validate.js";
export { compileCel } from "./cel/environment.js";
export { checkStructural } from "./structural.js";
export { validateCrd, defaultCrd } from "./crd.js";
export { isDns1035Label, isDns1123Label, isDns1123Subdomain } from "./dns.js";
export { evaluateJsonPath, findJsonPath, parseJsonPath } from "./jsonpath.js";
export { crdSchemaToOpenApi, openApiSchemaName, reverseGroup } from "./openapi-publish.js";
