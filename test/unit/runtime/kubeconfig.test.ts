import type * as https from "node:https";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { mergeKubeconfigs, parseKubeconfig } from "../../../operator/src/runtime/kube/kubeconfig-document.js";
import { inClusterConfig, loadKubeConfig } from "../../../operator/src/runtime/kube/kubeconfig.js";

const b64 = (text: string) => Buffer.from(text).toString("base64");

function kubeconfig(options: { cluster?: object; user?: object; context?: object; current?: string } = {}) {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "c1", cluster: { server: "https://api.example:6443", ...options.cluster } }],
    users: [{ name: "u1", user: { token: "t-1", ...options.user } }],
    contexts: [{ name: "ctx1", context: { cluster: "c1", user: "u1", ...options.context } }],
    "current-context": options.current ?? "ctx1",
  });
}

async function applied(file: string): Promise<https.RequestOptions> {
  const options: https.RequestOptions = {};
  await loadKubeConfig(file).applyToHTTPSOptions(options);
  return options;
}

describe("kubeconfig documents", () => {
  it("reads clusters, users and contexts, resolving relative files against the kubeconfig's directory", () => {
    const doc = parseKubeconfig(
      kubeconfig({
        cluster: {
          "certificate-authority": "ca.crt",
          "insecure-skip-tls-verify": true,
          "tls-server-name": "api",
        },
        user: { "client-certificate": "../certs/me.crt", "client-key-data": b64("key") },
        context: { namespace: "roster-system" },
      }),
      "/home/me/.kube/config",
    );
    expect(doc.clusters).toEqual([
      {
        name: "c1",
        server: "https://api.example:6443",
        caFile: "/home/me/.kube/ca.crt",
        skipTLSVerify: true,
        tlsServerName: "api",
      },
    ]);
    expect(doc.users[0]).toEqual({
      name: "u1",
      token: "t-1",
      certFile: "/home/me/certs/me.crt",
      keyData: b64("key"),
      needsPlugin: false,
    });
    expect(doc.contexts).toEqual([{ name: "ctx1", cluster: "c1", user: "u1", namespace: "roster-system" }]);
    expect(doc.currentContext).toBe("ctx1");
  });

  it("marks users that need client-node (exec plugins, auth-providers, impersonation)", () => {
    for (const user of [
      { exec: { command: "aws" } },
      { "auth-provider": { name: "oidc" } },
      { as: "admin" },
    ]) {
      expect(parseKubeconfig(kubeconfig({ user }), "/k").users[0]?.needsPlugin).toBe(true);
    }
  });

  it("names the file and the entry when something is malformed", () => {
    expect(() => parseKubeconfig(kubeconfig({ cluster: { server: "" } }), "/etc/kc")).toThrow(
      '/etc/kc: cluster "c1" has no server',
    );
    expect(() => parseKubeconfig(kubeconfig({ user: { token: 42 } }), "/etc/kc")).toThrow(
      '/etc/kc: user "u1" token must be a string',
    );
    expect(() => parseKubeconfig("clusters: {}", "/etc/kc")).toThrow("/etc/kc: clusters must be a list");
    expect(() => parseKubeconfig("users:\n- user: {}", "/etc/kc")).toThrow(
      "/etc/kc: users[0].name is missing",
    );
    expect(() => parseKubeconfig("- a", "/etc/kc")).toThrow("/etc/kc: not a kubeconfig mapping");
  });

  it("merges like $KUBECONFIG: the first file to name an entry or a current context wins", () => {
    const first = parseKubeconfig(kubeconfig({ user: { token: "first" }, current: "" }), "/a");
    const second = parseKubeconfig(
      stringify({
        users: [
          { name: "u1", user: { token: "second" } },
          { name: "u2", user: { token: "only-here" } },
        ],
        "current-context": "ctx1",
      }),
      "/b",
    );
    const merged = mergeKubeconfigs([first, second]);
    expect(merged.users.map((u) => [u.name, u.token])).toEqual([
      ["u1", "first"],
      ["u2", "only-here"],
    ]);
    expect(merged.currentContext).toBe("ctx1");
  });
});

describe("loadKubeConfig", () => {
  let dir: string;
  const saved = { ...process.env };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "roster-kubeconfig-"));
  });
  afterEach(async () => {
    process.env = { ...saved };
    await rm(dir, { recursive: true, force: true });
  });

  it("applies the CA, client certificate and key, TLS server name and bearer token", async () => {
    await writeFile(path.join(dir, "ca.crt"), "CA PEM");
    const file = path.join(dir, "config");
    await writeFile(
      file,
      kubeconfig({
        cluster: { "certificate-authority": "ca.crt", "tls-server-name": "kubernetes" },
        user: { "client-certificate-data": b64("CERT PEM"), "client-key-data": b64("KEY PEM") },
      }),
    );
    const options = await applied(file);
    expect(String(options.ca)).toBe("CA PEM");
    expect(String(options.cert)).toBe("CERT PEM");
    expect(String(options.key)).toBe("KEY PEM");
    expect(options.servername).toBe("kubernetes");
    expect(options.rejectUnauthorized).toBeUndefined();
    expect(options.headers).toEqual({ Authorization: "Bearer t-1" });
  });

  it("reads a token file and basic auth, and skips TLS verification only when told", async () => {
    await writeFile(path.join(dir, "token"), "from-file\n");
    const file = path.join(dir, "config");
    await writeFile(
      file,
      kubeconfig({
        cluster: { "insecure-skip-tls-verify": true },
        user: { token: undefined, tokenFile: "token" },
      }),
    );
    const options = await applied(file);
    expect(options.headers).toEqual({ Authorization: "Bearer from-file" });
    expect(options.rejectUnauthorized).toBe(false);

    await writeFile(file, kubeconfig({ user: { token: undefined, username: "ann", password: "pw" } }));
    expect((await applied(file)).auth).toBe("ann:pw");
  });

  it("switches contexts, and refuses one that is not in the file", async () => {
    const file = path.join(dir, "config");
    await writeFile(
      file,
      stringify({
        clusters: [
          { name: "a", cluster: { server: "https://a:6443" } },
          { name: "b", cluster: { server: "https://b:6443" } },
        ],
        users: [{ name: "u", user: { token: "t" } }],
        contexts: [
          { name: "ctx-a", context: { cluster: "a", user: "u" } },
          { name: "ctx-b", context: { cluster: "b", user: "u" } },
        ],
        "current-context": "ctx-a",
      }),
    );
    const config = loadKubeConfig(file);
    expect(config.getCurrentCluster()?.server).toBe("https://a:6443");
    config.setCurrentContext("ctx-b");
    expect(config.getCurrentCluster()?.server).toBe("https://b:6443");
    expect(() => config.setCurrentContext("nope")).toThrow('context "nope" is not in the kubeconfig');
  });

  it("merges the files listed in $KUBECONFIG, skipping ones that do not exist", async () => {
    const clusters = path.join(dir, "clusters");
    const users = path.join(dir, "users");
    await writeFile(clusters, kubeconfig({ user: { token: "from-clusters-file" } }));
    await writeFile(users, stringify({ users: [{ name: "u1", user: { token: "ignored" } }] }));
    process.env.KUBECONFIG = [path.join(dir, "missing"), clusters, users].join(path.delimiter);
    const options: https.RequestOptions = {};
    await loadKubeConfig().applyToHTTPSOptions(options);
    expect(options.headers).toEqual({ Authorization: "Bearer from-clusters-file" });
  });

  it("treats a non-empty $KUBECONFIG as authoritative: no fallback to ~/.kube/config", async () => {
    await mkdir(path.join(dir, ".kube"));
    await writeFile(path.join(dir, ".kube", "config"), kubeconfig({ user: { token: "home-secret" } }));
    const list = [path.join(dir, "missing-a"), path.join(dir, "missing-b")].join(path.delimiter);
    let message = "";
    try {
      loadKubeConfig(undefined, { HOME: dir, KUBECONFIG: list });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(
      `no kubeconfig found: none of the files in $KUBECONFIG (${JSON.stringify(list)}) exists`,
    );
    expect(message).not.toContain("home-secret");

    const options: https.RequestOptions = {};
    await loadKubeConfig(undefined, { HOME: dir, KUBECONFIG: "" }).applyToHTTPSOptions(options);
    expect(options.headers).toEqual({ Authorization: "Bearer home-secret" });
  });

  it("hands client-node the $KUBECONFIG files merged as kubectl does, skipping missing ones", async () => {
    const credential = JSON.stringify({
      apiVersion: "client.authentication.k8s.io/v1",
      kind: "ExecCredential",
      status: { token: "from-first-file" },
    });
    const exec = {
      apiVersion: "client.authentication.k8s.io/v1",
      command: process.execPath,
      args: ["-e", `process.stdout.write(${JSON.stringify(credential)})`],
      interactiveMode: "Never",
    };
    const first = path.join(dir, "first");
    const second = path.join(dir, "second");
    await writeFile(first, kubeconfig({ user: { token: undefined, exec } }));
    await writeFile(second, kubeconfig({ cluster: { server: "https://other:6443" }, current: "ctx2" }));
    process.env.KUBECONFIG = [path.join(dir, "missing"), first, second].join(path.delimiter);
    const config = loadKubeConfig();
    const options: https.RequestOptions = {};
    await config.applyToHTTPSOptions(options);
    expect(config.getCurrentCluster()?.server).toBe("https://api.example:6443");
    expect((options.headers as Record<string, string>).Authorization).toBe("Bearer from-first-file");
  });

  it("hands an exec plugin to client-node, loaded only then", async () => {
    const file = path.join(dir, "config");
    const credential = JSON.stringify({
      apiVersion: "client.authentication.k8s.io/v1",
      kind: "ExecCredential",
      status: { token: "from-exec-plugin" },
    });
    await writeFile(
      file,
      kubeconfig({
        user: {
          token: undefined,
          exec: {
            apiVersion: "client.authentication.k8s.io/v1",
            command: process.execPath,
            args: ["-e", `process.stdout.write(${JSON.stringify(credential)})`],
            interactiveMode: "Never",
          },
        },
      }),
    );
    const options = await applied(file);
    expect((options.headers as Record<string, string>).Authorization).toBe("Bearer from-exec-plugin");
  });
});

describe("inClusterConfig", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "roster-sa-"));
    await mkdir(dir, { recursive: true });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("uses the pod's service account token, CA and namespace", async () => {
    await writeFile(path.join(dir, "token"), "sa-token");
    await writeFile(path.join(dir, "namespace"), "roster-system\n");
    const doc = inClusterConfig(dir, { KUBERNETES_SERVICE_HOST: "fd00::1", KUBERNETES_SERVICE_PORT: "443" });
    expect(doc?.clusters[0]).toMatchObject({
      server: "https://[fd00::1]:443",
      caFile: path.join(dir, "ca.crt"),
    });
    expect(doc?.users[0]).toMatchObject({ tokenFile: path.join(dir, "token"), needsPlugin: false });
    expect(doc?.contexts[0]?.namespace).toBe("roster-system");
  });

  it("is absent outside a pod", async () => {
    expect(inClusterConfig(dir, {})).toBeUndefined();
    expect(
      inClusterConfig(dir, { KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "443" }),
    ).toBeUndefined();
  });
});
