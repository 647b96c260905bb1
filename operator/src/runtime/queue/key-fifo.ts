/**
 * A FIFO of distinct keys with O(1) push, shift and delete. (A JS Set used as a queue degrades
 * badly: deleting from its front leaves holes that every later `values().next()` walks over.)
 * Deleted entries stay in the array and are skipped; each entry carries the sequence number of
 * its push, so a key deleted and pushed again is only served at its new position.
 */
export class KeyFifo {
  private entries: Array<{ key: string; seq: number }> = [];
  private head = 0;
  private seq = 0;
  private readonly live = new Map<string, number>();

  get size(): number {
    return this.live.size;
  }

  has(key: string): boolean {
    return this.live.has(key);
  }

  /** Appends `key` unless it is already queued. */
  push(key: string): void {
    if (this.live.has(key)) return;
    const seq = this.seq++;
    this.live.set(key, seq);
    this.entries.push({ key, seq });
  }

  /** Removes and returns the oldest key, or undefined when empty. */
  shift(): string | undefined {
    while (this.head < this.entries.length) {
      const entry = this.entries[this.head++]!;
      if (this.live.get(entry.key) !== entry.seq) continue;
      this.live.delete(entry.key);
      this.compact();
      return entry.key;
    }
    this.compact();
    return undefined;
  }

  /** Removes `key` wherever it is; true when it was queued. */
  delete(key: string): boolean {
    return this.live.delete(key);
  }

  clear(): void {
    this.entries = [];
    this.head = 0;
    this.live.clear();
  }

  /** Drops consumed entries once they make up most of the array. */
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}
