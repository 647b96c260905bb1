// Public API of localkube's schema library: what kube-apiserver's apiextensions does to custom
// resources and CRDs, with Kubernetes' exact messages. Pure: no I/O.
//
// Request pipeline for a custom resource (the caller's job, in this order):
//   const unknown = prune(schema, obj);          // drop unknown fields (Strict -> 400, Warn -> warnings)
//   applyDefaults(schema, obj);                  // also on read, without writing back
//   const causes = validate(schema, obj, old);   // [] = valid; else 422 with invalidMessage(...)
export type { CauseReason, FieldCause, JSONSchemaProps, ValidationRule } from "./types.js";
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
