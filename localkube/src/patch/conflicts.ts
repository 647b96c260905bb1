// Apply conflicts and Kubernetes' wording for them (409 Conflict):
//   Apply failed with 1 conflict: conflict with "kubectl-patch" using example.com/v1: .spec.size
//   Apply failed with 2 conflicts: conflicts with "a" using v1:\n- .spec.x\nconflicts with "b":\n- .spec.y
import { PatchError } from "./errors.js";
import type { Operation } from "./managed-fields.js";

export interface ApplyConflict {
  manager: string;
  operation: Operation;
  /** Shown for Update managers ("using <apiVersion>"); appliers are shown by name only. */
  apiVersion: string;
  subresource?: string;
  /** The conflicting field, e.g. `.spec.size` or `.spec.containers[name="x"].image`. */
  field: string;
}

/** How a manager is named in conflict messages, e.g. `"kubectl-patch" using example.com/v1`. */
export function describeManager(c: Omit<ApplyConflict, "field">): string {
  let text = JSON.stringify(c.manager);
  if (c.subresource) text += ` with subresource ${JSON.stringify(c.subresource)}`;
  return c.operation === "Update" ? `${text} using ${c.apiVersion}` : text;
}

/** Sort key matching Kubernetes' (the manager identifier's JSON: manager, then operation, ...). */
const managerKey = (c: ApplyConflict): string =>
  JSON.stringify([c.manager, c.operation, c.operation === "Update" ? c.apiVersion : "", c.subresource ?? ""]);

/** The message of the 409 Status for these conflicts (at least one). */
export function applyConflictMessage(conflicts: ApplyConflict[]): string {
  const [only] = conflicts;
  if (conflicts.length === 1 && only) {
    return `Apply failed with 1 conflict: conflict with ${describeManager(only)}: ${only.field}`;
  }
  const byManager = new Map<string, ApplyConflict[]>();
  for (const c of conflicts) byManager.set(managerKey(c), [...(byManager.get(managerKey(c)) ?? []), c]);
  const lines: string[] = [];
  for (const key of [...byManager.keys()].sort()) {
    const group = byManager.get(key) ?? [];
    const first = group[0];
    if (!first) continue;
    lines.push(`conflicts with ${describeManager(first)}:`, ...group.map((c) => `- ${c.field}`));
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
}

/** The 409 error for apply conflicts, with one `FieldManagerConflict` cause per field. */
export function applyConflictError(conflicts: ApplyConflict[]): PatchError {
  return new PatchError(
    409,
    "Conflict",
    applyConflictMessage(conflicts),
    conflicts.map((c) => ({
      reason: "FieldManagerConflict",
      message: `conflict with ${describeManager(c)}`,
      field: c.field,
    })),
  );
}
