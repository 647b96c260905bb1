import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import { realClock, sleep, type Clock } from "./clock.js";
import { isConflict, isNotFound, type KubeClient } from "./kube/client.js";
import { toMicroTime } from "./kube/micro-time.js";
import type { KubeObject, ResourceType } from "./kube/resource.js";

export const LEASES: ResourceType = {
  group: "coordination.k8s.io",
  version: "v1",
  resource: "leases",
  namespaced: true,
};

/** A unique candidate identity as client-go makes it: host name, "_", a random UUID. */
export function defaultIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

type Lease = KubeObject & { spec?: LeaseSpec };

export interface LeaderElectionOptions {
  client: KubeClient;
  namespace: string;
  leaseName: string;
  /** Unique per process (e.g. pod name + random suffix). */
  identity: string;
  logger: Logger;
  clock?: Clock;
  /** How long a standby waits after the last observed renewal before taking over. Default 15 s. */
  leaseDurationMs?: number;
  /** The leader gives up if it could not renew for this long. Default 10 s. */
  renewDeadlineMs?: number;
  /** Pause between acquire/renew attempts. Default 2 s. */
  retryPeriodMs?: number;
  /** Called once leadership is acquired; `signal` aborts when leadership ends. */
  onStartedLeading: (signal: AbortSignal) => void;
  /** Called once when leadership ends (lost or released). */
  onStoppedLeading: () => void;
}

/**
 * client-go's leader election over a coordination.k8s.io/v1 Lease:
 * - a candidate takes the lease when it is free (no holder) or its holder has not renewed within
 *   leaseDuration as observed on our own clock (no trust in remote clocks);
 * - the leader renews every retryPeriod; if it cannot renew for renewDeadline it stops leading;
 * - updates are PUTs guarded by resourceVersion, so two candidates never both win;
 * - `stop()` releases the lease (holder cleared, leaseDurationSeconds 1) so a standby takes over at
 *   once, as client-go does with ReleaseOnCancel.
 * Timestamps are MicroTime (six fractional digits).
 */
export class LeaderElector {
  private readonly clock: Clock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly stopSignal = new AbortController();
  private observed: { holder: string | undefined; renewTime: string | undefined; at: number } | undefined;
  private lastLease: Lease | undefined;
  private releaseOnStop = true;
  private leading: AbortController | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: LeaderElectionOptions) {
    this.clock = options.clock ?? realClock;
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (this.renewDeadlineMs >= this.leaseDurationMs)
      throw new Error("renewDeadline must be shorter than leaseDuration");
  }

  isLeader(): boolean {
    return this.leading !== undefined;
  }

  /** Starts campaigning in the background; resolves (via `done`) when leadership ends or stop() is called. */
  start(): void {
    if (this.running) throw new Error("leader elector already started");
    this.running = this.run();
  }

  /** Resolves when the elector has finished (lost leadership, or stopped). */
  done(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** Stops campaigning and, when leading, releases the lease. */
  async stop(): Promise<void> {
    this.stopSignal.abort(new Error("leader election stopped"));
    await this.running;
  }

  /** Stops renewing WITHOUT releasing: simulates a killed process (for failover tests). */
  async abandon(): Promise<void> {
    this.releaseOnStop = false;
    await this.stop();
  }

  private get stopped(): boolean {
    return this.stopSignal.signal.aborted;
  }

  private async run(): Promise<void> {
    try {
      if (!(await this.acquire())) return;
      this.leading = new AbortController();
      this.options.logger.info({ lease: this.options.leaseName }, "became leader");
      this.options.onStartedLeading(this.leading.signal);
      await this.renewLoop();
    } finally {
      if (this.leading) await this.endLeadership();
    }
  }

  private async acquire(): Promise<boolean> {
    while (!this.stopped) {
      if (await this.tryAcquireOrRenew()) return true;
      await this.pause();
    }
    return false;
  }

  private async renewLoop(): Promise<void> {
    let lastRenew = this.clock.now();
    while (!this.stopped) {
      await this.pause();
      if (this.stopped) return;
      // Each attempt may only use what is left of the deadline, so leadership ends at
      // lastRenew + renewDeadline at the latest: before the lease can expire for the others.
      const remainingMs = this.renewDeadlineMs - (this.clock.now() - lastRenew);
      if (remainingMs > 0 && (await this.tryAcquireOrRenew(remainingMs))) {
        lastRenew = this.clock.now();
      } else if (this.clock.now() - lastRenew >= this.renewDeadlineMs) {
        this.options.logger.error(
          { lease: this.options.leaseName },
          "failed to renew lease within the deadline",
        );
        return;
      }
    }
  }

  private async endLeadership(): Promise<void> {
    this.leading?.abort(new Error("leadership ended"));
    this.leading = undefined;
    if (this.stopped && this.releaseOnStop) await this.release();
    this.options.logger.info({ lease: this.options.leaseName }, "stopped leading");
    this.options.onStoppedLeading();
  }

  private pause(): Promise<void> {
    return sleep(this.clock, this.retryPeriodMs, this.stopSignal.signal).catch(() => undefined);
  }

  /**
   * One attempt, its requests bounded by `timeoutMs` (a hung request must not outlive the lease);
   * true when we hold the lease afterwards. Errors count as a failed attempt.
   */
  private async tryAcquireOrRenew(timeoutMs = this.renewDeadlineMs): Promise<boolean> {
    const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), this.stopSignal.signal]);
    try {
      const lease = await this.read(signal);
      if (!lease) return await this.createLease(signal);
      const spec = lease.spec ?? {};
      this.observe(spec);
      const me = this.options.identity;
      if (spec.holderIdentity && spec.holderIdentity !== me && !this.observedExpired(spec)) return false;
      const now = toMicroTime(this.clock.now());
      const taking = spec.holderIdentity !== me;
      const next: LeaseSpec = {
        holderIdentity: me,
        leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
        acquireTime: taking ? now : (spec.acquireTime ?? now),
        renewTime: now,
        leaseTransitions: (spec.leaseTransitions ?? 0) + (taking ? 1 : 0),
      };
      this.lastLease = await this.options.client.replace<Lease>(LEASES, { ...lease, spec: next }, signal);
      this.observe(next);
      return true;
    } catch (err) {
      if (!isConflict(err) && !this.stopped)
        this.options.logger.warn({ err }, "lease acquire/renew attempt failed");
      return false;
    }
  }

  private observe(spec: LeaseSpec): void {
    const o = this.observed;
    if (!o || o.holder !== spec.holderIdentity || o.renewTime !== spec.renewTime) {
      this.observed = { holder: spec.holderIdentity, renewTime: spec.renewTime, at: this.clock.now() };
    }
  }

  private observedExpired(spec: LeaseSpec): boolean {
    const durationMs = (spec.leaseDurationSeconds ?? this.leaseDurationMs / 1000) * 1000;
    return (this.observed?.at ?? 0) + durationMs <= this.clock.now();
  }

  private async read(signal: AbortSignal): Promise<Lease | undefined> {
    const ref = { namespace: this.options.namespace, name: this.options.leaseName };
    try {
      return await this.options.client.get<Lease>(LEASES, ref, signal);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async createLease(signal: AbortSignal): Promise<boolean> {
    const now = toMicroTime(this.clock.now());
    const spec: LeaseSpec = {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      acquireTime: now,
      renewTime: now,
      leaseTransitions: 0,
    };
    const metadata = { name: this.options.leaseName, namespace: this.options.namespace };
    this.lastLease = await this.options.client.create<Lease>(
      LEASES,
      {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata,
        spec,
      },
      signal,
    );
    this.observe(spec);
    return true;
  }

  /** Clears the holder so a standby need not wait out the lease (client-go ReleaseOnCancel). */
  private async release(): Promise<void> {
    const lease = this.lastLease;
    if (!lease || lease.spec?.holderIdentity !== this.options.identity) return;
    const now = toMicroTime(this.clock.now());
    const spec: LeaseSpec = {
      leaseDurationSeconds: 1,
      acquireTime: now,
      renewTime: now,
      leaseTransitions: lease.spec?.leaseTransitions,
    };
    try {
      await this.options.client.replace<Lease>(LEASES, { ...lease, spec });
      this.options.logger.info({ lease: this.options.leaseName }, "released lease");
    } catch (err) {
      this.options.logger.warn({ err }, "could not release lease");
    }
  }
}
