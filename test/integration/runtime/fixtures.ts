/** Shared pieces for the runtime's integration tests: a tiny CRD, a counting client, waits. */
import { pino, type Logger } from "pino";
import { KubeClient, type RequestOptions } from "../../../operator/src/runtime/kube/client.js";
import type { KubeObject, ResourceType } from "../../../operator/src/runtime/kube/resource.js";

export const CONFIGMAPS: ResourceType = {
  group: "",
  version: "v1",
  resource: "configmaps",
  namespaced: true,
};
export const NAMESPACES: ResourceType = {
  group: "",
  version: "v1",
  resource: "namespaces",
  namespaced: false,
};
export const GADGETS: ResourceType = {
  group: "runtime.test",
  version: "v1",
  resource: "gadgets",
  namespaced: true,
};

export const GADGET_CRD = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "gadgets.runtime.test" },
  spec: {
    group: "runtime.test",
    names: { plural: "gadgets", singular: "gadget", kind: "Gadget" },
    scope: "Namespaced",
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
              status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
            },
          },
        },
      },
    ],
  },
};

export const CRDS: ResourceType = {
  group: "apiextensions.k8s.io",
  version: "v1",
  resource: "customresourcedefinitions",
  namespaced: false,
};

/** A real client that also counts the requests it makes, by method. */
export class CountingClient extends KubeClient {
  readonly counts = new Map<string, number>();
  lists = 0;

  override request<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
    this.counts.set(method, (this.counts.get(method) ?? 0) + 1);
    return super.request<T>(method, path, options);
  }

  override list<T extends KubeObject>(...args: Parameters<KubeClient["list"]>) {
    this.lists++;
    return super.list<T>(...args);
  }

  writes(): number {
    return ["POST", "PUT", "PATCH", "DELETE"].reduce((sum, m) => sum + (this.counts.get(m) ?? 0), 0);
  }
}

export function quietLogger(): Logger {
  return pino({ level: process.env.RUNTIME_TEST_LOG ?? "silent" });
}

/** Polls `probe` until it returns a truthy value or `timeoutMs` passes (then throws with `what`). */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function createNamespace(client: KubeClient, name: string): Promise<void> {
  await client.create(NAMESPACES, { apiVersion: "v1", kind: "Namespace", metadata: { name } });
}

export function configMap(namespace: string, name: string, data: Record<string, string> = {}): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { namespace, name }, data };
}

/** Installs the Gadget CRD and waits until the API serves gadgets. */
export async function installGadgetCrd(client: KubeClient): Promise<void> {
  await client.create(CRDS, GADGET_CRD);
  await waitFor("gadgets to be served", async () => {
    try {
      await client.list(GADGETS, { namespace: "default" });
      return true;
    } catch {
      return false;
    }
  });
}
