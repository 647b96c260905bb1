/**
 * The workload objects the local API server cannot serve, checked against what the operator
 * really does: the Deployment's environment parses with the operator's own config loader (as
 * the kubelet would set it, Service links included unless disabled), its probes and ports are
 * the operator's, the Lease namespace and name match the Role, the pod meets the restricted Pod
 * Security Standard, and every selector selects the pod.
 */
import { loadConfig } from "../../../operator/src/runtime/index.js";
import { OperatorConfig } from "../../../operator/src/main.js";
import { find, render, type KubeDoc } from "./kustomize.js";
import { POD_NAME, containerEnv, type Container, type Deployment, type PodSpec, type Rule } from "./pod.js";

const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe.each(["manifests/base", "manifests/overlays/dev", "manifests/overlays/monitored"])("%s", (dir) => {
  let docs: KubeDoc[];
  let deployment: Deployment;
  let pod: PodSpec;
  let container: Container;
  let config: OperatorConfig;

  beforeAll(async () => {
    docs = await render(dir);
    deployment = find(docs, "Deployment", "roster-operator") as Deployment;
    pod = deployment.spec.template.spec;
    container = pod.containers[0]!;
    const services = docs.filter(
      (d) => d.kind === "Service" && d.metadata.namespace === deployment.metadata.namespace,
    );
    config = loadConfig(OperatorConfig, {
      argv: container.args ?? [],
      env: containerEnv(deployment, container, services),
      envPrefix: "ROSTER_",
    });
  });

  it("configures the operator with a valid configuration and leader election on", () => {
    expect(pod.containers).toHaveLength(1);
    expect(config.leaderElection.enabled).toBe(true);
    expect(config.leaderElection.identity).toBe(POD_NAME);
  });

  it("runs under the ServiceAccount the manifests bind", () => {
    expect(find(docs, "ServiceAccount", pod.serviceAccountName)).toBeDefined();
  });

  it("probes /healthz and /readyz on the port the operator listens on", () => {
    const http = container.ports?.find((p) => p.name === "http");
    expect(http?.containerPort).toBe(config.httpPort);
    expect(container.livenessProbe?.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(container.readinessProbe?.httpGet).toEqual({ path: "/readyz", port: "http" });
  });

  it("lets the operator finish its graceful shutdown before the kubelet kills it", () => {
    expect((pod.terminationGracePeriodSeconds ?? 30) * 1000).toBeGreaterThan(config.shutdownTimeoutMs);
  });

  it("holds its Lease where the Role allows get, create and update", () => {
    expect(config.leaderElection.namespace).toBe(deployment.metadata.namespace);
    const role = docs.find(
      (d) => d.kind === "Role" && d.metadata.namespace === config.leaderElection.namespace,
    );
    const rules = (role?.rules ?? []) as Rule[];
    const allows = (verb: string, name?: string) =>
      rules.some(
        (r) =>
          r.apiGroups.includes("coordination.k8s.io") &&
          r.resources.includes("leases") &&
          r.verbs.includes(verb) &&
          (r.resourceNames === undefined || (name !== undefined && r.resourceNames.includes(name))),
      );
    expect(allows("create")).toBe(true);
    expect(allows("get", config.leaderElection.leaseName)).toBe(true);
    expect(allows("update", config.leaderElection.leaseName)).toBe(true);
    const binding = docs.find(
      (d) => d.kind === "RoleBinding" && (d.roleRef as { name: string }).name === role?.metadata.name,
    );
    expect(binding?.subjects).toEqual([
      { kind: "ServiceAccount", name: pod.serviceAccountName, namespace: deployment.metadata.namespace },
    ]);
  });

  it("meets the restricted Pod Security Standard with a read-only root filesystem", () => {
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(Number(pod.securityContext?.runAsUser)).toBeGreaterThan(0);
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    const tmp = container.volumeMounts?.find((m) => m.mountPath === "/tmp");
    expect(pod.volumes?.find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
    const namespace = find(docs, "Namespace", deployment.metadata.namespace);
    expect(namespace?.metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  it("requests and limits CPU and memory", () => {
    for (const kind of ["requests", "limits"] as const)
      for (const resource of ["cpu", "memory"]) expect(container.resources?.[kind]?.[resource]).toBeDefined();
  });

  it("selects its own pods from the Deployment, Service, PodDisruptionBudget and NetworkPolicy", () => {
    const labels = deployment.spec.template.metadata.labels;
    expect(matches(deployment.spec.selector.matchLabels, labels)).toBe(true);
    const service = find(docs, "Service") as KubeDoc & {
      spec: { selector: Record<string, string>; ports: Array<{ name: string; targetPort: string }> };
    };
    expect(matches(service.spec.selector, labels)).toBe(true);
    expect(service.spec.ports.map((p) => p.targetPort)).toEqual(["http"]);
    const policy = find(docs, "NetworkPolicy") as KubeDoc & {
      spec: {
        podSelector: { matchLabels: Record<string, string> };
        ingress: Array<{ ports: Array<{ port: string }> }>;
      };
    };
    expect(matches(policy.spec.podSelector.matchLabels, labels)).toBe(true);
    expect(policy.spec.ingress.flatMap((i) => i.ports.map((p) => p.port))).toEqual(["http"]);
    const pdb = find(docs, "PodDisruptionBudget") as
      | (KubeDoc & { spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } } })
      | undefined;
    if (deployment.spec.replicas > 1) {
      expect(pdb).toBeDefined();
      expect(matches(pdb!.spec.selector.matchLabels, labels)).toBe(true);
      expect(pdb!.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    } else expect(pdb).toBeUndefined();
    const monitor = find(docs, "ServiceMonitor") as
      | (KubeDoc & {
          spec: { selector: { matchLabels: Record<string, string> }; endpoints: Array<{ port: string }> };
        })
      | undefined;
    if (monitor) {
      expect(matches(monitor.spec.selector.matchLabels, service.metadata.labels ?? {})).toBe(true);
      expect(monitor.spec.endpoints.map((e) => e.port)).toEqual(service.spec.ports.map((p) => p.name));
    }
  });
});

it("the base runs two replicas; with service links on, a roster-* Service would break the configuration", async () => {
  const docs = await render("manifests/base");
  const deployment = find(docs, "Deployment") as Deployment;
  expect(deployment.spec.replicas).toBe(2);
  // Why enableServiceLinks is false: the metrics Service's injected variables start with ROSTER_.
  const container = deployment.spec.template.spec.containers[0]!;
  const withLinks = {
    ...deployment,
    spec: {
      ...deployment.spec,
      template: {
        ...deployment.spec.template,
        spec: { ...deployment.spec.template.spec, enableServiceLinks: true },
      },
    },
  };
  const env = containerEnv(
    withLinks,
    container,
    docs.filter((d) => d.kind === "Service"),
  );
  expect(() => loadConfig(OperatorConfig, { env, envPrefix: "ROSTER_" })).toThrow(
    /ROSTER_OPERATOR_METRICS_SERVICE_HOST/,
  );
});
