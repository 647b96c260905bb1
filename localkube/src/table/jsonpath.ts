/**
 * The JSONPath subset printer columns use: `.a.b`, `.a[0]`, `.a[*].b` and filters
 * `[?(@.type=="Ready")]`. Returns every match.
 */
type Step =
  { key: string } | { index: number } | { all: true } | { filter: { path: string[]; value: string } };

function parseSteps(path: string): Step[] {
  const steps: Step[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\[\*\]|\[\?\(@\.([\w.]+)\s*==\s*["']([^"']*)["']\)\]|\['([^']+)'\]/g;
  let text = path.trim();
  if (text.startsWith("{") && text.endsWith("}")) text = text.slice(1, -1);
  if (text.startsWith("$")) text = text.slice(1);
  for (const m of text.matchAll(re)) {
    if (m[1] !== undefined) steps.push({ key: m[1] });
    else if (m[2] !== undefined) steps.push({ index: Number(m[2]) });
    else if (m[3] !== undefined) steps.push({ filter: { path: m[3].split("."), value: m[4] ?? "" } });
    else if (m[5] !== undefined) steps.push({ key: m[5] });
    else steps.push({ all: true });
  }
  return steps;
}

function dig(value: unknown, path: string[]): unknown {
  let cur = value;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

export function evaluateJsonPath(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  for (const step of parseSteps(path)) {
    const next: unknown[] = [];
    for (const v of current) {
      if ("key" in step) {
        if (v !== null && typeof v === "object" && !Array.isArray(v)) {
          const child = (v as Record<string, unknown>)[step.key];
          if (child !== undefined) next.push(child);
        }
      } else if ("index" in step) {
        if (Array.isArray(v) && step.index < v.length) next.push(v[step.index]);
      } else if ("all" in step) {
        if (Array.isArray(v)) next.push(...(v as unknown[]));
        else if (v !== null && typeof v === "object") next.push(...Object.values(v));
      } else if (Array.isArray(v)) {
        for (const item of v) if (String(dig(item, step.filter.path)) === step.filter.value) next.push(item);
      }
    }
    current = next;
  }
  return current;
}
