/**
 * What the playground must undo, in reverse order of start: each started part pushes its stop
 * step; `unwind` runs them all (a failing step does not stop the rest) exactly once.
 */
export class CleanupStack {
  private readonly steps: Array<{ name: string; run: () => Promise<void> }> = [];
  private unwinding: Promise<Error[]> | undefined;

  push(name: string, run: () => Promise<void>): void {
    if (this.unwinding) throw new Error(`cannot register "${name}": the playground is stopping`);
    this.steps.push({ name, run });
  }

  /** Runs every step, newest first; resolves with the errors of the steps that failed. */
  unwind(onStep?: (name: string) => void): Promise<Error[]> {
    this.unwinding ??= (async () => {
      const errors: Error[] = [];
      for (let step = this.steps.pop(); step; step = this.steps.pop()) {
        onStep?.(step.name);
        try {
          await step.run();
        } catch (err) {
          errors.push(new Error(`${step.name} failed: ${(err as Error).message}`));
        }
      }
      return errors;
    })();
    return this.unwinding;
  }
}
