/** The kubeconfig kubectl and client-node both accept (HTTPS with CA data, or HTTP + skip). */
import { stringify } from "yaml";

export interface KubeconfigInput {
  server: string;
  caCert?: string;
  token: string;
  user?: string;
  namespace?: string;
}

export function kubeconfigObject(input: KubeconfigInput): Record<string, unknown> {
  const cluster: Record<string, unknown> = { server: input.server };
  if (input.caCert) cluster["certificate-authority-data"] = Buffer.from(input.caCert).toString("base64");
  else cluster["insecure-skip-tls-verify"] = true;
  const user = input.user ?? "admin";
  return {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "localkube", cluster }],
    users: [{ name: user, user: { token: input.token } }],
    contexts: [
      { name: "localkube", context: { cluster: "localkube", user, namespace: input.namespace ?? "default" } },
    ],
    "current-context": "localkube",
    preferences: {},
  };
}

export function kubeconfigYaml(input: KubeconfigInput): string {
  return stringify(kubeconfigObject(input));
}
