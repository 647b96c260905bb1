/**
 * Runs an Argo CD health script under Debian's lua5.1 the way Argo CD does: `obj` is the
 * resource as a Lua table, the script returns { status, message }, and only the libraries Argo
 * CD's sandbox offers are in scope (no os, io, require or load*).
 */
import { spawn } from "node:child_process";

/** A Lua 5.1 expression for a JSON-like value (null becomes nil, arrays are 1-based tables). */
export function toLua(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "string") return luaString(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`cannot encode ${value} for Lua`);
    return String(value);
  }
  if (typeof value === "boolean") return String(value);
  if (value instanceof Date) return luaString(value.toISOString().replace(/\.000Z$/, "Z"));
  if (Array.isArray(value)) return `{${value.map(toLua).join(", ")}}`;
  if (typeof value === "object") {
    const fields = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `[${luaString(k)}] = ${toLua(v)}`);
    return `{${fields.join(", ")}}`;
  }
  throw new Error(`cannot encode a ${typeof value} for Lua`);
}

/** A double-quoted Lua string; every byte outside printable ASCII as a decimal escape. */
function luaString(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, "utf8")) {
    const ch = String.fromCharCode(byte);
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (byte >= 0x20 && byte < 0x7f) out += ch;
    else out += `\\${byte}`;
  }
  return `${out}"`;
}

/** The globals Argo CD's health sandbox provides (base functions, string, table, math). */
const SANDBOX = [
  "assert",
  "error",
  "ipairs",
  "next",
  "pairs",
  "pcall",
  "select",
  "tonumber",
  "tostring",
  "type",
  "unpack",
  "string",
  "table",
  "math",
];

export interface HealthStatus {
  status: string;
  message: string;
}

/** Runs `scriptPath` with `obj`; resolves with what it returned, rejects on a Lua error. */
export function runHealthScript(scriptPath: string, obj: unknown): Promise<HealthStatus> {
  const env = SANDBOX.map((name) => `${name} = ${name}`).join(", ");
  const program = `
local fn = assert(loadfile(${luaString(scriptPath)}))
setfenv(fn, { ${env}, obj = ${toLua(obj)} })
local hs = fn()
io.write(tostring(hs.status), "\\0", tostring(hs.message))
`;
  return new Promise((resolve, reject) => {
    const child = spawn("lua5.1", ["-"], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`lua5.1 exited with ${code}: ${stderr}`));
      const [status = "", message = ""] = stdout.split("\0");
      resolve({ status, message });
    });
    child.stdin.end(program);
  });
}
