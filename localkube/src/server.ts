/**
 * Composition root of the local API server: builds the store, registry, controllers and
 * HTTP(S) listener, and exposes the test hooks. Used in-process by tests and by main.ts.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { pino, type Logger } from "pino";
import { Authenticator } from "./access/authn.js";
import { allowAll, type Authorizer, type Decision, type RequestAttributes } from "./access/authz.js";
import { rbacAuthorizer, seedBootstrapRbac } from "./access/rbacAuthorizer.js";
import { CrdController } from "./crd/controller.js";
import { badRequest } from "./errors.js";
import { GarbageCollector } from "./gc.js";
import { schemaFor, type CustomResourceSchema } from "./crd/schemaSeam.js";
import type { HandlerContext } from "./handlers/context.js";
import { Paginator } from "./handlers/pagination.js";
import { createRequestListener } from "./http/app.js";
import { ResourceRegistry } from "./kinds/registry.js";
import type { ResourceType } from "./kinds/types.js";
import { NamespaceController } from "./namespaces.js";
import { ObjectService } from "./objects/service.js";
import { Persistence } from "./persistence.js";
import { Store } from "./store.js";
import { kubeconfigYaml } from "./transport/kubeconfig.js";
import { loadCredentials, saveCredentials } from "./transport/credentialsFile.js";
import { createTlsMaterial, type TlsMaterial } from "./transport/tls.js";
import { WatchHub } from "./watch/hub.js";

export interface LocalKubeOptions {
  port?: number;
  host?: string;
  tls?: boolean;
  /** Enforce RBAC for non-admin users (unknown tokens are then rejected with 401). */
  rbac?: boolean;
  adminToken?: string;
  dataDir?: string;
  /** The minor version /version reports (selects kubectl's minor). */
  minorVersion?: number;
  establishDelayMs?: number;
  watchTimeoutSeconds?: number;
  bookmarkIntervalMs?: number;
  bodyLimitBytes?: number;
  historyLimit?: number;
  /** Receives unexpected internal errors (clients get a 500 Status); defaults to an error-level pino logger. */
  logger?: Logger;
  /** Observes every authorization decision for non-admin users (e.g. to audit least privilege). */
  onAuthorization?: (attributes: RequestAttributes, decision: Decision) => void;
  /** Also receives every unexpected internal error (tests assert there are none). */
  onError?: (err: unknown) => void;
}

export interface LocalKubeHooks {
  compactHistory(): void;
  dropWatches(): void;
  setLatency(ms: number): void;
}

export class LocalKubeServer {
  readonly store: Store;
  readonly registry = new ResourceRegistry();
  readonly service: ObjectService;
  readonly hub: WatchHub;
  readonly authenticator: Authenticator;
  readonly hooks: LocalKubeHooks;
  private readonly paginator = new Paginator();
  private readonly schemas = new WeakMap<ResourceType, CustomResourceSchema>();
  private server: http.Server | undefined;
  private tlsMaterial: TlsMaterial | undefined;
  private latencyMs = 0;
  private stopControllers: Array<() => void> = [];
  private persistence: Persistence | undefined;
  private authorizer: Authorizer = allowAll;
  private readonly logger: Logger;

  constructor(private readonly options: LocalKubeOptions = {}) {
    this.logger = options.logger ?? pino({ name: "localkube", level: "error" });
    if (options.dataDir) this.persistence = new Persistence(options.dataDir);
    this.store = new Store({
      historyLimit: options.historyLimit ?? 20000,
      onListenerError: (err) => this.reportError(err),
    });
    this.service = new ObjectService(this.store, (rt) => this.schemaOf(rt));
    this.hub = new WatchHub(this.store, options.bookmarkIntervalMs ?? 10_000);
    this.authenticator = new Authenticator(
      options.adminToken ?? randomBytes(24).toString("base64url"),
      options.rbac ?? false,
    );
    this.hooks = {
      compactHistory: () => {
        this.store.compact();
        this.paginator.clear();
      },
      dropWatches: () => this.hub.dropAll(),
      setLatency: (ms) => {
        this.latencyMs = ms;
      },
    };
  }

  private schemaOf(rt: ResourceType): CustomResourceSchema | undefined {
    if (rt.builtin) return undefined;
    let schema = this.schemas.get(rt);
    if (!schema) {
      schema = schemaFor(rt.schema);
      this.schemas.set(rt, schema);
    }
    return schema;
  }

  /** With a data directory, the CA and tokens survive restarts (kubeconfigs stay valid). */
  private async restoreCredentials(): Promise<void> {
    const dir = this.options.dataDir;
    if (!dir) return;
    const saved = await loadCredentials(dir);
    if (saved) {
      this.authenticator.restore(saved, this.options.adminToken !== undefined);
      if (saved.tls && this.options.tls) this.tlsMaterial = saved.tls;
    }
    this.authenticator.onIssue = () => {
      this.saveCredentials().catch((err: unknown) => this.reportError(err));
    };
  }

  private async saveCredentials(): Promise<void> {
    const dir = this.options.dataDir;
    if (!dir) return;
    await saveCredentials(dir, {
      ...this.authenticator.export(),
      ...(this.tlsMaterial ? { tls: this.tlsMaterial } : {}),
    });
  }

  private reportError(err: unknown): void {
    this.logger.error({ err }, "localkube internal error");
    this.options.onError?.(err);
  }

  private observedAuthorizer(): Authorizer {
    const inner = this.authorizer;
    const observe = this.options.onAuthorization;
    if (!observe) return inner;
    return (attributes) => {
      const decision = inner(attributes);
      observe(attributes, decision);
      return decision;
    };
  }

  get minorVersion(): number {
    return this.options.minorVersion ?? 31;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error("localkube is not listening");
    return `${this.options.tls ? "https" : "http"}://127.0.0.1:${address.port}`;
  }

  get caCert(): string | undefined {
    return this.tlsMaterial?.caCert;
  }

  kubeconfig(token = this.authenticator.adminToken, user = "admin"): string {
    const input = {
      server: this.url,
      token,
      user,
      ...(this.tlsMaterial ? { caCert: this.tlsMaterial.caCert } : {}),
    };
    return kubeconfigYaml(input);
  }

  private context(): HandlerContext {
    return {
      store: this.store,
      registry: this.registry,
      service: this.service,
      hub: this.hub,
      paginator: this.paginator,
      watchTimeoutSeconds: this.options.watchTimeoutSeconds ?? 1800,
    };
  }

  async start(): Promise<string> {
    if (this.persistence) await this.persistence.load(this.store);
    const report = (err: unknown): void => this.reportError(err);
    const crds = new CrdController(
      this.store,
      this.registry,
      this.service,
      this.options.establishDelayMs ?? 0,
      report,
    );
    const namespaces = new NamespaceController(this.store, this.registry, this.service, report);
    const gc = new GarbageCollector(this.store, this.registry, this.service, report);
    this.stopControllers.push(crds.start(), namespaces.start(), gc.start());
    namespaces.ensureInitialNamespaces();
    if (this.persistence) this.stopControllers.push(this.persistence.attach(this.store, report));
    seedBootstrapRbac(this.store, this.registry, this.service);
    if (this.options.rbac) this.authorizer = rbacAuthorizer(this.store);
    const listener = createRequestListener({
      context: this.context(),
      authenticator: this.authenticator,
      authorizer: () => this.observedAuthorizer(),
      minorVersion: this.minorVersion,
      bodyLimitBytes: this.options.bodyLimitBytes ?? 3 * 1024 * 1024,
      serverAddress: () => new URL(this.url).host,
      latencyMs: () => this.latencyMs,
      onError: report,
    });
    await this.restoreCredentials();
    if (this.options.tls) {
      this.tlsMaterial ??= await createTlsMaterial();
      this.server = https.createServer(
        { cert: this.tlsMaterial.serverCert, key: this.tlsMaterial.serverKey },
        listener,
      );
    } else this.server = http.createServer(listener);
    await this.saveCredentials();
    this.server.keepAliveTimeout = 65_000;
    this.server.on("clientError", (_err, socket) => {
      const body = JSON.stringify(badRequest("malformed HTTP request").status);
      if (socket.writable)
        socket.end(
          `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      else socket.destroy();
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1", () => resolve());
    });
    return this.url;
  }

  async stop(): Promise<void> {
    this.hub.dropAll();
    for (const stop of this.stopControllers) stop();
    this.stopControllers = [];
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    if (this.persistence) await this.persistence.flush(this.store);
    this.server = undefined;
  }
}
