import type { Clock, TimerHandle } from "../clock.js";
import { TokenBucketLimiter } from "../queue/rate-limiter.js";

export interface SendQueueOptions {
  clock: Clock;
  /** Sends started per second at most, after the first `burst` (a token bucket). */
  qps: number;
  burst: number;
  /** Sends waiting at most; an offer beyond this is refused (the caller drops it). */
  maxQueued: number;
  /** Sends in flight at most. */
  concurrency: number;
}

interface Waiting {
  send: () => Promise<void>;
  settle: () => void;
}

/**
 * A bounded, rate-limited FIFO of best-effort sends (the Event recorder's writes to the API
 * server): at most `concurrency` run at once, they start at most `qps` per second after a burst,
 * and at most `maxQueued` wait. `offer` refuses a send when the queue is full instead of letting
 * it pile up: like client-go's event broadcaster (1,000 queued, then dropped) and kubelet's
 * event-qps, so a burst of Events cannot compete with the work it reports on.
 */
export class SendQueue {
  private readonly waiting: Waiting[] = [];
  private readonly limiter: TokenBucketLimiter;
  private running = 0;
  /** A token is reserved for the head of the queue and this timer starts it when it exists. */
  private tokenTimer: TimerHandle | undefined;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(private readonly options: SendQueueOptions) {
    this.limiter = new TokenBucketLimiter(options.clock, options.qps, options.burst);
  }

  /** Sends waiting (not counting those in flight). */
  get queued(): number {
    return this.waiting.length;
  }

  /** Whether an offer now would be refused. */
  get full(): boolean {
    return this.waiting.length >= this.options.maxQueued;
  }

  /**
   * Queues `send` (which must not reject); the promise settles once it ran, or was discarded by
   * `discardQueued`. Returns undefined, and never runs `send`, when the queue is full.
   */
  offer(send: () => Promise<void>): Promise<void> | undefined {
    if (this.full) return undefined;
    const done = new Promise<void>((settle) => this.waiting.push({ send, settle }));
    this.pump();
    return done;
  }

  /** Discards every waiting send (their promises settle); returns how many. */
  discardQueued(): number {
    this.tokenTimer?.cancel();
    this.tokenTimer = undefined;
    const discarded = this.waiting.splice(0);
    for (const item of discarded) item.settle();
    this.notifyIdle();
    return discarded.length;
  }

  /** Resolves once nothing is waiting or in flight. */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (
      this.tokenTimer === undefined &&
      this.running < this.options.concurrency &&
      this.waiting.length > 0
    ) {
      const delay = this.limiter.when("");
      if (delay > 0) {
        this.tokenTimer = this.options.clock.setTimer(() => {
          this.tokenTimer = undefined;
          this.start();
          this.pump();
        }, delay);
        return;
      }
      this.start();
    }
  }

  private start(): void {
    const item = this.waiting.shift();
    if (!item) return;
    this.running += 1;
    void item
      .send()
      .catch(() => undefined)
      .then(() => {
        this.running -= 1;
        item.settle();
        this.pump();
        this.notifyIdle();
      });
  }

  private notifyIdle(): void {
    if (this.running > 0 || this.waiting.length > 0) return;
    this.idleWaiters.splice(0).forEach((wake) => wake());
  }
}
