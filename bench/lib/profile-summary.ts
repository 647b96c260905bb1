/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by file, so a
 * benchmark miss can be attributed to code.
 *
 *   npx tsx bench/lib/profile-summary.ts FILE.cpuprofile [top]
 */
import { readFile } from "node:fs/promises";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export async function summarise(file: string, top = 25): Promise<string> {
  const profile = JSON.parse(await readFile(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (frame: ProfileNode["callFrame"]) => {
    const url = frame.url.replace(/^file:\/\/.*?\/(node_modules|operator|localkube)\//, "$1/") || "(native)";
    return { url, fn: `${frame.functionName || "(anonymous)"} ${url}:${frame.lineNumber + 1}` };
  };
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    total += delta;
    const { url, fn } = label(frame);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + delta);
    byFile.set(url, (byFile.get(url) ?? 0) + delta);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (!node || !node.callFrame.url) continue;
      const name = label(node.callFrame).fn;
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + delta);
    }
  });
  const rows = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([name, us]) =>
          `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1e6).toFixed(2).padStart(7)} s  ${name}`,
      );
  return [
    `total sampled ${(total / 1e6).toFixed(1)} s`,
    "self time by function:",
    ...rows(byFunction),
    "self time by file:",
    ...rows(byFile),
    "inclusive time by function (JavaScript frames):",
    ...rows(inclusive),
  ].join("\n");
}

if (process.argv[1]?.endsWith("profile-summary.ts")) {
  const [file, top] = process.argv.slice(2);
  if (!file) throw new Error("usage: profile-summary.ts FILE.cpuprofile [top]");
  console.log(await summarise(file, Number(top ?? 25)));
}
