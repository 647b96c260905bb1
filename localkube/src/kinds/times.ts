/** metav1.Time (seconds) and metav1.MicroTime (microseconds) as the API server serialises them. */
const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/;

function utc(value: string): RegExpExecArray | undefined {
  const m = TIMESTAMP.exec(value);
  if (!m) return undefined;
  if (m[3] === "Z") return m;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return undefined;
  return TIMESTAMP.exec(date.toISOString()) ?? undefined;
}

/** "2026-01-01T00:00:00.5Z" -> "2026-01-01T00:00:00.500000Z"; non-timestamps are returned as is. */
export function toMicroTime(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const m = utc(value);
  if (!m) return value;
  return `${m[1]}.${(m[2] ?? "").padEnd(6, "0").slice(0, 6)}Z`;
}

/** "2026-01-01T00:00:00.123Z" -> "2026-01-01T00:00:00Z". */
export function toTime(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const m = utc(value);
  return m ? `${m[1]}Z` : value;
}

/** Rewrites the listed dotted paths of `obj` in place with `format`. */
export function normaliseTimes(
  obj: Record<string, unknown>,
  paths: string[],
  format: (v: unknown) => unknown,
): void {
  for (const path of paths) {
    const parts = path.split(".");
    let node: unknown = obj;
    for (const part of parts.slice(0, -1))
      node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
    const last = parts[parts.length - 1] ?? "";
    if (node && typeof node === "object" && last in node) {
      const record = node as Record<string, unknown>;
      record[last] = format(record[last]);
    }
  }
}
