import type { Logger } from "pino";
import type { Controller } from "./controller.js";
import type { Check } from "./http-server.js";
import type { Informer } from "./informer/informer.js";
import type { KubeObject } from "./kube/resource.js";
import type { LeaderElectionConfig } from "./config/runtime-config.js";
import type { KubeClient } from "./kube/client.js";
import { LeaderElector, defaultIdentity, type LeaderElectionOptions } from "./leader-election.js";

export type ManagerLeaderElection = Omit<
  LeaderElectionOptions,
  "onStartedLeading" | "onStoppedLeading" | "logger"
>;

/** Maps the parsed leaderElection settings to Manager options (undefined when disabled). */
export function leaderElectionFrom(
  config: LeaderElectionConfig,
  client: KubeClient,
): ManagerLeaderElection | undefined {
  if (!config.enabled) return undefined;
  const { namespace, leaseName, leaseDurationMs, renewDeadlineMs, retryPeriodMs } = config;
  const identity = config.identity || defaultIdentity();
  return { client, namespace, leaseName, identity, leaseDurationMs, renewDeadlineMs, retryPeriodMs };
}

export interface ManagerOptions {
  logger: Logger;
  /** Leader election settings; omit to run controllers without election (single replica, tests). */
  leaderElection?: ManagerLeaderElection;
  /** How long stopping controllers waits for reconciles in progress. Default 10 s. */
  drainTimeoutMs?: number;
}

/**
 * Runs the pieces in the right order (controller-runtime's Manager):
 * - informers start at once on every replica, so a standby has warm caches;
 * - controllers start only once every cache has synced AND this replica leads;
 * - losing the lease stops the controllers and resolves `leadershipLost()`: the process should
 *   exit and be restarted (its queues cannot be reused), as controller-runtime does;
 * - `stop()` drains controllers, releases the lease, then stops informers.
 * Readiness (`readyChecks`) is "caches synced", independent of leadership.
 */
export class Manager {
  private readonly informers: Informer<KubeObject>[] = [];
  private readonly controllers: Controller[] = [];
  private readonly logger: Logger;
  private elector: LeaderElector | undefined;
  private controllersRunning = false;
  private stopping = false;
  private lostResolve: (() => void) | undefined;
  private readonly lost = new Promise<void>((resolve) => (this.lostResolve = resolve));

  constructor(private readonly options: ManagerOptions) {
    this.logger = options.logger.child({ component: "manager" });
  }

  addInformer<T extends KubeObject>(informer: Informer<T>): void {
    this.informers.push(informer as unknown as Informer<KubeObject>);
  }

  addController(controller: Controller): void {
    this.controllers.push(controller);
  }

  /** Checks for /readyz: one per informer, ready once its cache has synced. */
  readyChecks(): Check[] {
    return this.informers.map((informer, i) => ({
      name: `informer-${i}-synced`,
      check: () => informer.hasSynced() || "cache not synced yet",
    }));
  }

  isLeader(): boolean {
    return this.elector ? this.elector.isLeader() : this.controllersRunning;
  }

  /** Resolves when this replica led and then lost the lease (not on a requested stop). */
  leadershipLost(): Promise<void> {
    return this.lost;
  }

  async start(signal?: AbortSignal): Promise<void> {
    for (const informer of this.informers) informer.start();
    const synced = Promise.all(this.informers.map((i) => i.waitForSync(signal)));
    const election = this.options.leaderElection;
    if (!election) {
      await synced;
      return this.startControllers();
    }
    this.elector = new LeaderElector({
      ...election,
      logger: this.options.logger,
      onStartedLeading: () => void synced.then(() => this.startControllers()).catch(() => undefined),
      onStoppedLeading: () => void this.onStoppedLeading(),
    });
    this.elector.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.stopControllers();
    await this.elector?.stop();
    await Promise.all(this.informers.map((i) => i.stop()));
  }

  private startControllers(): void {
    if (this.stopping || this.controllersRunning) return;
    if (this.elector && !this.elector.isLeader()) return;
    this.controllersRunning = true;
    this.logger.info({ controllers: this.controllers.map((c) => c.name) }, "starting controllers");
    for (const controller of this.controllers) controller.start();
  }

  private async stopControllers(): Promise<void> {
    if (!this.controllersRunning) return;
    this.controllersRunning = false;
    const drainMs = this.options.drainTimeoutMs ?? 10_000;
    await Promise.all(this.controllers.map((c) => c.stop(drainMs)));
  }

  private async onStoppedLeading(): Promise<void> {
    await this.stopControllers();
    if (!this.stopping) {
      this.logger.error("lost leadership; controllers stopped");
      this.lostResolve?.();
    }
  }
}
