/** Reading and decoding request bodies (JSON or YAML) with a size limit. */
import type { IncomingMessage } from "node:http";
import { parse as parseYaml } from "yaml";
import { ApiError, badRequest } from "../errors.js";
import { decodeProtobufBody } from "./protobuf.js";

export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limitBytes) {
      req.resume();
      throw new ApiError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${limitBytes}`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Decodes a body by content type; an empty body is undefined. */
export function decodeBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const ct = (contentType ?? "").toLowerCase();
  if (ct.startsWith("application/vnd.kubernetes.protobuf")) return decodeProtobufBody(raw);
  const text = raw.toString("utf8");
  if (ct.includes("yaml")) {
    try {
      return parseYaml(text) as unknown;
    } catch (err) {
      throw badRequest(
        `error converting YAML to JSON: ${err instanceof Error ? (err.message.split("\n")[0] ?? "") : ""}`,
      );
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const detail = err instanceof Error ? err.message : "invalid JSON";
    throw badRequest(`the object provided is unrecognized: ${detail}`);
  }
}
