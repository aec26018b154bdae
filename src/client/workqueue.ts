import type { HostContext } from '../faults/index.js';

export interface WorkQueueOptions {
  /** Per-item exponential back-off: base and cap (client-go DefaultControllerRateLimiter: 5 ms, 1000 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Overall token bucket (client-go: 10 per second, burst 100). */
  qps?: number;
  burst?: number;
}

/**
 * A rate-limited work queue with client-go's semantics: a key is queued at
 * most once, never processed by two workers at once, and re-queued if it was
 * added again while being processed. `addRateLimited` waits the larger of
 * the item's exponential back-off and the overall token bucket.
 * Processing runs on the host's clock and stops with the host.
 */
/** How often a gated queue looks again whether it may act. */
const GATE_RECHECK_MS = 500;

export class WorkQueue {
  private active: (() => boolean) | undefined;
  private gateWaiting = false;
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly waiting = new Map<string, number>();
  private workers = 0;
  private busy = 0;
  private process: ((key: string, done: () => void) => void) | undefined;
  private scheduled = false;
  private stopped = false;
  private tokens: number;
  private tokensAt: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly qps: number;
  private readonly burst: number;

  constructor(
    private readonly host: HostContext,
    options: WorkQueueOptions = {},
  ) {
    this.baseDelayMs = options.baseDelayMs ?? 5;
    this.maxDelayMs = options.maxDelayMs ?? 1_000_000;
    this.qps = options.qps ?? 10;
    this.burst = options.burst ?? 100;
    this.tokens = this.burst;
    this.tokensAt = host.clock.monotonic();
    host.onCrash(() => this.shutDown());
  }

  get length(): number {
    return this.queue.length;
  }

  add(key: string): void {
    if (this.stopped || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.schedule();
  }

  /** Add after a delay (a later, shorter delay for the same key wins). */
  addAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    if (delayMs <= 0) return this.add(key);
    const due = this.host.clock.monotonic() + delayMs;
    const already = this.waiting.get(key);
    if (already !== undefined && already <= due) return;
    this.waiting.set(key, due);
    this.host.after(delayMs, () => {
      if (this.waiting.get(key) !== due) return;
      this.waiting.delete(key);
      this.add(key);
    });
  }

  /** Add after this key's back-off, counting one more failure. */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const itemDelay = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** n);
    this.addAfter(key, Math.max(itemDelay, this.bucketDelay()));
  }

  /** The key succeeded: reset its back-off. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Process keys with this many workers; `process` must call `done` when finished (now or later). */
  run(workers: number, process: (key: string, done: () => void) => void): void {
    this.workers = workers;
    this.process = process;
    this.schedule();
  }

  /**
   * Hold every key while `active` says no (a standby replica under leader
   * election keeps its caches warm but acts only while it leads).
   */
  gate(active: () => boolean): void {
    this.active = active;
  }

  shutDown(): void {
    this.stopped = true;
    this.queue.length = 0;
  }

  private schedule(): void {
    if (this.scheduled || this.process === undefined) return;
    this.scheduled = true;
    this.host.after(0, () => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    if (this.active !== undefined && !this.active()) {
      if (this.queue.length > 0 && !this.gateWaiting) {
        this.gateWaiting = true;
        this.host.after(GATE_RECHECK_MS, () => {
          this.gateWaiting = false;
          this.schedule();
        });
      }
      return;
    }
    while (!this.stopped && this.busy < this.workers && this.queue.length > 0) {
      const key = this.queue.shift()!;
      this.dirty.delete(key);
      this.processing.add(key);
      this.busy++;
      let finished = false;
      this.process!(key, () => {
        if (finished) return;
        finished = true;
        this.busy--;
        this.processing.delete(key);
        if (this.dirty.has(key) && !this.stopped) this.queue.push(key);
        this.schedule();
      });
    }
  }

  private bucketDelay(): number {
    const now = this.host.clock.monotonic();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.tokensAt) * this.qps) / 1000);
    this.tokensAt = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.qps);
  }
}
