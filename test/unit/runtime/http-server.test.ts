import { pino } from "pino";
import { Registry } from "prom-client";
import { realClock } from "../../../operator/src/runtime/clock.js";
import { startProbeServer, type ProbeServer } from "../../../operator/src/runtime/http-server.js";
import { RuntimeMetrics } from "../../../operator/src/runtime/metrics.js";

describe("probe server", () => {
  let server: ProbeServer;
  let synced = false;
  const registry = new Registry();

  beforeAll(async () => {
    const metrics = new RuntimeMetrics(registry, realClock);
    metrics.queueObserver("widgets").added?.();
    server = await startProbeServer({
      port: 0,
      host: "127.0.0.1",
      registry,
      logger: pino({ level: "silent" }),
      healthChecks: [{ name: "ping", check: () => true }],
      readyChecks: [{ name: "widgets-cache", check: () => synced || "cache not synced yet" }],
    });
  });
  afterAll(() => server.close());

  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${server.port}${path}`);
    return { status: res.status, body: await res.text(), type: res.headers.get("content-type") };
  };

  it("answers /healthz with ok", async () => {
    expect(await get("/healthz")).toMatchObject({ status: 200, body: "ok\n" });
  });

  it("fails /readyz with the failing check until it passes", async () => {
    synced = false;
    expect(await get("/readyz")).toMatchObject({
      status: 500,
      body: "[-]widgets-cache failed: cache not synced yet\n",
    });
    synced = true;
    expect(await get("/readyz?verbose")).toMatchObject({ status: 200, body: "[+]widgets-cache ok\nok\n" });
  });

  it("serves the registry in Prometheus text format", async () => {
    const res = await get("/metrics");
    expect(res.status).toBe(200);
    expect(res.type).toContain("text/plain");
    expect(res.body).toContain('workqueue_adds_total{name="widgets"} 1');
  });

  it("answers 404 for other paths", async () => {
    expect((await get("/nope")).status).toBe(404);
  });
});
