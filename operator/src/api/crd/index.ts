/** The CRD builder: zod schemas -> apiextensions.k8s.io/v1 CustomResourceDefinitions. Pure. */
export * from "./extensions.js";
export * from "./types.js";
export * from "./json-schema.js";
export * from "./structural.js";
export * from "./crd.js";
export * from "./roster-crds.js";
export * from "./render.js";
