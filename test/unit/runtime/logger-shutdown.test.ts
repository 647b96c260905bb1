import { EventEmitter } from "node:events";
import { Writable } from "node:stream";
import { pino } from "pino";
import { createLogger } from "../../../operator/src/runtime/logger.js";
import { installShutdown } from "../../../operator/src/runtime/shutdown.js";

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, stream };
}

describe("createLogger", () => {
  it("redacts secret-looking fields at any shallow depth", () => {
    const { lines, stream } = capture();
    const logger = createLogger({ destination: stream, level: "info" });
    logger.info(
      {
        password: "p1",
        target: { bind: { password: "p2", token: "t1" }, name: "ldap" },
        headers: { authorization: "Bearer t2" },
        spec: { credentials: { clientSecret: "s1" } },
      },
      "connecting",
    );
    const out = lines.join("");
    for (const secret of ["p1", "p2", "t1", "t2", "s1"]) expect(out).not.toContain(`"${secret}"`);
    expect(out).not.toContain("Bearer");
    expect(JSON.parse(out)).toMatchObject({ level: "info", msg: "connecting", target: { name: "ldap" } });
  });
});

describe("installShutdown", () => {
  const quiet = pino({ level: "silent" });

  it("runs every step in order on SIGTERM, even after a failing one, and exits 1 when one failed", async () => {
    const proc = new EventEmitter();
    const order: string[] = [];
    const exits: number[] = [];
    const handle = installShutdown({
      logger: quiet,
      timeoutMs: 5000,
      process: proc as unknown as NodeJS.Process,
      exit: (code) => exits.push(code),
      steps: [
        { name: "controllers", run: async () => void order.push("controllers") },
        {
          name: "lease",
          run: async () => {
            order.push("lease");
            throw new Error("API down");
          },
        },
        { name: "server", run: async () => void order.push("server") },
      ],
    });
    proc.emit("SIGTERM", "SIGTERM");
    expect(await handle.trigger("again")).toBe(1);
    expect(order).toEqual(["controllers", "lease", "server"]);
    expect(exits).toEqual([1]);
  });

  it("exits 0 after a clean shutdown and 1 when steps overrun the bound", async () => {
    const exits: number[] = [];
    const clean = installShutdown({
      logger: quiet,
      timeoutMs: 5000,
      process: new EventEmitter() as unknown as NodeJS.Process,
      exit: (code) => exits.push(code),
      steps: [{ name: "fast", run: async () => undefined }],
    });
    expect(await clean.trigger("test")).toBe(0);
    const stuck = installShutdown({
      logger: quiet,
      timeoutMs: 50,
      process: new EventEmitter() as unknown as NodeJS.Process,
      exit: (code) => exits.push(code),
      steps: [{ name: "hangs", run: () => new Promise(() => undefined) }],
    });
    expect(await stuck.trigger("test")).toBe(1);
    expect(exits).toEqual([0, 1]);
  });
});
