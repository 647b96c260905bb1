/**
 * A fault-injecting HTTP proxy in front of a SCIM peer, for resilience tests: requests pass
 * through to the real peer unless a queued fault matches, in which case the proxy answers itself
 * (a status with headers and body, a garbage body, an echo of the request's Authorization header)
 * or holds the request (a delay longer than the client's timeout). Every request is recorded.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { freePort } from "./ports.js";

export interface Fault {
  /** Which requests it applies to; default: every request. */
  method?: string;
  pathIncludes?: string;
  /** How many matching requests it answers before it is used up. */
  times: number;
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Answer 400 with a SCIM error whose detail repeats the request's Authorization header. */
  echoAuthorization?: boolean;
  /** Hold the request this long before answering with `status` (or forwarding when no status). */
  delayMs?: number;
  /** Let the peer process the request, then answer `status` instead of the peer's answer (a lost response). */
  afterForward?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  ifMatch: string | undefined;
  at: number;
  /** Whether a fault answered it (rather than the peer). */
  faulted: boolean;
}

export interface FaultProxy {
  /** The peer's SCIM base URL, rewritten to go through the proxy. */
  baseURL: string;
  inject(fault: Fault): void;
  requests: RecordedRequest[];
  reset(): void;
  stop(): Promise<void>;
}

export interface ProxyOptions {
  /** Serve HTTPS with this certificate and key (PEM) instead of HTTP. */
  tls?: { cert: string; key: string };
}

export async function startFaultProxy(
  upstreamBaseURL: string,
  options: ProxyOptions = {},
): Promise<FaultProxy> {
  const upstream = new URL(upstreamBaseURL);
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];

  const takeFault = (req: IncomingMessage): Fault | undefined => {
    const fault = faults.find(
      (f) =>
        f.times > 0 &&
        (!f.method || f.method === req.method) &&
        (!f.pathIncludes || req.url?.includes(f.pathIncludes)),
    );
    if (fault) fault.times -= 1;
    return fault;
  };

  const forward = (req: IncomingMessage, res: ServerResponse, replaceWith?: Fault) => {
    const outgoing = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        if (replaceWith) {
          answer.resume();
          answer.on("end", () => res.writeHead(replaceWith.status ?? 502).end(replaceWith.body ?? ""));
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    outgoing.on("error", () => res.writeHead(502).end());
    req.pipe(outgoing);
  };

  const answer = (req: IncomingMessage, res: ServerResponse, fault: Fault) => {
    if (fault.echoAuthorization) {
      const detail = `bad request from ${req.headers.authorization ?? "nobody"}`;
      res.writeHead(400, { "content-type": "application/scim+json" });
      res.end(
        JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "400", detail }),
      );
    } else if (fault.status === undefined) forward(req, res);
    else {
      res.writeHead(fault.status, fault.headers ?? {});
      res.end(fault.body ?? "");
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const fault = takeFault(req);
    const ifMatch = req.headers["if-match"];
    requests.push({
      method: req.method ?? "",
      path: req.url ?? "",
      ifMatch,
      at: Date.now(),
      faulted: fault !== undefined,
    });
    if (!fault) return forward(req, res);
    if (fault.afterForward) return forward(req, res, fault);
    if (fault.status !== undefined || fault.echoAuthorization) req.resume();
    if (fault.delayMs) setTimeout(() => answer(req, res, fault), fault.delayMs);
    else answer(req, res, fault);
  };
  const server = options.tls ? createHttpsServer(options.tls, handle) : createServer(handle);
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));

  return {
    baseURL: `${options.tls ? "https" : "http"}://127.0.0.1:${port}${upstream.pathname}`,
    inject: (fault) => faults.push(fault),
    requests,
    reset() {
      faults.length = 0;
      requests.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
