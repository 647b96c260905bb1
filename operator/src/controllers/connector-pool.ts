import type { Connector } from "../engine/connector.js";
import type { KubeObject } from "../runtime/index.js";

/** Builds a connector for a Target; reads the Secrets it references. Returns a fingerprint of its inputs. */
export type ConnectorBuilder = (target: KubeObject) => Promise<{ connector: Connector; fingerprint: string }>;

/**
 * Keeps one open connector per Target and rebuilds it when the Target's spec or its Secrets
 * change (the builder's fingerprint). Connections are reused across reconciles.
 */
export class ConnectorPool {
  private readonly open = new Map<string, { connector: Connector; fingerprint: string }>();

  constructor(
    private readonly build: ConnectorBuilder,
    /** Fingerprint of the inputs without building (spec generation + secret versions). */
    private readonly fingerprintOf: (target: KubeObject) => Promise<string>,
  ) {}

  async connectorFor(key: string, target: KubeObject): Promise<Connector> {
    const existing = this.open.get(key);
    if (existing && existing.fingerprint === (await this.fingerprintOf(target))) return existing.connector;
    await this.release(key);
    const built = await this.build(target);
    this.open.set(key, built);
    return built.connector;
  }

  async release(key: string): Promise<void> {
    const existing = this.open.get(key);
    this.open.delete(key);
    await existing?.connector.close().catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open.keys()].map((key) => this.release(key)));
  }
}
