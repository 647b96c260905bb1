/**
 * Decodes Kubernetes protobuf request bodies ("k8s\0" + runtime.Unknown envelope) of the
 * built-in kinds in protobufSchemas.ts into the JSON form the rest of the server uses.
 */
import { ApiError, badRequest } from "../errors.js";
import type { JsonObject } from "../kinds/types.js";
import { MESSAGES, type FieldSpec, type MessageSchema } from "./protobufSchemas.js";

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw badRequest("protobuf: truncated varint");
      const byte = this.buf[this.pos++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw badRequest("protobuf: varint overflow");
    }
  }
  bytes(): Buffer {
    const length = Number(this.varint());
    if (this.pos + length > this.buf.length) throw badRequest("protobuf: truncated field");
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.pos += 4;
    else throw badRequest(`protobuf: unsupported wire type ${wireType}`);
  }
}

/** Reads length-delimited fields as a field-number -> raw value list (nested messages stay raw). */
function fields(buf: Buffer): Array<[number, number, bigint | Buffer]> {
  const reader = new Reader(buf);
  const out: Array<[number, number, bigint | Buffer]> = [];
  while (!reader.done) {
    const tag = Number(reader.varint());
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (wireType === 0) out.push([field, wireType, reader.varint()]);
    else if (wireType === 2) out.push([field, wireType, reader.bytes()]);
    else reader.skip(wireType);
  }
  return out;
}

function timeOf(buf: Buffer): string {
  let seconds = 0n;
  for (const [field, , value] of fields(buf)) if (field === 1 && typeof value === "bigint") seconds = value;
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function mapEntry(buf: Buffer, asBytes: boolean): [string, string] {
  let key = "";
  let value = "";
  for (const [field, , raw] of fields(buf)) {
    if (!(raw instanceof Buffer)) continue;
    if (field === 1) key = raw.toString("utf8");
    if (field === 2) value = asBytes ? raw.toString("base64") : raw.toString("utf8");
  }
  return [key, value];
}

function scalar(spec: FieldSpec, raw: bigint | Buffer): unknown {
  const type = spec.type;
  if (typeof type === "object") return raw instanceof Buffer ? decodeMessage(raw, type.message) : undefined;
  switch (type) {
    case "string":
      return raw instanceof Buffer ? raw.toString("utf8") : undefined;
    case "bytes":
      return raw instanceof Buffer ? raw.toString("base64") : undefined;
    case "bool":
      return typeof raw === "bigint" ? raw !== 0n : undefined;
    case "int":
      return typeof raw === "bigint" ? Number(BigInt.asIntN(64, raw)) : undefined;
    case "time":
      return raw instanceof Buffer ? timeOf(raw) : undefined;
    default:
      return undefined;
  }
}

export function decodeMessage(buf: Buffer, name: string): JsonObject {
  const schema: MessageSchema | undefined = MESSAGES[name];
  if (!schema) throw new ApiError(415, "UnsupportedMediaType", `protobuf is not supported for ${name}`);
  const out: JsonObject = {};
  for (const [field, , raw] of fields(buf)) {
    const spec = schema[field];
    if (!spec) continue;
    if (spec.type === "stringMap" || spec.type === "bytesMap") {
      if (!(raw instanceof Buffer)) continue;
      const [k, v] = mapEntry(raw, spec.type === "bytesMap");
      out[spec.name] = { ...((out[spec.name] as JsonObject | undefined) ?? {}), [k]: v };
      continue;
    }
    const value = scalar(spec, raw);
    // Go omits empty strings (omitempty); protobuf always carries them.
    if (value === undefined || (value === "" && !spec.repeated)) continue;
    if (spec.repeated) out[spec.name] = [...((out[spec.name] as unknown[] | undefined) ?? []), value];
    else out[spec.name] = value;
  }
  return out;
}

/** Decodes a whole protobuf request body (envelope + object). */
export function decodeProtobufBody(body: Buffer): JsonObject {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC))
    throw badRequest("protobuf: missing k8s envelope");
  let apiVersion = "";
  let kind = "";
  let raw: Buffer | undefined;
  for (const [field, , value] of fields(body.subarray(4))) {
    if (!(value instanceof Buffer)) continue;
    if (field === 1)
      for (const [f, , v] of fields(value)) {
        if (f === 1 && v instanceof Buffer) apiVersion = v.toString("utf8");
        if (f === 2 && v instanceof Buffer) kind = v.toString("utf8");
      }
    if (field === 2) raw = value;
  }
  if (!raw) throw badRequest("protobuf: envelope without an object");
  return { apiVersion, kind, ...decodeMessage(raw, kind) };
}
