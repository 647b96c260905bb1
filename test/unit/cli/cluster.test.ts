import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { connect } from "../../../operator/src/cli/cluster.js";

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - name: one
    cluster: {server: "http://127.0.0.1:1"}
  - name: two
    cluster: {server: "http://127.0.0.1:2"}
users:
  - name: me
    user: {token: not-a-secret}
contexts:
  - name: first
    context: {cluster: one, user: me}
  - name: second
    context: {cluster: two, user: me}
current-context: first
`;

describe("connect", () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "roster-cli-"));
    file = path.join(dir, "config");
    await writeFile(file, KUBECONFIG);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    [undefined, "http://127.0.0.1:1"],
    ["second", "http://127.0.0.1:2"],
  ])("uses the current context unless --context %s is given", (context, server) => {
    const client = connect({ kubeconfig: file, ...(context ? { context } : {}) });
    expect(client.kubeConfig.getCurrentCluster()?.server).toBe(server);
  });

  it("rejects a context the kubeconfig does not have", () => {
    expect(() => connect({ kubeconfig: file, context: "third" })).toThrow(
      'context "third" is not in the kubeconfig',
    );
  });
});
