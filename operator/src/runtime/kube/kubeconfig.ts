import { KubeConfig } from "@kubernetes/client-node";

/**
 * Loads credentials: from `path` when given, otherwise client-node's default order
 * ($KUBECONFIG, ~/.kube/config, then the in-cluster service account).
 */
export function loadKubeConfig(path?: string): KubeConfig {
  const kc = new KubeConfig();
  if (path) kc.loadFromFile(path);
  else kc.loadFromDefault();
  return kc;
}
