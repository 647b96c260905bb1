/**
 * An HTTP reverse proxy that counts requests by method and times them (until the answer's last
 * byte), put between the operator and a SCIM application so a benchmark can tell reads (GET) from
 * writes (everything else) in a time window, and see how long the application took for each kind.
 */
import { createServer, request as httpRequest } from "node:http";
import { freePort } from "../../test/harness/ports.js";

export interface CountingProxy {
  /** The target's base URL rewritten to go through the proxy. */
  baseURL: string;
  /** Requests forwarded so far, by HTTP method. */
  counts(): Record<string, number>;
  /** Requests answered so far, by HTTP method: how many, and their total and longest duration. */
  timings(): Record<string, RequestTimings>;
  stop(): Promise<void>;
}

export interface RequestTimings {
  count: number;
  totalMs: number;
  maxMs: number;
}

export async function startCountingProxy(targetBaseURL: string): Promise<CountingProxy> {
  const target = new URL(targetBaseURL);
  const counts: Record<string, number> = {};
  const timings: Record<string, RequestTimings> = {};
  const server = createServer((req, res) => {
    const method = req.method ?? "GET";
    counts[method] = (counts[method] ?? 0) + 1;
    const started = performance.now();
    res.on("finish", () => {
      const ms = performance.now() - started;
      const t = (timings[method] ??= { count: 0, totalMs: 0, maxMs: 0 });
      t.count += 1;
      t.totalMs += ms;
      t.maxMs = Math.max(t.maxMs, ms);
    });
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    baseURL: `http://127.0.0.1:${port}${target.pathname.replace(/\/$/, "")}`,
    counts: () => ({ ...counts }),
    timings: () => structuredClone(timings),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
