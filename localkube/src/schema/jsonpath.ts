// The JSONPath subset used by additionalPrinterColumns (and selectableFields): `.a.b`, `.a[0]`,
// `.a[*].b`, `['key.with.dots']`, escaped dots (`a\.b`), and filters such as
// `.status.conditions[?(@.type=="Ready")].status`. An optional `{...}` wrapper is accepted.
import { isObject } from "./types.js";

type Step =
  | { kind: "key"; key: string }
  | { kind: "index"; index: number }
  | { kind: "all" }
  | { kind: "filter"; path: string[]; op: "==" | "!=" | "exists"; value?: unknown };

function parseLiteral(text: string): unknown {
  const t = text.trim();
  if (/^(['"]).*\1$/.test(t)) return t.slice(1, -1);
  if (t === "true" || t === "false") return t === "true";
  if (t !== "" && !Number.isNaN(Number(t))) return Number(t);
  return t;
}

function parseFilter(body: string): Step {
  const m = /^@((?:\.[\w-]+)+)\s*(==|!=)\s*(.+)$/.exec(body.trim());
  if (m)
    return {
      kind: "filter",
      path: m[1]!.slice(1).split("."),
      op: m[2] as "==" | "!=",
      value: parseLiteral(m[3]!),
    };
  const exists = /^@((?:\.[\w-]+)+)$/.exec(body.trim());
  if (exists) return { kind: "filter", path: exists[1]!.slice(1).split("."), op: "exists" };
  throw new Error(`unsupported JSONPath filter: ${body}`);
}

function parseBracket(body: string): Step {
  const t = body.trim();
  if (t === "*") return { kind: "all" };
  if (/^-?\d+$/.test(t)) return { kind: "index", index: Number(t) };
  if (t.startsWith("?(") && t.endsWith(")")) return parseFilter(t.slice(2, -1));
  if (/^(['"]).*\1$/.test(t)) return { kind: "key", key: t.slice(1, -1) };
  throw new Error(`unsupported JSONPath subscript: [${body}]`);
}

/** Splits a path into steps; throws on syntax it does not support. */
export function parseJsonPath(path: string): Step[] {
  let p = path.trim();
  if (p.startsWith("{") && p.endsWith("}")) p = p.slice(1, -1).trim();
  const steps: Step[] = [];
  let i = 0;
  while (i < p.length) {
    const ch = p[i]!;
    if (ch === "$" && i === 0) i++;
    else if (ch === ".") {
      let key = "";
      i++;
      while (i < p.length && p[i] !== "." && p[i] !== "[") {
        if (p[i] === "\\" && i + 1 < p.length) i++;
        key += p[i++];
      }
      if (key === "*") steps.push({ kind: "all" });
      else if (key !== "") steps.push({ kind: "key", key });
    } else if (ch === "[") {
      const end = findClosingBracket(p, i);
      steps.push(parseBracket(p.slice(i + 1, end)));
      i = end + 1;
    } else throw new Error(`unexpected character ${JSON.stringify(ch)} in JSONPath ${path}`);
  }
  return steps;
}

function findClosingBracket(p: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let j = open; j < p.length; j++) {
    const c = p[j];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[") depth++;
    else if (c === "]" && --depth === 0) return j;
  }
  throw new Error(`unterminated [ in JSONPath ${p}`);
}

function get(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), value);
}

function applyStep(values: unknown[], step: Step): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (step.kind === "key" && isObject(v) && step.key in v) out.push(v[step.key]);
    else if (step.kind === "index" && Array.isArray(v)) {
      const item = v[step.index < 0 ? v.length + step.index : step.index];
      if (item !== undefined) out.push(item);
    } else if (step.kind === "all") out.push(...(Array.isArray(v) ? v : isObject(v) ? Object.values(v) : []));
    else if (step.kind === "filter" && Array.isArray(v)) out.push(...v.filter((item) => matches(item, step)));
  }
  return out;
}

function matches(item: unknown, step: Extract<Step, { kind: "filter" }>): boolean {
  const actual = get(item, step.path);
  if (step.op === "exists") return actual !== undefined;
  return step.op === "==" ? actual === step.value : actual !== step.value;
}

/** Every value the path selects in `obj` (empty when nothing matches). */
export function findJsonPath(obj: unknown, path: string): unknown[] {
  return parseJsonPath(path).reduce<unknown[]>((values, step) => applyStep(values, step), [obj]);
}

/**
 * The value a printer column shows: undefined when nothing matches, the value itself for one
 * match, the list of values for several. Throws on unsupported or malformed paths.
 */
export function evaluateJsonPath(obj: unknown, path: string): unknown {
  const found = findJsonPath(obj, path);
  if (found.length === 0) return undefined;
  return found.length === 1 ? found[0] : found;
}
