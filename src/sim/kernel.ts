import { EventQueue, Timer } from './event-queue.js';
import { RandomStreams, type Seed } from './rng.js';
import { Trace, type TraceFields } from './trace.js';

export interface SimulationOptions {
  /** Root seed of every random stream in the run. */
  seed: Seed;
  /** Trace recorder; a hashing-only trace is created when omitted. */
  trace?: Trace;
}

export interface RunUntilOptions {
  /** Give up after this much virtual time, in ms from now. */
  timeoutMs: number;
}

export interface RunUntilIdleOptions {
  /** Refuse to run past this virtual time (guards against periodic timers). Default: unlimited. */
  maxTimeMs?: number;
  /** Refuse to run more than this many events. Default: 100 million. */
  maxEvents?: number;
}

/** Thrown when a run limit is reached before the queue drained. */
export class SimulationLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationLimitError';
  }
}

/**
 * The deterministic simulation kernel: virtual time in integer milliseconds
 * and a single-threaded event queue. Nothing runs unless the kernel runs it,
 * and idle time is skipped, never waited for.
 *
 * Callbacks run synchronously inside `run*`; the world never hands work to
 * promises, whose continuations would run outside the kernel's order.
 */
export class Simulation {
  readonly random: RandomStreams;
  readonly trace: Trace;
  private readonly queue = new EventQueue();
  private nowMs = 0;
  private nextSeq = 0;
  private running = false;
  private executed = 0;

  constructor(options: SimulationOptions) {
    this.random = new RandomStreams(options.seed);
    this.trace = options.trace ?? new Trace();
  }

  /** Current virtual time in ms (true time; hosts read their own clocks). */
  get now(): number {
    return this.nowMs;
  }

  /** Events executed so far. */
  get eventsRun(): number {
    return this.executed;
  }

  /** Timers waiting in the queue. */
  get pendingCount(): number {
    return this.queue.size;
  }

  /** The seed every stream derives from. */
  get seed(): string {
    return this.random.seed;
  }

  /** Run `fn` after `delayMs` (a non-negative integer) of virtual time. */
  schedule(delayMs: number, fn: () => void, label?: string): Timer {
    if (!Number.isInteger(delayMs) || delayMs < 0) {
      throw new RangeError(`delayMs must be a non-negative integer, got ${delayMs}`);
    }
    const timer = new Timer(this.nowMs + delayMs, this.nextSeq++, fn, label, this.queue);
    this.queue.push(timer);
    return timer;
  }

  /** Run `fn` at virtual time `atMs` (not in the past). */
  at(atMs: number, fn: () => void, label?: string): Timer {
    if (!Number.isInteger(atMs) || atMs < this.nowMs) {
      throw new RangeError(`atMs must be an integer not before now (${this.nowMs}), got ${atMs}`);
    }
    return this.schedule(atMs - this.nowMs, fn, label);
  }

  /** Record a trace event at the current virtual time. */
  record(type: string, fields?: TraceFields): void {
    this.trace.record(this.nowMs, type, fields);
  }

  /** Virtual time of the next live timer, if any. */
  nextEventAt(): number | undefined {
    return this.queue.peek()?.atMs;
  }

  /** Run the next event, if any. Returns false when the queue is empty. */
  step(): boolean {
    this.enter();
    try {
      return this.runOne();
    } finally {
      this.running = false;
    }
  }

  /**
   * Run every event due at or before `timeMs`, then set the clock to `timeMs`.
   * With a predicate instead: run until it holds (checked before the first
   * event and after each one) or `timeoutMs` of virtual time passes; returns
   * whether it held. The clock stops at the event that satisfied it.
   */
  runUntil(timeMs: number): void;
  runUntil(condition: () => boolean, options: RunUntilOptions): boolean;
  runUntil(target: number | (() => boolean), options?: RunUntilOptions): boolean | void {
    if (typeof target === 'number') return this.runToTime(target);
    if (options === undefined || !Number.isInteger(options.timeoutMs) || options.timeoutMs < 0) {
      throw new RangeError(`runUntil(condition) needs { timeoutMs } as a non-negative integer, got ${options?.timeoutMs}`);
    }
    return this.runToCondition(target, this.nowMs + options.timeoutMs);
  }

  /** Advance virtual time by `ms`, running everything due on the way. */
  advance(ms: number): void {
    if (!Number.isInteger(ms) || ms < 0) throw new RangeError(`advance(ms) needs a non-negative integer, got ${ms}`);
    this.runToTime(this.nowMs + ms);
  }

  /** Run until no timer is left. Periodic work never drains: pass limits. */
  runUntilIdle(options: RunUntilIdleOptions = {}): void {
    const maxEvents = options.maxEvents ?? 100_000_000;
    const maxTime = options.maxTimeMs ?? Number.POSITIVE_INFINITY;
    this.enter();
    try {
      const start = this.executed;
      for (;;) {
        const next = this.queue.peek();
        if (next === undefined) return;
        if (next.atMs > maxTime) {
          throw new SimulationLimitError(`runUntilIdle: still busy at the time limit ${maxTime} ms (next event at ${next.atMs} ms)`);
        }
        if (this.executed - start >= maxEvents) {
          throw new SimulationLimitError(`runUntilIdle: still busy after ${maxEvents} events at ${this.nowMs} ms`);
        }
        this.runOne();
      }
    } finally {
      this.running = false;
    }
  }

  private runToTime(timeMs: number): void {
    if (!Number.isInteger(timeMs) || timeMs < this.nowMs) {
      throw new RangeError(`runUntil(time) needs an integer not before now (${this.nowMs}), got ${timeMs}`);
    }
    this.enter();
    try {
      for (;;) {
        const next = this.queue.peek();
        if (next === undefined || next.atMs > timeMs) break;
        this.runOne();
      }
      this.nowMs = timeMs;
    } finally {
      this.running = false;
    }
  }

  private runToCondition(condition: () => boolean, deadline: number): boolean {
    this.enter();
    try {
      if (condition()) return true;
      for (;;) {
        const next = this.queue.peek();
        if (next === undefined || next.atMs > deadline) break;
        this.runOne();
        if (condition()) return true;
      }
      this.nowMs = deadline;
      return false;
    } finally {
      this.running = false;
    }
  }

  private runOne(): boolean {
    const timer = this.queue.pop();
    if (timer === undefined) return false;
    const fn = timer.fn!;
    timer.fn = null;
    this.nowMs = timer.atMs;
    this.executed++;
    if (timer.label !== undefined) this.trace.record(this.nowMs, 'timer', { label: timer.label });
    fn();
    return true;
  }

  private enter(): void {
    if (this.running) throw new Error('the simulation is already running: run*() cannot be called from inside an event');
    this.running = true;
  }
}
