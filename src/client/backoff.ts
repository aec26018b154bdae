import type { Rng } from '../sim/index.js';

/**
 * client-go's reflector back-off (wait.NewExponentialBackoffManager with
 * 800 ms initial, 30 s cap, reset after 2 min without failure, factor 2,
 * jitter 1.0): each failure doubles the wait, plus up to 100 % jitter.
 */
export class Backoff {
  private current: number;
  private lastFailureAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly rng: Rng,
    private readonly initialMs = 800,
    private readonly capMs = 30_000,
    private readonly resetAfterMs = 120_000,
  ) {
    this.current = initialMs;
  }

  /** The wait before the next attempt, at time `nowMs`. */
  next(nowMs: number): number {
    if (nowMs - this.lastFailureAt > this.resetAfterMs) this.current = this.initialMs;
    this.lastFailureAt = nowMs;
    const base = this.current;
    this.current = Math.min(this.capMs, this.current * 2);
    return Math.round(base + this.rng.next() * base);
  }
}
