/**
 * Timers of the built-in controllers: all cancelled by stop(), and a task that throws is
 * reported through onError instead of crashing the process.
 */
export class TaskScheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly onError: (err: unknown) => void) {}

  run(task: () => void, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      try {
        task();
      } catch (err) {
        this.onError(err);
      }
    }, delayMs);
    this.timers.add(timer);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
