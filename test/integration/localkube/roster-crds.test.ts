import { readdir } from "node:fs/promises";
import path from "node:path";
import { jest } from "@jest/globals";
import { startLocalKube, type LocalKube } from "../../harness/localkube.js";

jest.setTimeout(30_000);

const CRD_DIR = path.resolve("crds");

describe("Roster's own CRDs on localkube", () => {
  let kube: LocalKube;
  beforeAll(async () => {
    kube = await startLocalKube();
  });
  afterAll(async () => {
    await kube.stop();
  });

  it("applies every CRD in crds/ with plain kubectl apply, explains user.spec and accepts examples/", async () => {
    const files = (await readdir(CRD_DIR)).filter((f) => f.endsWith(".yaml"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const out = await kube.kubectl(["apply", "-f", path.join(CRD_DIR, file)]);
      expect([file, out.stderr]).toEqual([file, ""]);
    }
    const wait = await kube.kubectl(["wait", "--for=condition=Established", "crd", "--all", "--timeout=20s"]);
    expect(wait.code).toBe(0);
    const explain = await kube.kubectl(["explain", "user.spec"]);
    expect(explain.stderr).toBe("");
    expect(explain.stdout).toContain("GROUP:      roster.dev");
    expect(explain.stdout).toContain("FIELD: spec <Object>");
    const namespaces = await kube.kubectl(["apply", "-f", path.resolve("examples/00-namespaces.yaml")]);
    expect(namespaces.stderr).toBe("");
    const examples = await kube.kubectl(["apply", "-R", "-f", path.resolve("examples")]);
    expect(examples.stderr).toBe("");
    const users = await kube.kubectl(["get", "users"]);
    expect(users.stdout.split("\n")[0]?.match(/\bAGE\b/g)).toHaveLength(1);
  });
});
