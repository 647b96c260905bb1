import { z } from "zod";
import { listMapType, listSetType } from "./crd/extensions.js";

/**
 * Lists with Kubernetes list semantics. zod checks the uniqueness the API server enforces for
 * `x-kubernetes-list-type: set` and `map`, so both sides reject the same duplicates.
 */

function firstDuplicate(keys: readonly string[]): number {
  const seen = new Set<string>();
  for (const [index, key] of keys.entries()) {
    if (seen.has(key)) return index;
    seen.add(key);
  }
  return -1;
}

/** A list of unique strings (`x-kubernetes-list-type: set`). */
export function setList<T extends z.ZodType<string>>(item: T) {
  return z
    .array(item)
    .superRefine((values, ctx) => {
      const index = firstDuplicate(values);
      if (index >= 0)
        ctx.addIssue({ code: "custom", path: [index], message: `duplicate value "${values[index]}"` });
    })
    .meta(listSetType());
}

/** A list of objects identified by `keys` (`x-kubernetes-list-type: map`); keys must be required fields. */
export function mapList<T extends z.ZodObject>(item: T, keys: readonly (keyof z.output<T> & string)[]) {
  return z
    .array(item)
    .superRefine((values, ctx) => {
      const identities = values.map((value) => JSON.stringify(keys.map((key) => value[key])));
      const index = firstDuplicate(identities);
      if (index >= 0) {
        ctx.addIssue({
          code: "custom",
          path: [index],
          message: `duplicate entry with ${keys.join(", ")} ${identities[index]}`,
        });
      }
    })
    .meta(listMapType(keys));
}
