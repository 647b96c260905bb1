import type { Clock, TimerHandle } from "../clock.js";

interface HeapEntry<T> {
  key: string;
  dueAt: number;
  payload: T;
}

/**
 * Holds keys until an exact instant, with ONE clock timer armed for the earliest due key (not a
 * timer per key). Scheduling a key that is already waiting keeps the earlier of the two instants.
 * When keys fall due, `onDue(key, payload)` is called for each, in due order.
 *
 * Implementation: a binary min-heap with lazy deletion; `waiting` holds the live entry per key, and
 * heap entries that are no longer the live one are skipped when popped.
 */
export class DelayScheduler<T> {
  private readonly heap: HeapEntry<T>[] = [];
  private readonly waiting = new Map<string, HeapEntry<T>>();
  private timer: TimerHandle | undefined;
  private timerDueAt = Infinity;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly onDue: (key: string, payload: T) => void,
  ) {}

  /** Number of keys waiting for their instant. */
  get size(): number {
    return this.waiting.size;
  }

  /** When `key` is due, or undefined when it is not waiting. */
  dueAt(key: string): number | undefined {
    return this.waiting.get(key)?.dueAt;
  }

  schedule(key: string, dueAt: number, payload: T): void {
    if (this.stopped) return;
    const existing = this.waiting.get(key);
    if (existing && existing.dueAt <= dueAt) return;
    const entry = { key, dueAt, payload };
    this.waiting.set(key, entry);
    this.push(entry);
    if (dueAt < this.timerDueAt) this.arm(dueAt);
  }

  /** Cancels every waiting key and the timer; later `schedule` calls are ignored. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.waiting.clear();
    this.heap.length = 0;
  }

  private arm(dueAt: number): void {
    this.timer?.cancel();
    this.timerDueAt = dueAt;
    this.timer = this.clock.setTimer(() => this.fire(), dueAt - this.clock.now());
  }

  private fire(): void {
    this.timer = undefined;
    this.timerDueAt = Infinity;
    const now = this.clock.now();
    for (let top = this.peekLive(); top && top.dueAt <= now; top = this.peekLive()) {
      this.pop();
      this.waiting.delete(top.key);
      this.onDue(top.key, top.payload);
    }
    const next = this.peekLive();
    if (next && !this.stopped) this.arm(next.dueAt);
  }

  /** The earliest entry that is still live, discarding stale ones on the way. */
  private peekLive(): HeapEntry<T> | undefined {
    while (this.heap.length > 0) {
      const top = this.heap[0]!;
      if (this.waiting.get(top.key) === top) return top;
      this.pop();
    }
    return undefined;
  }

  private push(entry: HeapEntry<T>): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.dueAt <= entry.dueAt) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (!last || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.dueAt < heap[left]!.dueAt ? right : left;
      if (heap[child]!.dueAt >= last.dueAt) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
}
