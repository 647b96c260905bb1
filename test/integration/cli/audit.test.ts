/**
 * The audit commands (access, why, orphans, plan) on a provisioned scenario in the local API
 * server: table output as golden files, JSON a script can consume, errors naming the object, and
 * the same CLI run as a kubectl plugin.
 */
import path from "node:path";
import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import { installCrds } from "../../harness/roster.js";
import { AUDIT_NOW, provisionScenario } from "./scenario.js";
import { expectGolden, roster } from "./support.js";

let kube: LocalKube;
const run = (...args: string[]) => roster(args, kube.kubeconfigPath, AUDIT_NOW);

beforeAll(async () => {
  kube = await startLocalKube();
  await installCrds(kube);
  await provisionScenario(kube);
}, 60_000);

afterAll(async () => {
  await kube?.stop();
});

describe.each([
  ["access", ["access"]],
  ["access-user", ["access", "--user", "bob.martin"]],
  ["access-target", ["access", "--target", "sales-apps/crm", "-o", "csv"]],
  ["why-bob", ["why", "bob.martin"]],
  ["why-carla", ["why", "carla.diaz"]],
  ["why-mia", ["why", "mia.kovacs"]],
  ["orphans", ["orphans"]],
  ["orphans-namespace", ["orphans", "-n", "identity"]],
  ["plan", ["plan"]],
  ["plan-json", ["plan", "crm", "-o", "json"]],
])("roster %s", (name, args) => {
  it("prints the golden output", async () => {
    const result = await run(...args);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    // JSON goldens are kept as .txt: they are exact output, not files for formatters to rewrite.
    const ext = args.includes("csv") ? "csv" : "txt";
    await expectGolden(`${name}.${ext}`, result.stdout);
  });
});

describe("JSON for scripts", () => {
  it("access -o json lists every account with typed fields", async () => {
    const result = await run("access", "-o", "json");
    expect(result.code).toBe(0);
    const { items } = JSON.parse(result.stdout) as { items: Array<Record<string, unknown>> };
    expect(items).toHaveLength(8);
    expect(items.find((i) => i.user === "bob.martin")).toEqual({
      user: "bob.martin",
      username: "bob.martin",
      target: "identity/directory",
      account: "uid=bob.martin,ou=people,dc=acme,dc=example",
      state: "Provisioned",
      enabled: true,
      roles: ["developers", "sre-oncall", "staff"],
      grants: ["identity/engineering", "identity/everyone", "identity/oncall-week-48"],
      since: "2024-01-01T00:00:00Z",
    });
    const disabled = items.filter((i) => i.enabled === false).map((i) => `${i.user}@${i.target}`);
    expect(disabled.sort()).toEqual([
      "carla.diaz@sales-apps/crm",
      "dan.okafor@identity/directory",
      "kofi.mensah@identity/directory",
      "mia.kovacs@identity/directory",
    ]);
  });

  it("why -o json says what expires next", async () => {
    const result = await run("why", "bob.martin", "-o", "json");
    const explanation = JSON.parse(result.stdout) as {
      next: unknown;
      targets: Array<{ grants: Array<{ grant: string; matchedBy: string[] }> }>;
    };
    expect(explanation.next).toEqual({
      at: "2026-12-01T09:00:00Z",
      what: "grant identity/oncall-week-48 expires (identity/directory)",
    });
    expect(explanation.targets[0]?.grants.map((g) => [g.grant, g.matchedBy])).toEqual([
      ["identity/engineering", ["selector"]],
      ["identity/everyone", ["selector"]],
      ["identity/oncall-week-48", ["explicit"]],
    ]);
  });
});

describe("errors", () => {
  it.each([
    [["why", "nobody"], 'error: user "nobody" not found\n'],
    [["access", "--user", "nobody"], 'error: user "nobody" not found\n'],
    [["plan", "identity/nothing"], 'error: target "identity/nothing" not found\n'],
    [
      ["access", "-o", "xml"],
      'error: access: unknown output format "xml": use one of table, json, yaml, csv\nSee "roster access --help".\n',
    ],
    [["access", "--frobnicate"], expect.stringContaining("error: access: Unknown option '--frobnicate'")],
    [
      ["access", "--target", "identity/directory", "-n", "other"],
      'error: access: target "identity/directory" is not in namespace other\nSee "roster access --help".\n',
    ],
    [["frobnicate"], expect.stringContaining('error: unknown command "frobnicate')],
  ])("roster %j fails on stderr, naming the object", async (args, stderr) => {
    const result = await run(...(args as string[]));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toEqual(stderr);
  });

  it("a missing kubeconfig is an error on stderr", async () => {
    const result = await roster(["access"], path.resolve("test/fixtures/hr/no-such-kubeconfig"), AUDIT_NOW);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: cannot load the kubeconfig .*no-such-kubeconfig: /);
  });
});

describe("kubectl roster", () => {
  it("runs as a kubectl plugin from PATH, with kubectl's kubeconfig", async () => {
    const previous = { PATH: process.env.PATH, from: process.env.ROSTER_CLI_FROM_SOURCE };
    process.env.PATH = `${path.resolve("bin")}:${process.env.PATH ?? ""}`;
    process.env.ROSTER_CLI_FROM_SOURCE = "1";
    try {
      const plugin = await kube.kubectl(["roster", "access", "-o", "json"], { timeoutMs: 90_000 });
      expect(plugin.stderr).toBe("");
      expect(plugin.code).toBe(0);
      expect(plugin.stdout).toBe((await run("access", "-o", "json")).stdout);
    } finally {
      process.env.PATH = previous.PATH;
      if (previous.from === undefined) delete process.env.ROSTER_CLI_FROM_SOURCE;
    }
  }, 120_000);
});
