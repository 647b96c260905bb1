import { jest } from "@jest/globals";
import { startLocalKube } from "../../harness/localkube.js";
import { WIDGET_CRD, widget } from "./fixtures.js";

jest.setTimeout(60_000);

/** The dispatcher runs kubectl 1.<minor>; 1.29 needs OpenAPI v3, 1.33 sends protobuf for typed creates. */
describe.each([29, 33])("kubectl 1.%i against localkube", (minor) => {
  it("applies a CRD and a CR, explains it, and runs the typed create commands", async () => {
    const kube = await startLocalKube({ server: { minorVersion: minor } });
    try {
      const version = JSON.parse((await kube.kubectl(["version", "-o", "json"])).stdout);
      expect(version.clientVersion.minor).toBe(String(minor));
      expect((await kube.kubectl(["apply", "-f", "-"], { input: WIDGET_CRD })).stderr).toBe("");
      await kube.kubectl(["wait", "--for=condition=Established", "crd/widgets.example.com"]);
      expect((await kube.kubectl(["apply", "-f", "-"], { input: widget("w1", { size: 3 }) })).stdout).toBe(
        "widget.example.com/w1 created\n",
      );
      expect((await kube.kubectl(["explain", "widget.spec.size"])).stdout).toContain(
        "How big the widget is.",
      );
      const creates: string[][] = [
        ["create", "namespace", "team"],
        ["create", "configmap", "cm", "-n", "team", "--from-literal=a=b"],
        ["create", "secret", "generic", "s", "-n", "team", "--from-literal=pw=hunter2"],
        ["create", "serviceaccount", "bot", "-n", "team"],
        ["create", "role", "r", "-n", "team", "--verb=get", "--resource=configmaps"],
        ["create", "rolebinding", "rb", "-n", "team", "--role=r", "--serviceaccount=team:bot"],
        ["create", "clusterrole", "cr", "--verb=get", "--resource=secrets"],
        ["create", "clusterrolebinding", "crb", "--clusterrole=cr", "--user=alice"],
      ];
      for (const args of creates) {
        const out = await kube.kubectl(args);
        expect([args.join(" "), out.stderr]).toEqual([args.join(" "), ""]);
      }
      const secret = JSON.parse(
        (await kube.kubectl(["get", "secret", "s", "-n", "team", "-o", "json"])).stdout,
      );
      expect(Buffer.from(secret.data.pw, "base64").toString()).toBe("hunter2");
      const binding = JSON.parse(
        (await kube.kubectl(["get", "rolebinding", "rb", "-n", "team", "-o", "json"])).stdout,
      );
      expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "bot", namespace: "team" }]);
      expect((await kube.kubectl(["create", "token", "bot", "-n", "team"])).stdout).toMatch(/^\S+\n?$/);
    } finally {
      await kube.stop();
    }
  });
});
