import { KubeConfig } from "@kubernetes/client-node";

describe("toolchain", () => {
  it("loads the ESM-only Kubernetes client under Jest", () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "c", server: "https://127.0.0.1:1" }],
      users: [{ name: "u", token: "t" }],
      contexts: [{ name: "x", cluster: "c", user: "u" }],
      currentContext: "x",
    });
    expect(kc.getCurrentCluster()?.server).toBe("https://127.0.0.1:1");
  });
});
