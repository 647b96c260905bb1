/**
 * Summarises a V8 heap snapshot (node --heapsnapshot-signal): self size and count by constructor
 * (objects) or by node type (strings, arrays, code), largest first — enough to see which of the
 * operator's structures holds the memory behind an RSS figure.
 *
 *   npx tsx bench/lib/heap-summary.ts FILE.heapsnapshot [top]
 */
import { readFile } from "node:fs/promises";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface HeapGroup {
  name: string;
  count: number;
  selfBytes: number;
}

/** Self size per constructor / node type, largest first. */
export function heapGroups(snapshot: Snapshot): HeapGroup[] {
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const stride = fields.length;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const sizeAt = fields.indexOf("self_size");
  const groups = new Map<string, HeapGroup>();
  for (let i = 0; i < snapshot.nodes.length; i += stride) {
    const type = types[snapshot.nodes[i + typeAt] ?? 0] ?? "?";
    const name =
      type === "object" || type === "closure"
        ? `${type === "closure" ? "closure " : ""}${snapshot.strings[snapshot.nodes[i + nameAt] ?? 0]}`
        : `(${type})`;
    const group = groups.get(name) ?? { name, count: 0, selfBytes: 0 };
    group.count += 1;
    group.selfBytes += snapshot.nodes[i + sizeAt] ?? 0;
    groups.set(name, group);
  }
  return [...groups.values()].sort((a, b) => b.selfBytes - a.selfBytes);
}

export async function summariseHeap(file: string, top = 30): Promise<string> {
  const groups = heapGroups(JSON.parse(await readFile(file, "utf8")) as Snapshot);
  const total = groups.reduce((sum, g) => sum + g.selfBytes, 0);
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1).padStart(8);
  const lines = [`heap ${mib(total).trim()} MiB in ${groups.length} kinds; largest by self size:`];
  for (const g of groups.slice(0, top))
    lines.push(`${mib(g.selfBytes)} MiB  ${String(g.count).padStart(9)}  ${g.name.slice(0, 90)}`);
  return lines.join("\n");
}

if (process.argv[1]?.endsWith("heap-summary.ts")) {
  const [file, top] = process.argv.slice(2);
  if (!file) throw new Error("usage: heap-summary.ts FILE.heapsnapshot [top]");
  console.log(await summariseHeap(file, top ? Number(top) : undefined));
}
