import { decodeProtobufBody } from "../../../localkube/src/http/protobuf.js";

/** Encodes protobuf length-delimited fields by hand (tag = field << 3 | 2). */
function field(num: number, payload: Buffer | string): Buffer {
  const body = typeof payload === "string" ? Buffer.from(payload) : payload;
  return Buffer.concat([Buffer.from([(num << 3) | 2, body.length]), body]);
}

function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  const typeMeta = Buffer.concat([field(1, apiVersion), field(2, kind)]);
  return Buffer.concat([Buffer.from("k8s\0"), field(1, typeMeta), field(2, raw)]);
}

describe("Kubernetes protobuf request bodies", () => {
  it("decodes a ConfigMap with metadata, labels and data", () => {
    const meta = Buffer.concat([
      field(1, "cm"),
      field(3, "team"),
      field(11, Buffer.concat([field(1, "app"), field(2, "x")])),
    ]);
    const raw = Buffer.concat([field(1, meta), field(2, Buffer.concat([field(1, "a"), field(2, "b")]))]);
    expect(decodeProtobufBody(envelope("v1", "ConfigMap", raw))).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cm", namespace: "team", labels: { app: "x" } },
      data: { a: "b" },
    });
  });

  it("answers 400 for truncated bodies and 415 for kinds it cannot decode", () => {
    const good = envelope("v1", "ConfigMap", field(1, field(1, "cm")));
    for (let cut = 0; cut < good.length; cut++) {
      try {
        decodeProtobufBody(good.subarray(0, cut));
      } catch (err) {
        expect((err as { code: number }).code).toBe(400);
      }
    }
    expect(() => decodeProtobufBody(envelope("apps/v1", "Deployment", Buffer.alloc(0)))).toThrow(
      expect.objectContaining({ code: 415 }),
    );
  });
});
