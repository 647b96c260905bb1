// The CEL environment used for x-kubernetes-validations: @marcbachmann/cel-js plus the Kubernetes
// extension functions it lacks (lists: sum/min/max/indexOf/lastIndexOf/isSorted; strings:
// charAt/replace/reverse; regex: find/findAll; timestamp(timestamp)). Rules are compiled once
// and cached by their text.
import { Environment, evaluate } from "@marcbachmann/cel-js";

export type CelProgram = (context: Record<string, unknown>) => unknown;

export interface CompiledRule {
  program?: CelProgram;
  /** The parsed expression (cel-js AST), for schema-aware checks. */
  ast?: unknown;
  /** Why the expression does not compile (parse or type-check error), cel-go style. */
  error?: string;
  usesOldSelf: boolean;
}

type Ordered = bigint | number | string;

function compare(a: Ordered, b: Ordered): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function listMin(list: Ordered[]): Ordered {
  if (list.length === 0) throw new Error("min(list) argument must not be empty");
  return list.reduce((m, x) => (compare(x, m) < 0 ? x : m));
}

function listMax(list: Ordered[]): Ordered {
  if (list.length === 0) throw new Error("max(list) argument must not be empty");
  return list.reduce((m, x) => (compare(x, m) > 0 ? x : m));
}

function listSum(list: (bigint | number)[]): bigint | number {
  if (list.length === 0) return 0n;
  return list.reduce((s, x) =>
    typeof s === "bigint" && typeof x === "bigint" ? s + x : Number(s) + Number(x),
  );
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === "object" && JSON.stringify(a) === JSON.stringify(b));
}

function registerKubernetesLibrary(env: Environment): Environment {
  return env
    .registerFunction("timestamp(google.protobuf.Timestamp): google.protobuf.Timestamp", (t: Date) => t)
    .registerFunction("list.sum(): dyn", listSum)
    .registerFunction("list.min(): dyn", listMin)
    .registerFunction("list.max(): dyn", listMax)
    .registerFunction("list.isSorted(): bool", (l: Ordered[]) =>
      l.every((x, i) => i === 0 || compare(l[i - 1]!, x) <= 0),
    )
    .registerFunction("list.indexOf(dyn): int", (l: unknown[], x: unknown) =>
      BigInt(l.findIndex((y) => sameValue(y, x))),
    )
    .registerFunction("list.lastIndexOf(dyn): int", (l: unknown[], x: unknown) =>
      BigInt(l.findLastIndex((y) => sameValue(y, x))),
    )
    .registerFunction("string.charAt(int): string", (s: string, i: bigint) => [...s][Number(i)] ?? "")
    .registerFunction("string.replace(string, string): string", (s: string, a: string, b: string) =>
      s.split(a).join(b),
    )
    .registerFunction("string.replace(string, string, int): string", replaceN)
    .registerFunction("string.reverse(): string", (s: string) => [...s].reverse().join(""))
    .registerFunction(
      "string.find(string): string",
      (s: string, re: string) => new RegExp(re, "u").exec(s)?.[0] ?? "",
    )
    .registerFunction("string.findAll(string): list<string>", (s: string, re: string) =>
      [...s.matchAll(new RegExp(re, "gu"))].map((m) => m[0]),
    );
}

function replaceN(s: string, a: string, b: string, n: bigint): string {
  if (n < 0n) return s.split(a).join(b);
  const parts = s.split(a);
  const count = Math.min(Number(n), parts.length - 1);
  return (
    parts.slice(0, count + 1).join(b) + (count < parts.length - 1 ? a + parts.slice(count + 1).join(a) : "")
  );
}

const environments = new Map<boolean, Environment>();

/**
 * The shared environment: `self` is dynamically typed; `oldSelf` too, or `optional<dyn>` for
 * rules with optionalOldSelf (as Kubernetes types it for those rules).
 */
export function celEnvironment(optionalOldSelf = false): Environment {
  let env = environments.get(optionalOldSelf);
  if (env === undefined) {
    env = registerKubernetesLibrary(
      new Environment({ homogeneousAggregateLiterals: false, enableOptionalTypes: true })
        .registerVariable("self", "dyn")
        .registerVariable("oldSelf", optionalOldSelf ? "optional<dyn>" : "dyn"),
    );
    environments.set(optionalOldSelf, env);
  }
  return env;
}

/** Whether the expression references `oldSelf` outside string literals (a transition rule). */
export function referencesOldSelf(expression: string): boolean {
  const withoutStrings = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  return /(^|[^.\w])oldSelf\b/.test(withoutStrings);
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

const cache = new Map<string, CompiledRule>();

/**
 * Compiles `expression` (cached by text). `resultType` is the CEL type the expression must have
 * ("bool" for rules, "string" for messageExpression); `dyn` results are accepted.
 * `optionalOldSelf` compiles it for a rule with optionalOldSelf: true.
 */
export function compileCel(
  expression: string,
  resultType: "bool" | "string" = "bool",
  optionalOldSelf = false,
): CompiledRule {
  const cacheKey = `${resultType}\u0000${optionalOldSelf}\u0000${expression}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const compiled = compileUncached(expression, resultType, optionalOldSelf);
  cache.set(cacheKey, compiled);
  return compiled;
}

function compileUncached(expression: string, resultType: string, optionalOldSelf: boolean): CompiledRule {
  const usesOldSelf = referencesOldSelf(expression);
  const env = celEnvironment(optionalOldSelf);
  try {
    const parsed = env.parse(expression);
    const program = parsed as unknown as CelProgram;
    const checked = env.check(expression);
    if (!checked.valid) {
      return {
        usesOldSelf,
        error: `compilation failed: ERROR: <input>: ${firstLine(checked.error?.message ?? "")}`,
      };
    }
    if (checked.type !== resultType && checked.type !== "dyn") {
      const what =
        resultType === "bool" ? "cel expression must evaluate to a bool" : "must evaluate to string";
      return { usesOldSelf, error: what };
    }
    return { usesOldSelf, program, ast: parsed.ast };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { usesOldSelf, error: `compilation failed: ERROR: <input>: Syntax error: ${firstLine(message)}` };
  }
}

/** A CEL duration value for a Go-style duration string, or undefined when it does not parse. */
export function celDuration(text: string): unknown {
  try {
    return evaluate("duration(d)", { d: text }) as unknown;
  } catch {
    return undefined;
  }
}
