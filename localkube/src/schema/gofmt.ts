// Renders JSON values the way Go's fmt package prints the decoded (unstructured) value, because
// Kubernetes error messages embed values printed with %v, %q and %#v.

/** A pre-rendered Go literal (e.g. a struct printed with %#v) that is embedded as is. */
export class GoLiteral {
  constructor(readonly text: string) {}
}

const ESCAPES: Record<string, string> = {
  "\u0007": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\u000b": "\\v",
  '"': '\\"',
  "\\": "\\\\",
};

/** strconv.Quote: a double-quoted Go string literal. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    const escaped = ESCAPES[ch];
    if (escaped !== undefined) out += escaped;
    else if (code < 0x20 || code === 0x7f) out += "\\x" + code.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + '"';
}

/** %v of a float64 (strconv 'g', shortest: exponent form below 1e-4 and from 1e6 on, e.g. 1e+06). */
export function goFloat(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const expForm = x.toExponential(); // shortest round-trip digits, e.g. "1.5e+21"
  const e = Number(expForm.slice(expForm.indexOf("e") + 1));
  if (e < -4 || e >= 6) {
    const [mantissa, power = "0"] = expForm.split("e");
    const sign = power.startsWith("-") ? "-" : "+";
    const digits = power.replace(/^[+-]/, "").padStart(2, "0");
    return `${mantissa}e${sign}${digits}`;
  }
  return String(x);
}

/** %v of a JSON number as Kubernetes decodes it: integers are int64, the rest float64. */
export function goNumber(x: number): string {
  return Number.isInteger(x) && Math.abs(x) < 1e21 ? x.toFixed(0) : goFloat(x);
}

/** %#v of an unstructured JSON value (map[string]interface {}, []interface {}, scalars). */
export function goSharpV(value: unknown): string {
  if (value instanceof GoLiteral) return value.text;
  if (value === null || value === undefined) return "interface {}(nil)";
  if (typeof value === "string") return goQuote(value);
  if (typeof value === "number") return goNumber(value);
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map(goSharpV).join(", ")}}`;
  if (typeof value === "object") {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${goQuote(k)}:${goSharpV((value as Record<string, unknown>)[k])}`);
    return `map[string]interface {}{${entries.join(", ")}}`;
  }
  return String(value);
}

/** How field.Error.ErrorBody() prints a bad value: %v for simple types, %q for strings, else %#v. */
export function goErrorValue(value: unknown): string {
  if (value === null || value === undefined) return '"null"';
  if (typeof value === "string") return goQuote(value);
  if (typeof value === "number") return goNumber(value);
  if (typeof value === "boolean") return String(value);
  return goSharpV(value);
}
