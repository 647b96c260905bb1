import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { isOwned } from "../engine/ownership.js";
import type { TargetState } from "./sync/target-state.js";

/**
 * Roster's own metrics: accounts by target and state, operations by target/operation/result,
 * orphaned and held counts, and revocation latency — from the moment a revocation became due
 * (the API write seen, an endDate, a grant's expiry) to the target confirming it.
 */
export class RosterMetrics {
  private readonly accounts: Gauge<"target" | "state">;
  private readonly operations: Counter<"target" | "operation" | "result">;
  private readonly orphaned: Gauge<"target">;
  private readonly held: Gauge<"target">;
  private readonly revocationLatency: Histogram<"target">;
  private readonly eventsDropped: Counter<"type" | "reason">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.accounts = new Gauge({
      name: "roster_accounts",
      help: "Accounts Roster manages, by target and state.",
      labelNames: ["target", "state"],
      registers,
    });
    this.operations = new Counter({
      name: "roster_operations_total",
      help: "Operations run against targets, by target, operation and result.",
      labelNames: ["target", "operation", "result"],
      registers,
    });
    this.orphaned = new Gauge({
      name: "roster_orphaned_accounts",
      help: "Accounts Roster created that no User wants any more.",
      labelNames: ["target"],
      registers,
    });
    this.held = new Gauge({
      name: "roster_held_operations",
      help: "Disables and deletes held back by a Target's safety limits.",
      labelNames: ["target"],
      registers,
    });
    this.revocationLatency = new Histogram({
      name: "roster_revocation_latency_seconds",
      help: "Time from a revocation becoming due to the target confirming it.",
      labelNames: ["target"],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600],
      registers,
    });
    this.eventsDropped = new Counter({
      name: "roster_events_dropped_total",
      help: "Events not written because the recorder's send queue was full (best effort, as in Kubernetes).",
      labelNames: ["type", "reason"],
      registers,
    });
  }

  /** An Event was dropped under load (its operation still has its audit log line). */
  eventDropped(type: string, reason: string): void {
    this.eventsDropped.inc({ type, reason });
  }

  operation(target: string, operation: string, result: string): void {
    this.operations.inc({ target, operation, result });
  }

  /** A revocation for `username` succeeded in `target`: observe the time since it became due. */
  revoked(target: string, state: TargetState, username: string, now: number): void {
    const due = state.revocationDueAt.get(username);
    if (due === undefined) return;
    state.revocationDueAt.delete(username);
    this.revocationLatency.observe({ target }, Math.max(0, now - due) / 1000);
  }

  targetCounts(target: string, state: TargetState): void {
    let enabled = 0;
    let disabled = 0;
    for (const account of state.observed.values()) {
      if (!isOwned(account.owner)) continue;
      if (account.enabled) enabled += 1;
      else disabled += 1;
    }
    this.accounts.set({ target, state: "enabled" }, enabled);
    this.accounts.set({ target, state: "disabled" }, disabled);
    this.orphaned.set({ target }, state.orphans.length);
    this.held.set({ target }, state.held);
  }

  forgetTarget(target: string): void {
    for (const state of ["enabled", "disabled"]) this.accounts.remove({ target, state });
    this.orphaned.remove({ target });
    this.held.remove({ target });
  }
}
