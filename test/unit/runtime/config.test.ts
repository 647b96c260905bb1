import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { ConfigError, flagInt, loadConfig } from "../../../operator/src/runtime/config/load-config.js";
import { hostname } from "node:os";
import { KubeConfig } from "@kubernetes/client-node";
import { RuntimeConfig } from "../../../operator/src/runtime/config/runtime-config.js";
import { KubeClient } from "../../../operator/src/runtime/kube/client.js";
import { leaderElectionFrom } from "../../../operator/src/runtime/manager.js";

function yamlFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "runtime-config-"));
  const path = join(dir, "config.yaml");
  writeFileSync(path, text);
  return path;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("uses schema defaults when no source says anything", () => {
    const config = loadConfig(RuntimeConfig, {});
    expect(config.httpPort).toBe(8080);
    expect(config.leaderElection).toMatchObject({
      enabled: true,
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
    });
  });

  it("applies precedence flags > env > file > defaults, per field", () => {
    const file = yamlFile(
      "httpPort: 7000\nlogLevel: warn\nleaderElection:\n  leaseName: from-file\n  retryPeriodMs: 900\n",
    );
    const config = loadConfig(RuntimeConfig, {
      argv: ["--config", file, "--http-port=9000", "--leader-election.enabled", "false"],
      env: {
        TEST_HTTP_PORT: "8000",
        TEST_LOG_LEVEL: "debug",
        TEST_LEADER_ELECTION__RETRY_PERIOD_MS: "1500",
        OTHER: "x",
      },
      envPrefix: "TEST_",
    });
    expect(config.httpPort).toBe(9000);
    expect(config.logLevel).toBe("debug");
    expect(config.leaderElection.leaseName).toBe("from-file");
    expect(config.leaderElection.retryPeriodMs).toBe(1500);
    expect(config.leaderElection.enabled).toBe(false);
    expect(config.leaderElection.leaseDurationMs).toBe(15_000);
  });

  it("finds the file through the environment too", () => {
    const file = yamlFile("shutdownTimeoutMs: 1234\n");
    const config = loadConfig(RuntimeConfig, { env: { TEST_CONFIG: file }, envPrefix: "TEST_" });
    expect(config.shutdownTimeoutMs).toBe(1234);
  });

  it("lists every problem in one error", () => {
    const file = yamlFile("httpPort: 70000\nbogus: 1\n");
    const problems = problemsOf(() =>
      loadConfig(RuntimeConfig, {
        argv: ["--config", file, "--log-level=loud", "--no-such-flag=1", "stray"],
        env: { TEST_LEADER_ELECTION__LEASE_DURATION_MS: "soon", TEST_NOPE: "1" },
        envPrefix: "TEST_",
      }),
    );
    const text = problems.join("\n");
    expect(text).toMatch(/unexpected argument "stray"/);
    expect(text).toMatch(/unknown key "bogus"/);
    expect(text).toMatch(/unknown environment variable TEST_NOPE/);
    expect(text).toMatch(/unknown flag --no-such-flag/);
    expect(text).toMatch(/^log-level: /m);
    expect(text).toMatch(/^http-port: /m);
    expect(text).toMatch(/^leader-election\.lease-duration-ms: /m);
    expect(problems).toHaveLength(7);
  });

  it("reports an unreadable file instead of crashing", () => {
    const problems = problemsOf(() =>
      loadConfig(RuntimeConfig, { argv: ["--config=/nonexistent/roster.yaml"] }),
    );
    expect(problems[0]).toMatch(/cannot read config file \/nonexistent\/roster.yaml/);
  });

  it("lets an operator extend the runtime schema with its own settings", () => {
    const Extended = RuntimeConfig.extend({ workers: flagInt(z.number().int().min(1)).default(4) });
    expect(loadConfig(Extended, { argv: ["--workers=8"] }).workers).toBe(8);
    expect(problemsOf(() => loadConfig(Extended, { argv: ["--workers=0"] }))[0]).toMatch(/^workers: /);
  });
});

describe("leaderElectionFrom", () => {
  const client = new KubeClient(new KubeConfig());

  it("is undefined when election is disabled", () => {
    const config = loadConfig(RuntimeConfig, { argv: ["--leader-election.enabled=false"] });
    expect(leaderElectionFrom(config.leaderElection, client)).toBeUndefined();
  });

  it("carries the timings and makes a unique identity when none is configured", () => {
    const config = loadConfig(RuntimeConfig, { argv: ["--leader-election.lease-name=roster"] });
    const first = leaderElectionFrom(config.leaderElection, client)!;
    const second = leaderElectionFrom(config.leaderElection, client)!;
    expect(first).toMatchObject({
      leaseName: "roster",
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
    });
    expect(first.identity.startsWith(`${hostname()}_`)).toBe(true);
    expect(first.identity).not.toBe(second.identity);
  });
});
