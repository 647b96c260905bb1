/**
 * Benchmark of the local API server: 10,000 custom resources of ~3 KB each.
 * Prints create throughput, full-list and paginated-list latency, write-to-watch-event
 * latency (p50/p95/p99) and memory. Run: npx tsx bench/localkube.ts [count]
 */
import http from "node:http";
import { LocalKubeServer } from "../localkube/src/server.js";

const COUNT = Number(process.argv[2] ?? 10_000);
const CRD = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.bench.example.com" },
  spec: {
    group: "bench.example.com",
    scope: "Namespaced",
    names: { plural: "widgets", kind: "Widget" },
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
              spec: {
                type: "object",
                properties: {
                  size: { type: "integer", minimum: 0 },
                  owner: { type: "string" },
                  notes: { type: "array", items: { type: "string", maxLength: 200 } },
                },
              },
            },
          },
        },
      },
    ],
  },
};

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function request(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  contentType = "application/json",
): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (payload) {
    headers["Content-Type"] = contentType;
    headers["Content-Length"] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = http.request(base + path, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(payload);
  });
}

function widget(i: number): unknown {
  const notes = Array.from({ length: 15 }, (_, n) => `note ${n} for widget ${i}: ${"x".repeat(170)}`);
  return {
    apiVersion: "bench.example.com/v1",
    kind: "Widget",
    metadata: { name: `w-${i}`, labels: { shard: String(i % 10) } },
    spec: { size: i, owner: `team-${i % 7}`, notes },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

async function createAll(base: string, token: string): Promise<number> {
  const path = "/apis/bench.example.com/v1/namespaces/default/widgets";
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < COUNT) {
      const i = next++;
      const res = await request(base, token, "POST", path, widget(i));
      if (res.status !== 201) throw new Error(`create ${i}: ${res.status} ${res.text}`);
    }
  };
  const [, ms] = await timed(() => Promise.all(Array.from({ length: 8 }, worker)));
  return ms;
}

async function watchLatency(base: string, token: string, samples: number): Promise<number[]> {
  const path = "/apis/bench.example.com/v1/namespaces/default/widgets";
  const list = JSON.parse((await request(base, token, "GET", `${path}?limit=1`)).text) as {
    metadata: { resourceVersion: string };
  };
  const pending = new Map<string, bigint>();
  const latencies: number[] = [];
  await new Promise<void>((resolve, reject) => {
    const req = http.get(
      `${base}${path}?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
      { headers: { Authorization: `Bearer ${token}` } },
      (res) => {
        let buffer = "";
        res.on("data", (chunk: Buffer) => {
          buffer += chunk.toString();
          let nl = buffer.indexOf("\n");
          while (nl >= 0) {
            const ev = JSON.parse(buffer.slice(0, nl)) as { object: { metadata: { name: string } } };
            buffer = buffer.slice(nl + 1);
            const started = pending.get(ev.object.metadata.name);
            if (started !== undefined) latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
            nl = buffer.indexOf("\n");
          }
          if (latencies.length >= samples) {
            req.destroy();
            resolve();
          }
        });
        void (async () => {
          for (let i = 0; i < samples; i++) {
            const name = `w-${i}`;
            pending.set(name, process.hrtime.bigint());
            const res = await request(
              base,
              token,
              "PATCH",
              `${path}/${name}`,
              { spec: { size: COUNT + i } },
              "application/merge-patch+json",
            );
            if (res.status !== 200) reject(new Error(`patch ${name}: ${res.status} ${res.text}`));
          }
        })();
      },
    );
    req.on("error", () => undefined);
  });
  return latencies.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const server = new LocalKubeServer({ historyLimit: 50_000 });
  const base = await server.start();
  const token = server.authenticator.adminToken;
  await request(base, token, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", CRD);
  while (
    (await request(base, token, "GET", "/apis/bench.example.com/v1/namespaces/default/widgets")).status !==
    200
  )
    await new Promise((r) => setTimeout(r, 20));
  const objectBytes = JSON.stringify(widget(1234)).length;
  const createMs = await createAll(base, token);
  const path = "/apis/bench.example.com/v1/namespaces/default/widgets";
  const [full, listMs] = await timed(() => request(base, token, "GET", path));
  const [, selectorMs] = await timed(() => request(base, token, "GET", `${path}?labelSelector=shard%3D3`));
  const [, pagedMs] = await timed(async () => {
    let token2 = "";
    let pages = 0;
    do {
      const res = JSON.parse(
        (await request(base, token, "GET", `${path}?limit=500${token2 ? `&continue=${token2}` : ""}`)).text,
      ) as { metadata: { continue?: string } };
      token2 = res.metadata.continue ?? "";
      pages++;
    } while (token2);
    return pages;
  });
  const latencies = await watchLatency(base, token, 500);
  global.gc?.();
  const memory = process.memoryUsage();
  const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);
  console.log(`objects:                 ${COUNT} x ~${(objectBytes / 1024).toFixed(1)} KB`);
  console.log(
    `create (8 clients):      ${(createMs / 1000).toFixed(2)} s (${Math.round(COUNT / (createMs / 1000))} objects/s)`,
  );
  console.log(`list all (one request):  ${listMs.toFixed(0)} ms, ${mb(full.text.length)} MB of JSON`);
  console.log(`list with labelSelector: ${selectorMs.toFixed(0)} ms`);
  console.log(`list in pages of 500:    ${pagedMs.toFixed(0)} ms`);
  console.log(
    `write -> watch event:    p50 ${percentile(latencies, 50).toFixed(2)} ms, p95 ${percentile(latencies, 95).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms (${latencies.length} samples)`,
  );
  console.log(`memory:                  heapUsed ${mb(memory.heapUsed)} MB, rss ${mb(memory.rss)} MB`);
  agent.destroy();
  await server.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
