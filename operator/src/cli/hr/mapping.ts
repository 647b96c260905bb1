/**
 * The mapping file of an HR import: which export column feeds which User field, which columns
 * become labels, and how leavers are marked. Parsed once with zod; every problem listed.
 */
import { z } from "zod";
import { GROUP, LabelKey, UserField } from "../../api/index.js";
import { describeIssues } from "../../api/index.js";

/** Label on every User the HR import manages; leavers are looked for among these only. */
export const MANAGED_BY_LABEL = `${GROUP}/managed-by`;
export const MANAGED_BY_HR_IMPORT = "hr-import";
/** Label naming the HR source when the mapping gives one (several imports can share a cluster). */
export const HR_SOURCE_LABEL = `${GROUP}/hr-source`;

/** User spec fields an export column can feed: the identity fields and the two dates. */
export const MappableField = z.enum([...UserField.options, "startDate", "endDate"]);
export type MappableField = z.infer<typeof MappableField>;

const Column = z.string().min(1).max(256);
const Values = z.array(z.string().min(1)).min(1);

export const Mapping = z.strictObject({
  /** Name of the HR source; becomes the roster.dev/hr-source label and scopes leaver detection. */
  source: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS label such as workday")
    .max(63)
    .optional(),
  /** Export format; by default taken from the file name (.json, otherwise CSV). */
  format: z.enum(["csv", "json"]).optional(),
  /** User field -> column. `username` is required. */
  fields: z
    .partialRecord(MappableField, Column)
    .refine((fields) => fields.username !== undefined, "must map the username field"),
  /** Label key -> column; values are turned into label values (lower case, '-' for other characters). */
  labels: z
    .record(LabelKey, Column)
    .refine(
      (labels) => !(MANAGED_BY_LABEL in labels) && !(HR_SOURCE_LABEL in labels),
      `${MANAGED_BY_LABEL} and ${HR_SOURCE_LABEL} are set by the import itself`,
    )
    .default({}),
  /** A column saying whether the person still works here; rows with a leaver value are terminated. */
  status: z
    .strictObject({
      column: Column,
      leaverValues: Values,
      suspendedValues: Values.optional(),
    })
    .optional(),
});
export type Mapping = z.infer<typeof Mapping>;

export type MappingResult = { ok: true; mapping: Mapping } | { ok: false; errors: string[] };

export function parseMapping(value: unknown): MappingResult {
  const result = Mapping.safeParse(value);
  return result.success
    ? { ok: true, mapping: result.data }
    : { ok: false, errors: describeIssues(result.error) };
}

/** The columns the mapping reads that the export lacks (CSV header or JSON keys). */
export function missingColumns(mapping: Mapping, columns: readonly string[], json: boolean): string[] {
  const wanted = [
    ...Object.values(mapping.fields),
    ...Object.values(mapping.labels),
    ...(mapping.status ? [mapping.status.column] : []),
  ];
  // JSON records may leave out keys whose value is empty; only the username key must appear.
  const required = json ? [mapping.fields.username as string] : wanted;
  return [...new Set(required)].filter((column) => !columns.includes(column)).sort();
}

/**
 * A label value from free text: accents dropped, lower case, runs of other characters become
 * '-', at most 63 characters.
 */
export function labelValue(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .slice(0, 63)
    .replace(/[^a-z0-9]+$/, "");
}
