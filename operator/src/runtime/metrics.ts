import { Counter, Gauge, Histogram, collectDefaultMetrics, type Registry } from "prom-client";
import type { Clock } from "./clock.js";
import type { QueueObserver } from "./queue/work-queue.js";

/** Buckets controller-runtime uses for reconcile and queue durations (seconds). */
const RECONCILE_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5,
  1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];
const QUEUE_BUCKETS = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10, 100, 1000];

/** The per-controller metrics a Controller records into. */
export interface ControllerMetrics {
  /** result: "success" | "requeue_after" | "error". */
  reconciled(result: "success" | "requeue_after" | "error", seconds: number): void;
  /** kind: "transient" | "terminal". */
  failed(kind: "transient" | "terminal"): void;
  setActiveWorkers(count: number): void;
}

/** What the unfinished-work gauges need from a queue at scrape time. */
export interface InProgressProbe {
  inProgressSince(): number[];
}

/**
 * The runtime's Prometheus metrics, under controller-runtime's names so existing dashboards work.
 * One instance per registry (the registry is passed in; nothing is registered globally at import).
 */
export class RuntimeMetrics {
  private readonly reconcileTotal: Counter<"controller" | "result">;
  private readonly reconcileErrors: Counter<"controller">;
  private readonly terminalErrors: Counter<"controller">;
  private readonly reconcileTime: Histogram<"controller">;
  private readonly activeWorkers: Gauge<"controller">;
  private readonly depth: Gauge<"name">;
  private readonly adds: Counter<"name">;
  private readonly queueDuration: Histogram<"name">;
  private readonly workDuration: Histogram<"name">;
  private readonly retries: Counter<"name">;
  private readonly probes = new Map<string, InProgressProbe>();

  constructor(
    readonly registry: Registry,
    private readonly clock: Clock,
  ) {
    const registers = [registry];
    const c = "controller";
    this.reconcileTotal = new Counter({
      name: "controller_runtime_reconcile_total",
      help: "Total number of reconciliations per controller",
      labelNames: [c, "result"],
      registers,
    });
    this.reconcileErrors = new Counter({
      name: "controller_runtime_reconcile_errors_total",
      help: "Total number of reconciliation errors per controller",
      labelNames: [c],
      registers,
    });
    this.terminalErrors = new Counter({
      name: "controller_runtime_terminal_reconcile_errors_total",
      help: "Total number of terminal reconciliation errors per controller",
      labelNames: [c],
      registers,
    });
    this.reconcileTime = new Histogram({
      name: "controller_runtime_reconcile_time_seconds",
      help: "Length of time per reconciliation per controller",
      labelNames: [c],
      buckets: RECONCILE_BUCKETS,
      registers,
    });
    this.activeWorkers = new Gauge({
      name: "controller_runtime_active_workers",
      help: "Number of currently used workers per controller",
      labelNames: [c],
      registers,
    });
    this.depth = new Gauge({
      name: "workqueue_depth",
      help: "Current depth of workqueue",
      labelNames: ["name"],
      registers,
    });
    this.adds = new Counter({
      name: "workqueue_adds_total",
      help: "Total number of adds handled by workqueue",
      labelNames: ["name"],
      registers,
    });
    this.queueDuration = new Histogram({
      name: "workqueue_queue_duration_seconds",
      help: "How long in seconds an item stays in workqueue before being requested",
      labelNames: ["name"],
      buckets: QUEUE_BUCKETS,
      registers,
    });
    this.workDuration = new Histogram({
      name: "workqueue_work_duration_seconds",
      help: "How long in seconds processing an item from workqueue takes",
      labelNames: ["name"],
      buckets: QUEUE_BUCKETS,
      registers,
    });
    this.retries = new Counter({
      name: "workqueue_retries_total",
      help: "Total number of retries handled by workqueue",
      labelNames: ["name"],
      registers,
    });
    this.registerInProgressGauges(registers);
  }

  /** Adds Node.js process metrics (CPU, memory, event loop lag, ...) to the registry. */
  collectProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry });
  }

  /** An observer that records a queue's metrics under `name`; `probe` feeds the unfinished-work gauges. */
  queueObserver(name: string, probe?: InProgressProbe): QueueObserver {
    if (probe) this.probes.set(name, probe);
    this.depth.set({ name }, 0);
    this.adds.inc({ name }, 0);
    this.retries.inc({ name }, 0);
    return {
      added: () => this.adds.inc({ name }),
      depth: (depth) => this.depth.set({ name }, depth),
      waited: (seconds) => this.queueDuration.observe({ name }, seconds),
      worked: (seconds) => this.workDuration.observe({ name }, seconds),
      retried: () => this.retries.inc({ name }),
    };
  }

  /** Attaches a queue's in-progress probe after the queue exists (queue and observer are built together). */
  attachProbe(name: string, probe: InProgressProbe): void {
    this.probes.set(name, probe);
  }

  controller(controller: string): ControllerMetrics {
    for (const result of ["success", "requeue_after", "error"])
      this.reconcileTotal.inc({ controller, result }, 0);
    this.reconcileErrors.inc({ controller }, 0);
    this.terminalErrors.inc({ controller }, 0);
    return {
      reconciled: (result, seconds) => {
        this.reconcileTotal.inc({ controller, result });
        this.reconcileTime.observe({ controller }, seconds);
      },
      failed: (kind) => {
        this.reconcileErrors.inc({ controller });
        if (kind === "terminal") this.terminalErrors.inc({ controller });
      },
      setActiveWorkers: (count) => this.activeWorkers.set({ controller }, count),
    };
  }

  private registerInProgressGauges(registers: Registry[]): void {
    const { probes, clock } = this;
    const inProgressSeconds = (name: string): number[] => {
      const now = clock.now();
      return (probes.get(name)?.inProgressSince() ?? []).map((since) => (now - since) / 1000);
    };
    new Gauge({
      name: "workqueue_unfinished_work_seconds",
      help: "How many seconds of work has been done that is in progress and hasn't been observed by work_duration",
      labelNames: ["name"],
      registers,
      collect() {
        for (const name of probes.keys()) this.set({ name }, sum(inProgressSeconds(name)));
      },
    });
    new Gauge({
      name: "workqueue_longest_running_processor_seconds",
      help: "How many seconds has the longest running processor for workqueue been running",
      labelNames: ["name"],
      registers,
      collect() {
        for (const name of probes.keys()) this.set({ name }, Math.max(0, ...inProgressSeconds(name)));
      },
    });
  }
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
