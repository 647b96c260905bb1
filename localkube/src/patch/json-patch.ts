// JSON Patch (RFC 6902) with the API server's error classification and messages:
//   - a document that is not an array of objects            -> 400 BadRequest
//   - more than 10,000 operations                           -> 413 RequestEntityTooLarge
//   - an operation that fails, including a failing `test`   -> 422 Invalid (detail in a cause)
// Messages follow gopkg.in/evanphx/json-patch.v4, which kube-apiserver uses. One deliberate
// quirk kept from it: `replace` of a missing key in an object sets the key instead of failing.
import { PatchError, badRequest, operationFailed } from "./errors.js";
import {
  clone,
  deepEqual,
  getProp,
  goJsonTypeName,
  isObject,
  setProp,
  type JsonObject,
} from "./json-value.js";

export const MAX_JSON_PATCH_OPERATIONS = 10000;

type Container = JsonObject | unknown[];
interface Location {
  parent: Container;
  key: string;
}
interface Doc {
  root: unknown;
}

class OpFailure extends Error {}
const fail = (message: string): never => {
  throw new OpFailure(message);
};

function decodeToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

function parseIndex(key: string): number | undefined {
  return /^[+-]?\d+$/.test(key) ? Number.parseInt(key, 10) : undefined;
}

/** Resolves the container holding the last token of `path`, or undefined if a step is missing. */
function findParent(doc: Doc, path: string): Location | undefined {
  const tokens = path.split("/");
  if (tokens.length < 2 || tokens[0] !== "") return undefined;
  let node: unknown = doc.root;
  for (const raw of tokens.slice(1, -1)) {
    const key = decodeToken(raw);
    if (Array.isArray(node)) {
      const idx = parseIndex(key);
      node = idx === undefined || idx < 0 ? undefined : node[idx];
    } else node = isObject(node) ? getProp(node, key) : undefined;
    if (!isObject(node) && !Array.isArray(node)) return undefined;
  }
  return isObject(node) || Array.isArray(node)
    ? { parent: node, key: decodeToken(tokens.at(-1) ?? "") }
    : undefined;
}

function arrayIndex(arr: unknown[], key: string, allowEnd: boolean): number {
  const idx = parseIndex(key);
  if (idx === undefined) return fail(`strconv.Atoi: parsing "${key}": invalid syntax`);
  const limit = allowEnd ? arr.length + 1 : arr.length;
  const resolved = idx < 0 ? idx + limit : idx;
  if (resolved < 0 || resolved >= limit)
    return fail(`Unable to access invalid index: ${idx}: invalid index referenced`);
  return resolved;
}

function getAt(loc: Location): { found: boolean; value: unknown } {
  if (Array.isArray(loc.parent)) {
    const idx = parseIndex(loc.key);
    const found = idx !== undefined && idx >= 0 && idx < loc.parent.length;
    return { found, value: found ? loc.parent[idx] : undefined };
  }
  const found = Object.prototype.hasOwnProperty.call(loc.parent, loc.key);
  return { found, value: found ? loc.parent[loc.key] : undefined };
}

function addAt(loc: Location, value: unknown, path: string): void {
  if (!Array.isArray(loc.parent)) {
    setProp(loc.parent, loc.key, value);
    return;
  }
  if (loc.key === "-") {
    loc.parent.push(value);
    return;
  }
  try {
    loc.parent.splice(arrayIndex(loc.parent, loc.key, true), 0, value);
  } catch (err) {
    fail(`error in add for path: '${path}': ${(err as Error).message}`);
  }
}

function removeAt(loc: Location, path: string, verb: string): unknown {
  if (Array.isArray(loc.parent)) {
    try {
      return loc.parent.splice(arrayIndex(loc.parent, loc.key, false), 1)[0];
    } catch (err) {
      return fail(`error in ${verb} for path: '${path}': ${(err as Error).message}`);
    }
  }
  if (!Object.prototype.hasOwnProperty.call(loc.parent, loc.key)) {
    return fail(
      `error in ${verb} for path: '${path}': Unable to remove nonexistent key: ${loc.key}: missing value`,
    );
  }
  const value = loc.parent[loc.key];
  delete loc.parent[loc.key];
  return value;
}

function stringField(op: JsonObject, field: "path" | "from", kind: string): string {
  const value = op[field];
  if (typeof value !== "string") {
    const what = field === "path" ? "path" : "from";
    return fail(`${kind} operation failed to decode ${what}: missing value`);
  }
  return value;
}

function locate(doc: Doc, path: string, message: string): Location {
  return findParent(doc, path) ?? fail(`${message}: missing value`);
}

function opAdd(doc: Doc, op: JsonObject): void {
  const path = stringField(op, "path", "add");
  if (path === "") {
    doc.root = clone(op["value"]);
    return;
  }
  const loc = locate(doc, path, `add operation does not apply: doc is missing path: "${path}"`);
  addAt(loc, clone(op["value"] ?? null), path);
}

function opRemove(doc: Doc, op: JsonObject): void {
  const path = stringField(op, "path", "remove");
  const loc = locate(doc, path, `remove operation does not apply: doc is missing path: "${path}"`);
  removeAt(loc, path, "remove");
}

function opReplace(doc: Doc, op: JsonObject): void {
  const path = stringField(op, "path", "replace");
  if (path === "") {
    doc.root = clone(op["value"]);
    return;
  }
  const loc = locate(doc, path, `replace operation does not apply: doc is missing path: ${path}`);
  if (Array.isArray(loc.parent)) {
    if (!getAt(loc).found)
      fail(`replace operation does not apply: doc is missing key: ${path}: missing value`);
    loc.parent[arrayIndex(loc.parent, loc.key, false)] = clone(op["value"] ?? null);
  } else setProp(loc.parent, loc.key, clone(op["value"] ?? null));
}

function opMove(doc: Doc, op: JsonObject): void {
  const from = stringField(op, "from", "move");
  const source = locate(doc, from, `move operation does not apply: doc is missing from path: ${from}`);
  if (!getAt(source).found) fail(`error in move for path: '${source.key}': missing value`);
  const value = removeAt(source, source.key, "move");
  const path = stringField(op, "path", "move");
  const target = locate(doc, path, `move operation does not apply: doc is missing destination path: ${path}`);
  addAt(target, value, path);
}

function opCopy(doc: Doc, op: JsonObject): void {
  const from = stringField(op, "from", "copy");
  const source = locate(doc, from, `copy operation does not apply: doc is missing from path: ${from}`);
  const got = getAt(source);
  if (!got.found) fail(`error in copy for from: '${from}': missing value`);
  const path = stringField(op, "path", "copy");
  const target = locate(doc, path, `copy operation does not apply: doc is missing destination path: ${path}`);
  addAt(target, clone(got.value), path);
}

function opTest(doc: Doc, op: JsonObject): void {
  const path = stringField(op, "path", "test");
  const expected = op["value"] ?? null;
  if (path === "") {
    if (!deepEqual(doc.root, expected)) fail(`testing value ${path} failed: test failed`);
    return;
  }
  const loc = locate(doc, path, `test operation does not apply: is missing path: ${path}`);
  const got = getAt(loc);
  const actual = got.found ? got.value : null;
  if (!deepEqual(actual, expected)) fail(`testing value ${path} failed: test failed`);
}

const OPERATIONS: Record<string, (doc: Doc, op: JsonObject) => void> = {
  add: opAdd,
  remove: opRemove,
  replace: opReplace,
  move: opMove,
  copy: opCopy,
  test: opTest,
};

/** Checks the document shape the way DecodePatch does: an array whose items are objects (or null). */
function decodePatch(ops: unknown): Array<JsonObject | null> {
  if (!Array.isArray(ops)) {
    throw badRequest(`json: cannot unmarshal ${goJsonTypeName(ops)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of ops) {
    if (op !== null && !isObject(op)) {
      throw badRequest(
        `json: cannot unmarshal ${goJsonTypeName(op)} into Go value of type jsonpatch.Operation`,
      );
    }
  }
  return ops as Array<JsonObject | null>;
}

/**
 * Applies an RFC 6902 patch (already parsed from JSON) to `target` and returns the new document.
 * Atomic: `target` is never mutated. Throws PatchError (400 / 413 / 422, see the file comment).
 */
export function applyJsonPatch<T = JsonObject>(target: unknown, ops: unknown): T {
  const operations = decodePatch(ops);
  if (operations.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new PatchError(
      413,
      "RequestEntityTooLarge",
      `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${operations.length}`,
    );
  }
  const doc: Doc = { root: clone(target) };
  for (const op of operations) {
    const kind = op !== null && typeof op["op"] === "string" ? op["op"] : "unknown";
    const apply = Object.hasOwn(OPERATIONS, kind) ? OPERATIONS[kind] : undefined;
    try {
      if (!apply || op === null) fail(`Unexpected kind: ${kind}`);
      else apply(doc, op);
    } catch (err) {
      if (err instanceof OpFailure) throw operationFailed(err.message);
      throw err;
    }
  }
  return doc.root as T;
}
