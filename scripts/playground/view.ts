/**
 * The playground's live view: every User with its state, Ready condition and, per Target, the
 * state and roles of its account, read from the API server every few seconds and redrawn when
 * something changed. `renderView` is pure; `startLiveView` does the polling and the drawing.
 */
import { CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";

interface Condition {
  type: string;
  status: string;
  reason?: string;
}

interface Account {
  target: string;
  state: string;
  roles?: string[];
  lastError?: string;
}

export interface UserView {
  metadata: { name: string; labels?: Record<string, string> };
  spec: { state?: string };
  status?: { conditions?: Condition[]; accounts?: Account[] };
}

export interface TargetView {
  metadata: { name: string; namespace?: string };
  status?: { conditions?: Condition[] };
}

function condition(conditions: Condition[] | undefined, type: string): string {
  const found = conditions?.find((c) => c.type === type);
  if (!found) return "-";
  return found.status === "True" || !found.reason ? found.status : `${found.status} (${found.reason})`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? "").length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, col) => cell.padEnd(widths[col] ?? 0))
      .join("  ")
      .trimEnd(),
  );
}

function accountCell(account: Account | undefined): string {
  if (!account) return "-";
  const roles = account.roles?.length ? ` ${account.roles.join(",")}` : "";
  return `${account.state}${roles}`;
}

/** The view as lines of text: a users × targets table, then each Target's Connected condition and any account errors. */
export function renderView(users: UserView[], targets: TargetView[]): string[] {
  const keys = targets.map((t) => `${t.metadata.namespace ?? ""}/${t.metadata.name}`).sort();
  const header = ["USER", "DEPARTMENT", "STATE", "READY", ...keys.map((k) => k.split("/")[1] ?? k)];
  const sorted = [...users].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const rows = sorted.map((u) => [
    u.metadata.name,
    u.metadata.labels?.["roster.dev/department"] ?? "-",
    u.spec.state ?? "Active",
    condition(u.status?.conditions, "Ready"),
    ...keys.map((k) => accountCell(u.status?.accounts?.find((a) => a.target === k))),
  ]);
  const lines = users.length > 0 ? table([header, ...rows]) : ["(no users yet)"];
  const connected = targets
    .map((t) => `${t.metadata.name}: ${condition(t.status?.conditions, "Connected")}`)
    .sort()
    .join("   ");
  lines.push("", `Targets connected: ${connected || "(none)"}`);
  for (const u of sorted) {
    for (const a of u.status?.accounts ?? []) {
      if (a.lastError) lines.push(`! ${u.metadata.name} in ${a.target}: ${a.lastError}`);
    }
  }
  return lines;
}

export interface LiveView {
  stop(): void;
}

/** Polls Users and Targets every `intervalMs` and writes the view to `out` when it changed. */
export function startLiveView(
  kubeConfig: KubeConfig,
  out: NodeJS.WriteStream,
  options: { intervalMs?: number; title: string },
): LiveView {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const group = "roster.dev";
  const version = "v1alpha1";
  let last = "";
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const draw = async () => {
    let body: string;
    try {
      const [users, targets] = await Promise.all([
        api.listClusterCustomObject({ group, version, plural: "users" }),
        api.listCustomObjectForAllNamespaces({ group, version, plural: "targets" }),
      ]);
      const items = (list: unknown) => (list as { items: unknown[] }).items;
      body = renderView(items(users) as UserView[], items(targets) as TargetView[]).join("\n");
    } catch (err) {
      body = `(cannot read from the API server: ${(err as Error).message})`;
    }
    if (stopped || body === last) return;
    last = body;
    const clear = out.isTTY ? "\x1b[2J\x1b[H" : "\n";
    const time = new Date().toLocaleTimeString("en-GB");
    out.write(`${clear}${options.title}\n\nUsers and their accounts at ${time}:\n${body}\n`);
  };
  const loop = () => {
    timer = setTimeout(() => void draw().finally(() => !stopped && loop()), options.intervalMs ?? 2000);
  };
  void draw().finally(loop);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
