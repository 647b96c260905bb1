/**
 * Capped exponential backoff for retry loops (informer restarts, API retries): `next()` returns
 * initial, 2·initial, 4·initial, ... up to `max`, each with up to `jitter` (fraction) added so many
 * clients do not retry in lockstep; `reset()` after a success starts over.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly jitter = 0.1,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    this.attempt++;
    return Math.min(this.maxMs, Math.round(base * (1 + this.jitter * this.random())));
  }

  reset(): void {
    this.attempt = 0;
  }
}
