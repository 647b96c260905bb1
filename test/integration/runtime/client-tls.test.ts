import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import { Informer } from "../../../operator/src/runtime/informer/informer.js";
import { ApiError, KubeClient } from "../../../operator/src/runtime/kube/client.js";
import { loadKubeConfig } from "../../../operator/src/runtime/kube/kubeconfig.js";
import type { KubeObject } from "../../../operator/src/runtime/kube/resource.js";
import { CONFIGMAPS, CountingClient, configMap, quietLogger, waitFor } from "./fixtures.js";

describe("KubeClient over HTTPS with the kubeconfig's CA and token (Roster's own kubeconfig loader)", () => {
  let kube: LocalKube;
  let client: KubeClient;
  let dir: string;

  beforeAll(async () => {
    kube = await startLocalKube({ tls: true });
    client = new KubeClient(loadKubeConfig(kube.kubeconfigPath));
    dir = await mkdtemp(path.join(tmpdir(), "roster-kubeconfig-"));
  });
  afterAll(async () => {
    client.close();
    await kube.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("creates, reads, pages through lists and watches over one TLS keep-alive agent", async () => {
    expect(kube.url.startsWith("https://")).toBe(true);
    for (let i = 0; i < 7; i++) await client.create(CONFIGMAPS, configMap("default", `tls-${i}`));
    const read = await client.get(CONFIGMAPS, { namespace: "default", name: "tls-3" });
    expect(read.metadata?.name).toBe("tls-3");
    const pager = new CountingClient(loadKubeConfig(kube.kubeconfigPath));
    const listed = await pager.list(CONFIGMAPS, { namespace: "default", pageSize: 2 });
    expect(listed.items.filter((o) => o.metadata?.name?.startsWith("tls-"))).toHaveLength(7);
    expect(pager.counts.get("GET")).toBeGreaterThanOrEqual(4);
    pager.close();
    const informer = new Informer<KubeObject>({
      client,
      type: CONFIGMAPS,
      namespace: "default",
      logger: quietLogger(),
    });
    informer.start();
    await informer.waitForSync();
    await client.create(CONFIGMAPS, configMap("default", "tls-late"));
    await waitFor("the watched change", () => informer.store.get("default/tls-late"));
    await informer.stop();
  });

  it("turns an error answer into an ApiError with the Status reason", async () => {
    const err = await client
      .get(CONFIGMAPS, { namespace: "default", name: "missing" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ statusCode: 404, reason: "NotFound" });
  });

  it("rejects a server whose certificate the kubeconfig does not trust", async () => {
    const config = parse(await readFile(kube.kubeconfigPath, "utf8")) as {
      clusters: { cluster: Record<string, unknown> }[];
    };
    for (const { cluster } of config.clusters) delete cluster["certificate-authority-data"];
    const file = path.join(dir, "no-ca");
    await writeFile(file, stringify(config));
    const stranger = new KubeClient(loadKubeConfig(file));
    await expect(stranger.get(CONFIGMAPS, { namespace: "default", name: "tls-0" })).rejects.toThrow(
      /certificate/i,
    );
    stranger.close();
  });

  it("still authenticates with client-node's KubeConfig, which has the same shape", async () => {
    const viaClientNode = new KubeClient(kube.kubeConfig);
    const read = await viaClientNode.get(CONFIGMAPS, { namespace: "default", name: "tls-0" });
    expect(read.metadata?.name).toBe("tls-0");
    viaClientNode.close();
  });
});
