import type { Simulation, Timer } from '../sim/index.js';
import { FaultInputError } from './errors.js';

/** Drift is bounded so a clock always moves forward: rate = 1 + ppm/1e6 > 0. */
export const MAX_DRIFT_PPM = 500_000;

/**
 * One host's clock. It reads the kernel's true time through an offset and a
 * drift rate:
 *
 *   elapsed = true - anchorTrue
 *   wall    = anchorWall + elapsed + floor(elapsed * driftPpm / 1e6)
 *
 * (integer arithmetic, so an hour at +1000 ppm gains exactly 3600 ms)
 *
 * Re-anchoring on every change keeps it monotonic: only `jump` (and `skew`,
 * which is a jump to a chosen offset) may move it backwards, as an NTP step
 * or an operator's `date -s` would. `monotonic` advances at the same drifted
 * rate but ignores jumps, like CLOCK_MONOTONIC; host timers run on it.
 * Leases, probe timers and CronJob schedules read a host's clock, never the
 * kernel's, so skew and drift between hosts show up where they do in real
 * clusters.
 */
export class HostClock {
  private anchorTrue: number;
  private anchorWall: number;
  private anchorMono: number;
  private rate = 1;
  private ppm = 0;

  constructor(
    private readonly sim: Simulation,
    readonly host: string,
    offsetMs = 0,
  ) {
    this.anchorTrue = sim.now;
    this.anchorWall = sim.now + offsetMs;
    this.anchorMono = sim.now;
  }

  /** The host's wall-clock time in ms (what `time.Now()` would read there). */
  now(): number {
    return this.anchorWall + this.drifted(this.sim.now - this.anchorTrue);
  }

  /** A clock that never jumps, at the host's drifted rate (for measuring intervals). */
  monotonic(): number {
    return this.anchorMono + this.drifted(this.sim.now - this.anchorTrue);
  }

  private drifted(elapsed: number): number {
    return this.ppm === 0 ? elapsed : elapsed + Math.floor((elapsed * this.ppm) / 1e6);
  }

  /** How far the host's wall clock is ahead of true time (negative: behind). */
  get offsetMs(): number {
    return this.now() - this.sim.now;
  }

  get driftPpm(): number {
    return this.ppm;
  }

  /** Step the wall clock by `byMs` (either sign); the monotonic clock is untouched. */
  jump(byMs: number): void {
    if (!Number.isInteger(byMs)) throw new FaultInputError({ path: 'byMs', message: `must be an integer, got ${byMs}` });
    this.reanchor();
    this.anchorWall += byMs;
  }

  /** Set the wall clock to true time plus `offsetMs` (a jump to a chosen offset). */
  skew(offsetMs: number): void {
    if (!Number.isInteger(offsetMs)) throw new FaultInputError({ path: 'offsetMs', message: `must be an integer, got ${offsetMs}` });
    this.reanchor();
    this.anchorWall = this.sim.now + offsetMs;
  }

  /** From now on run fast (ppm > 0) or slow (ppm < 0); what has accumulated stays. */
  setDrift(ppm: number): void {
    if (typeof ppm !== 'number' || !Number.isFinite(ppm) || Math.abs(ppm) > MAX_DRIFT_PPM) {
      throw new FaultInputError({ path: 'ppm', message: `must be a number between -${MAX_DRIFT_PPM} and ${MAX_DRIFT_PPM}, got ${ppm}` });
    }
    this.reanchor();
    this.ppm = ppm;
    this.rate = 1 + ppm / 1e6;
  }

  /**
   * Run `fn` once `delayMs` has passed on this host's monotonic clock. The
   * rate is read when the timer is set; a drift change while it waits does
   * not re-time it (the error is at most the change in rate times the delay).
   */
  after(delayMs: number, fn: () => void, label?: string): Timer {
    if (!Number.isInteger(delayMs) || delayMs < 0) throw new RangeError(`delayMs must be a non-negative integer, got ${delayMs}`);
    return this.sim.schedule(this.trueDelay(delayMs), fn, label);
  }

  /** True-time delay that makes `delayMs` pass on this host's clock. */
  trueDelay(delayMs: number): number {
    return this.rate === 1 ? delayMs : Math.ceil(delayMs / this.rate);
  }

  private reanchor(): void {
    const wall = this.now();
    const mono = this.monotonic();
    this.anchorTrue = this.sim.now;
    this.anchorWall = wall;
    this.anchorMono = mono;
  }
}
