/**
 * The operator's pod as the kubelet would start it from the rendered Deployment: its resolved
 * environment (fieldRefs, and Service link variables unless enableServiceLinks is false), and
 * the operator configuration that environment yields.
 */
import { loadConfig } from "../../../operator/src/runtime/index.js";
import { OperatorConfig } from "../../../operator/src/main.js";
import { find, type KubeDoc } from "./kustomize.js";

export interface Container {
  name: string;
  args?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }>;
  ports?: Array<{ name?: string; containerPort: number }>;
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  startupProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
export interface PodSpec {
  serviceAccountName?: string;
  enableServiceLinks?: boolean;
  terminationGracePeriodSeconds?: number;
  securityContext?: Record<string, unknown>;
  containers: Container[];
  volumes?: Array<{ name: string; emptyDir?: unknown }>;
}
export interface Deployment extends KubeDoc {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}
export type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };

export const POD_NAME = "roster-operator-7d9f8c6b5-x2x4q";

/** The variables Kubernetes injects for each Service in the pod's namespace when service links are on. */
function serviceLinkEnv(services: KubeDoc[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const svc of services) {
    const prefix = svc.metadata.name.toUpperCase().replace(/-/g, "_");
    env[`${prefix}_SERVICE_HOST`] = "10.96.0.10";
    env[`${prefix}_SERVICE_PORT`] = "8080";
    env[`${prefix}_PORT`] = "tcp://10.96.0.10:8080";
  }
  return env;
}

/** The container's environment as the kubelet resolves it (fieldRefs to the pod's metadata). */
export function containerEnv(
  deployment: Deployment,
  container: Container,
  services: KubeDoc[],
): Record<string, string> {
  const pod = { "metadata.name": POD_NAME, "metadata.namespace": deployment.metadata.namespace ?? "default" };
  const env: Record<string, string> =
    deployment.spec.template.spec.enableServiceLinks === false ? {} : serviceLinkEnv(services);
  for (const entry of container.env ?? []) {
    const field = entry.valueFrom?.fieldRef?.fieldPath;
    env[entry.name] = field ? (pod[field as keyof typeof pod] ?? "") : (entry.value ?? "");
  }
  return env;
}

/** The operator configuration the base's Deployment gives its pod. */
export function operatorConfigOf(docs: KubeDoc[]): OperatorConfig {
  const deployment = find(docs, "Deployment", "roster-operator") as Deployment;
  const container = deployment.spec.template.spec.containers[0]!;
  const services = docs.filter(
    (d) => d.kind === "Service" && d.metadata.namespace === deployment.metadata.namespace,
  );
  return loadConfig(OperatorConfig, {
    argv: container.args ?? [],
    env: containerEnv(deployment, container, services),
    envPrefix: "ROSTER_",
  });
}
