// Compile-time field checks of a CEL rule against its node's schema, as Kubernetes' typed CEL
// environment does: selecting a field that the schema does not declare (on an object with
// properties, no additionalProperties and no x-kubernetes-preserve-unknown-fields) is a
// compile error `undefined field '<name>'`. At the resource root, metadata only declares name
// and generateName. Dynamic parts (preserved or untyped values) are not checked.
import type { JSONSchemaProps } from "../types.js";
import { additionalSchema, isObject, itemsSchema } from "../types.js";

interface AstNode {
  op: string;
  args: unknown;
  pos?: number;
}

type Scope = Map<string, JSONSchemaProps | undefined>;

class UndefinedField extends Error {
  constructor(
    readonly field: string,
    readonly pos: number,
  ) {
    super(`undefined field '${field}'`);
  }
}

const MACROS = new Set(["all", "exists", "exists_one", "map", "filter"]);
const UNESCAPES: [RegExp, string][] = [
  [/__underscores__/g, "__"],
  [/__dot__/g, "."],
  [/__dash__/g, "-"],
  [/__slash__/g, "/"],
];

function isNode(value: unknown): value is AstNode {
  return isObject(value) && typeof value.op === "string";
}

function unescapeField(name: string): string {
  const keyword = /^__([a-z]+)__$/.exec(name);
  if (keyword && !["underscores", "dot", "dash", "slash"].includes(keyword[1]!)) return keyword[1]!;
  return UNESCAPES.reduce((s, [re, to]) => s.replace(re, to), name);
}

function selectField(
  base: JSONSchemaProps | undefined,
  field: string,
  pos: number,
): JSONSchemaProps | undefined {
  if (base === undefined || base["x-kubernetes-preserve-unknown-fields"] || base.type !== "object")
    return undefined;
  const additional = additionalSchema(base);
  if (additional !== undefined || base.properties === undefined) return additional;
  const prop = base.properties[unescapeField(field)];
  if (prop === undefined) throw new UndefinedField(field, pos);
  return prop;
}

function visitChildren(args: unknown, scope: Scope): void {
  const items = Array.isArray(args) ? args : [args];
  for (const item of items) {
    if (isNode(item)) visit(item, scope);
    else if (Array.isArray(item)) visitChildren(item, scope);
  }
}

function visitMacro(args: unknown[], scope: Scope): JSONSchemaProps | undefined {
  const [name, receiver, params] = args as [string, unknown, unknown];
  const receiverSchema = isNode(receiver) ? visit(receiver, scope) : undefined;
  const list = Array.isArray(params) ? params : [];
  const variable = list[0];
  if (!MACROS.has(name) || !isNode(variable) || variable.op !== "id") {
    visitChildren(params, scope);
    return undefined;
  }
  const inner = new Map(scope);
  const element = receiverSchema?.type === "array" ? itemsSchema(receiverSchema) : undefined;
  inner.set(String(variable.args), element);
  visitChildren(list.slice(1), inner);
  return name === "filter" ? receiverSchema : undefined;
}

/** Visits a node, throwing UndefinedField; returns the schema of its value when known. */
function visit(node: AstNode, scope: Scope): JSONSchemaProps | undefined {
  const args = node.args;
  if (node.op === "id") return scope.get(String(args));
  if ((node.op === "." || node.op === ".?") && Array.isArray(args) && isNode(args[0])) {
    return selectField(visit(args[0], scope), String(args[1]), node.pos ?? 0);
  }
  if (node.op === "rcall" && Array.isArray(args)) return visitMacro(args, scope);
  if (node.op !== "value") visitChildren(args, scope);
  return undefined;
}

/** The root schema as rules see it: typed apiVersion/kind, metadata with name/generateName only. */
export function rootView(schema: JSONSchemaProps): JSONSchemaProps {
  const str: JSONSchemaProps = { type: "string" };
  return {
    ...schema,
    properties: {
      ...(schema.properties ?? {}),
      apiVersion: str,
      kind: str,
      metadata: { type: "object", properties: { name: str, generateName: str } },
    },
  };
}

function lineAndColumn(expression: string, pos: number): string {
  const before = expression.slice(0, pos);
  const line = before.split("\n").length;
  return `${line}:${pos - before.lastIndexOf("\n")}`;
}

/**
 * The first undefined-field error of `ast` (cel-go wording, without the source excerpt), or
 * undefined. `oldSelf` is checked like `self` unless it is an optional.
 */
export function undefinedFieldError(
  expression: string,
  ast: unknown,
  schema: JSONSchemaProps,
  isRoot: boolean,
  optionalOldSelf: boolean,
): string | undefined {
  const self = isRoot ? rootView(schema) : schema;
  const scope: Scope = new Map([
    ["self", self],
    ["oldSelf", optionalOldSelf ? undefined : self],
  ]);
  try {
    if (isNode(ast)) visit(ast, scope);
    return undefined;
  } catch (err) {
    if (!(err instanceof UndefinedField)) throw err;
    return `compilation failed: ERROR: <input>:${lineAndColumn(expression, err.pos)}: ${err.message}`;
  }
}
