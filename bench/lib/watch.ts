/**
 * Counts watch events on one resource from a resourceVersion on: what was written to the API
 * server in a window, attributed to a resource type. Deletions and updates count alike.
 */
import type { BenchKube } from "./kube.js";

export interface WatchCount {
  resource: string;
  stop(): Promise<{ resource: string; events: number }>;
}

export function countWatchEvents(kube: BenchKube, path: string, fromResourceVersion: number): WatchCount {
  const resource = path.split("/").at(-1) ?? path;
  const controller = new AbortController();
  let events = 0;
  const token = kube.token;
  const done = (async () => {
    try {
      const answer = await fetch(
        `${kube.url}${path}?watch=1&allowWatchBookmarks=false&resourceVersion=${fromResourceVersion}`,
        { headers: { authorization: `Bearer ${token}` }, signal: controller.signal },
      );
      const reader = answer.body?.getReader();
      if (!reader) return;
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { done: finished, value } = await reader.read();
        if (finished) return;
        buffer += decoder.decode(value, { stream: true });
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line && !line.includes('"BOOKMARK"')) events += 1;
        }
      }
    } catch {
      // Aborted by stop().
    }
  })();
  return {
    resource,
    async stop() {
      controller.abort();
      await done;
      return { resource, events };
    },
  };
}
