/**
 * Argo CD's own test layout for resource customizations, run under Debian's lua5.1 (the Lua
 * version Argo CD embeds): every health_test.yaml case's status and message must match exactly,
 * every testdata file must be used, and argocd/argocd-cm.yaml must carry the same scripts.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { runHealthScript } from "./lua.js";

const GROUP_DIR = path.resolve("argocd/resource_customizations/roster.dev");
const KINDS = ["User", "AccessGrant", "Target"];
const HEALTH_STATUSES = ["Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown"];

interface HealthTest {
  healthStatus: { status: string; message: string };
  inputPath: string;
}

const casesOf = (kind: string): HealthTest[] =>
  (parse(readFileSync(path.join(GROUP_DIR, kind, "health_test.yaml"), "utf8")) as { tests: HealthTest[] })
    .tests;

describe.each(KINDS)("roster.dev/%s health.lua", (kind) => {
  const dir = path.join(GROUP_DIR, kind);
  const cases = casesOf(kind);

  it.each(cases.map((c) => [c.inputPath, c] as const))("%s", async (_name, testCase) => {
    // yaml's core schema keeps timestamps as strings, as Argo CD's JSON does.
    const obj: unknown = parse(readFileSync(path.join(dir, testCase.inputPath), "utf8"));
    const result = await runHealthScript(path.join(dir, "health.lua"), obj);
    expect(HEALTH_STATUSES).toContain(result.status);
    expect(result).toEqual(testCase.healthStatus);
  });

  it("uses every testdata file", () => {
    const used = cases.map((c) => c.inputPath).sort();
    const present = readdirSync(path.join(dir, "testdata"))
      .map((f) => `testdata/${f}`)
      .sort();
    expect(used).toEqual(present);
  });
});

it("the statuses covered include Healthy, Progressing, Degraded and Suspended", () => {
  const seen = new Set(KINDS.flatMap((k) => casesOf(k).map((c) => c.healthStatus.status)));
  for (const status of ["Healthy", "Progressing", "Degraded", "Suspended"]) expect(seen).toContain(status);
});

it("argocd/argocd-cm.yaml carries exactly these scripts", () => {
  const cm = parse(readFileSync(path.resolve("argocd/argocd-cm.yaml"), "utf8")) as {
    data: Record<string, string>;
  };
  const expected = Object.fromEntries(
    KINDS.map((kind) => [
      `resource.customizations.health.roster.dev_${kind}`,
      readFileSync(path.join(GROUP_DIR, kind, "health.lua"), "utf8"),
    ]),
  );
  expect(cm.data).toEqual(expected);
});

it("a script that errors fails the run (the harness cannot pass silently)", async () => {
  await expect(runHealthScript(path.join(GROUP_DIR, "User", "health.lua"), 42)).rejects.toThrow(
    /lua5.1 exited/,
  );
});
