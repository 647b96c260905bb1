/** What request handlers need from the server, and the shape of their answers. */
import type { IncomingHttpHeaders } from "node:http";
import type { ResourceRegistry } from "../kinds/registry.js";
import type { ObjectService } from "../objects/service.js";
import type { Store } from "../store.js";
import type { WatchHub } from "../watch/hub.js";
import type { Paginator } from "./pagination.js";

export interface HandlerContext {
  store: Store;
  registry: ResourceRegistry;
  service: ObjectService;
  hub: WatchHub;
  paginator: Paginator;
  /** Default watch timeout when the client sends no timeoutSeconds. */
  watchTimeoutSeconds: number;
}

export interface ApiRequest {
  method: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** Authenticated user name (for managedFields / auditing). */
  user: string;
}

export interface ApiResponse {
  code: number;
  body: unknown;
  warnings?: string[];
  /** Overrides application/json (aggregated discovery). */
  contentType?: string;
}
