import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Registry } from "prom-client";

/** A named check; returns true when healthy/ready, or a string explaining why not. */
export interface Check {
  name: string;
  check(): boolean | string;
}

export interface ProbeServerOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  registry: Registry;
  logger: Logger;
  /** /healthz fails when any of these fails (liveness: the process can still make progress). */
  healthChecks?: Check[];
  /** /readyz fails when any of these fails (e.g. informer caches not yet synced). */
  readyChecks?: Check[];
}

export interface ProbeServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves /healthz, /readyz and /metrics (Prometheus text format from the given registry).
 * Probe answers are plain text "ok" (200) or one line per failing check (500), like kube-apiserver;
 * `?verbose` lists every check.
 */
export async function startProbeServer(options: ProbeServerOptions): Promise<ProbeServer> {
  const server = http.createServer((req, res) => {
    void handle(options, req, res).catch((err: unknown) => {
      options.logger.error({ err, url: req.url }, "probe server request failed");
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "0.0.0.0", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  options.logger.info({ port }, "probe and metrics server listening");
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  options: ProbeServerOptions,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (req.method !== "GET" && req.method !== "HEAD") return reply(res, 405, "method not allowed\n");
  switch (url.pathname) {
    case "/healthz":
    case "/livez":
      return probe(res, options.healthChecks ?? [], url.searchParams.has("verbose"));
    case "/readyz":
      return probe(res, options.readyChecks ?? [], url.searchParams.has("verbose"));
    case "/metrics": {
      const body = await options.registry.metrics();
      return reply(res, 200, body, options.registry.contentType);
    }
    default:
      return reply(res, 404, "not found\n");
  }
}

function probe(res: http.ServerResponse, checks: Check[], verbose: boolean): void {
  const results = checks.map((c) => ({ name: c.name, result: safeCheck(c) }));
  const failed = results.filter((r) => r.result !== true);
  const lines = (verbose ? results : failed).map((r) =>
    r.result === true
      ? `[+]${r.name} ok`
      : `[-]${r.name} failed: ${r.result === false ? "not ready" : r.result}`,
  );
  if (failed.length === 0) return reply(res, 200, verbose ? `${lines.join("\n")}\nok\n` : "ok\n");
  reply(res, 500, `${lines.join("\n")}\n`);
}

function safeCheck(check: Check): boolean | string {
  try {
    return check.check();
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function reply(
  res: http.ServerResponse,
  status: number,
  body: string,
  contentType = "text/plain; charset=utf-8",
): void {
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}
