import { z } from "zod";
import { flagBool, flagInt } from "./load-config.js";

/**
 * The generic runtime's settings. An operator extends this schema with its own fields
 * (`RuntimeConfig.extend({...})`) in its composition root and parses the result with loadConfig.
 */
export const LeaderElectionConfig = z.object({
  enabled: flagBool().default(true),
  namespace: z.string().min(1).default("default"),
  leaseName: z.string().min(1).default("controller-leader"),
  /** Defaults to the host name plus a random suffix when empty. */
  identity: z.string().optional(),
  leaseDurationMs: flagInt(z.number().int().positive()).default(15_000),
  renewDeadlineMs: flagInt(z.number().int().positive()).default(10_000),
  retryPeriodMs: flagInt(z.number().int().positive()).default(2_000),
});
export type LeaderElectionConfig = z.infer<typeof LeaderElectionConfig>;

export const RuntimeConfig = z.object({
  logLevel: z.enum(["trace", "debug", "info", "warn", "error", "fatal"]).default("info"),
  /** A kubeconfig file; when absent, the in-cluster service account or $KUBECONFIG/~/.kube/config. */
  kubeconfig: z.string().optional(),
  httpHost: z.string().default("0.0.0.0"),
  httpPort: flagInt(z.number().int().min(0).max(65535)).default(8080),
  shutdownTimeoutMs: flagInt(z.number().int().positive()).default(30_000),
  leaderElection: LeaderElectionConfig.default(LeaderElectionConfig.parse({})),
});
export type RuntimeConfig = z.infer<typeof RuntimeConfig>;
