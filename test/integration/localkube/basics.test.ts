import { jest } from "@jest/globals";
import { CoreV1Api } from "@kubernetes/client-node";
import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import { WIDGET_CRD, widget } from "./fixtures.js";

jest.setTimeout(30_000);

describe("localkube basics with the real kubectl", () => {
  let kube: LocalKube;
  beforeAll(async () => {
    kube = await startLocalKube();
  });
  afterAll(async () => {
    await kube.stop();
  });

  it("reports the configured minor so the kubectl dispatcher picks a matching client", async () => {
    const out = await kube.kubectl(["version", "-o", "json"]);
    expect(out.code).toBe(0);
    const v = JSON.parse(out.stdout) as {
      clientVersion: { minor: string };
      serverVersion: { minor: string };
    };
    expect(v.serverVersion.minor).toBe("31");
    expect(v.clientVersion.minor).toBe("31");
  });

  it("serves the initial namespaces to client-node over plain HTTP with skip-verify", async () => {
    const api = kube.kubeConfig.makeApiClient(CoreV1Api);
    const list = await api.listNamespace();
    expect(list.items.map((n) => n.metadata?.name)).toEqual([
      "default",
      "kube-node-lease",
      "kube-public",
      "kube-system",
    ]);
    expect(Number(list.metadata?.resourceVersion)).toBeGreaterThan(0);
  });

  it("registers a CRD, waits for Established, applies a CR and prints its columns", async () => {
    expect((await kube.kubectl(["apply", "-f", "-"], { input: WIDGET_CRD })).code).toBe(0);
    const wait = await kube.kubectl([
      "wait",
      "--for=condition=Established",
      "crd/widgets.example.com",
      "--timeout=20s",
    ]);
    expect(wait.stdout).toContain("condition met");
    const apply = await kube.kubectl(["apply", "-f", "-"], { input: widget("w1", { size: 3 }) });
    expect(apply.stderr).toBe("");
    expect(apply.stdout).toBe("widget.example.com/w1 created\n");
    const get = await kube.kubectl(["get", "wd"]);
    expect(get.stdout.split("\n")[0]).toMatch(/^NAME\s+SIZE\s+READY\s+AGE$/);
    expect(get.stdout.split("\n")[1]).toMatch(/^w1\s+3\s+\d+s$/);
  });
});
