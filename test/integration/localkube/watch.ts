/** Reads a watch stream line by line over a raw socket-level fetch. */
import type { LocalKube } from "../../harness/localkube.js";

export interface WatchEvent {
  type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  object: any;
}

export interface WatchStream {
  status: number;
  events: WatchEvent[];
  /** Resolves when the server ends the stream cleanly (rejects on a reset). */
  ended: Promise<void>;
  next(count?: number, timeoutMs?: number): Promise<WatchEvent[]>;
  close(): void;
}

export async function openWatch(
  kube: LocalKube,
  path: string,
  headers: Record<string, string> = {},
): Promise<WatchStream> {
  const controller = new AbortController();
  const res = await fetch(kube.url + path, {
    headers: { Authorization: `Bearer ${kube.adminToken}`, ...headers },
    signal: controller.signal,
  });
  const events: WatchEvent[] = [];
  let buffer = "";
  const reader = res.body?.getReader();
  const ended = (async () => {
    if (!reader) return;
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let nl = buffer.indexOf("\n");
      while (nl >= 0) {
        events.push(JSON.parse(buffer.slice(0, nl)) as WatchEvent);
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf("\n");
      }
    }
  })();
  ended.catch(() => undefined);
  let consumed = 0;
  return {
    status: res.status,
    events,
    ended,
    async next(count = 1, timeoutMs = 10000) {
      const deadline = Date.now() + timeoutMs;
      while (events.length < consumed + count) {
        if (Date.now() > deadline)
          throw new Error(`expected ${count} more events, got ${JSON.stringify(events.slice(consumed))}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      const out = events.slice(consumed, consumed + count);
      consumed += count;
      return out;
    },
    close() {
      controller.abort();
    },
  };
}
