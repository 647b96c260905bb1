import type { z } from "zod";
import { toStructuralSchema } from "./json-schema.js";
import { structuralViolations } from "./structural.js";
import type { CustomResourceDefinition, JSONSchemaProps, PrinterColumn } from "./types.js";

/** Everything needed to publish one kind as a CustomResourceDefinition with one version. */
export interface CrdDefinition {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  scope: "Cluster" | "Namespaced";
  /** What the kind is; the root description `kubectl explain` shows. */
  description: string;
  spec: z.ZodType;
  status: z.ZodType;
  /** Columns after NAME (and NAMESPACE); Age is appended. */
  printerColumns: PrinterColumn[];
}

const AGE_COLUMN: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };

/** JSONPath of a condition's field, for printer columns. */
export function conditionColumn(
  name: string,
  conditionType: string,
  field: "status" | "reason" | "message",
): PrinterColumn {
  return { name, type: "string", jsonPath: `.status.conditions[?(@.type=="${conditionType}")].${field}` };
}

/** The openAPIV3Schema of a kind: apiVersion, kind, metadata, spec and status. */
export function rootSchema(definition: CrdDefinition): JSONSchemaProps {
  return {
    description: definition.description,
    type: "object",
    required: ["spec"],
    properties: {
      apiVersion: {
        description: "Versioned schema of this representation of an object; here roster.dev/v1alpha1.",
        type: "string",
      },
      kind: { description: `Kind of the object; here ${definition.kind}.`, type: "string" },
      metadata: { type: "object" },
      spec: toStructuralSchema(definition.spec),
      status: toStructuralSchema(definition.status),
    },
  };
}

/**
 * The apiextensions.k8s.io/v1 CustomResourceDefinition of a kind: a pure function of its
 * definition. Throws when the schema is not structural, listing every violation.
 */
export function buildCrd(definition: CrdDefinition): CustomResourceDefinition {
  const schema = rootSchema(definition);
  const violations = structuralViolations(schema);
  if (violations.length > 0) {
    throw new Error(`${definition.kind} schema is not structural:\n  ${violations.join("\n  ")}`);
  }
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${definition.plural}.${definition.group}` },
    spec: {
      group: definition.group,
      names: {
        kind: definition.kind,
        listKind: `${definition.kind}List`,
        plural: definition.plural,
        singular: definition.singular,
        shortNames: [...definition.shortNames],
        categories: [...definition.categories],
      },
      scope: definition.scope,
      versions: [
        {
          name: definition.version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: schema },
          subresources: { status: {} },
          additionalPrinterColumns: [...definition.printerColumns, AGE_COLUMN],
        },
      ],
    },
  };
}
