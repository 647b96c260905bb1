/**
 * Optional persistence: the whole store is written as one JSON snapshot to the data
 * directory (debounced after writes, and on stop) and loaded at start.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { KubeObject } from "./kinds/types.js";
import type { Store } from "./store.js";

interface Snapshot {
  resourceVersion: number;
  tables: Record<string, KubeObject[]>;
}

export class Persistence {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly dir: string) {}

  private get file(): string {
    return path.join(this.dir, "store.json");
  }

  async load(store: Store): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch {
      return;
    }
    const snapshot = JSON.parse(text) as Snapshot;
    for (const [key, objects] of Object.entries(snapshot.tables))
      for (const o of objects) store.restore(key, o);
    store.advanceTo(snapshot.resourceVersion);
  }

  /** Schedules a snapshot after every write; returns the detach function. */
  attach(store: Store, onError: (err: unknown) => void): () => void {
    const unsubscribe = store.subscribe(() => {
      if (this.timer) return;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush(store).catch(onError);
      }, 200);
    });
    return () => {
      unsubscribe();
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
    };
  }

  async flush(store: Store): Promise<void> {
    const snapshot: Snapshot = { resourceVersion: store.resourceVersion, tables: {} };
    for (const [key, table] of store.allTables()) snapshot.tables[key] = [...table.values()];
    const text = JSON.stringify(snapshot);
    this.writing = this.writing.then(async () => {
      const tmp = `${this.file}.tmp`;
      await writeFile(tmp, text);
      await rename(tmp, this.file);
    });
    await this.writing;
  }
}
