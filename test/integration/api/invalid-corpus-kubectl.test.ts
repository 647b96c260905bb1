/**
 * The invalid-manifest corpus (test/fixtures/invalid, each file headed `# expect: <field>`) sent
 * through the real kubectl to the local API server with Roster's CRDs: every manifest must be
 * rejected by the server in Kubernetes' own error format, naming the field. The same corpus is
 * checked against the zod schemas in test/unit/api.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import { installCrds } from "../../harness/roster.js";

const DIR = path.resolve("test/fixtures/invalid");
let kube: LocalKube;

beforeAll(async () => {
  kube = await startLocalKube();
  await installCrds(kube);
}, 60_000);
afterAll(async () => kube?.stop());

async function corpus(): Promise<Array<{ file: string; expect: string; yaml: string }>> {
  const files = (await readdir(DIR)).filter((f) => f.endsWith(".yaml")).sort();
  return Promise.all(
    files.map(async (file) => {
      const yaml = await readFile(path.join(DIR, file), "utf8");
      const expected = /^# expect: (\S+)/m.exec(yaml)?.[1];
      if (!expected) throw new Error(`${file} has no "# expect:" header`);
      return { file, expect: expected, yaml };
    }),
  );
}

describe("invalid manifests through kubectl apply", () => {
  it("has a corpus of at least 30 manifests", async () => {
    expect((await corpus()).length).toBeGreaterThanOrEqual(30);
  });

  it("rejects every manifest with a Kubernetes error naming the field", async () => {
    const failures: string[] = [];
    for (const item of await corpus()) {
      const result = await kube.kubectl(["apply", "-n", "default", "-f", "-"], { input: item.yaml });
      const named = result.stderr.includes(item.expect);
      const kubernetesFormat =
        /^(Error from server \(\w+\)|error: error when creating|The \w+ "[^"]*" is invalid)/m.test(
          result.stderr,
        );
      if (result.code === 0 || !named || !kubernetesFormat) {
        failures.push(
          `${item.file}: exit ${result.code}, expected "${item.expect}", got: ${result.stderr.trim()}`,
        );
      }
    }
    expect(failures).toEqual([]);
  });
});
