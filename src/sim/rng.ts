import seedrandom from 'seedrandom';

/** A seed as users write it: a number or any string. */
export type Seed = string | number;

/**
 * One seeded stream of random numbers (seedrandom's Alea generator: fast,
 * small state, good statistics). Every component draws from its own stream,
 * named by a stable string such as `kubelet/node-2/prober`.
 */
export class Rng {
  private readonly prng: () => number;

  constructor(
    /** The stable name of this stream. */
    readonly name: string,
    seed: string,
  ) {
    this.prng = seedrandom.alea(seed);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.prng();
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`rng ${this.name}: int(min, max) needs integers with min <= max, got ${min}, ${max}`);
    }
    return min + Math.floor(this.prng() * (max - min + 1));
  }

  /** True with probability p (p outside [0,1] is clamped). Draws nothing when p is 0 or 1. */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.prng() < p;
  }

  /** A float in [min, max). */
  uniform(min: number, max: number): number {
    return min + this.prng() * (max - min);
  }

  /** An exponentially distributed float with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.prng());
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError(`rng ${this.name}: pick from an empty list`);
    return items[Math.floor(this.prng() * items.length)]!;
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.prng() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

/**
 * The root of a run's randomness. A stream's seed is derived from the root
 * seed and the stream's name only, so adding a component (a new name) never
 * changes the numbers another component draws: shrinking and replays stay
 * stable as the system grows. (TigerBeetle's VOPR derives its swarm from one
 * seed the same way.)
 */
export class RandomStreams {
  private readonly streams = new Map<string, Rng>();
  /** The root seed, normalised to a string. */
  readonly seed: string;

  constructor(seed: Seed) {
    this.seed = normaliseSeed(seed);
  }

  /** The stream with this name; the same name always returns the same stream. */
  stream(name: string): Rng {
    let rng = this.streams.get(name);
    if (rng === undefined) {
      rng = new Rng(name, `${this.seed}/${name}`);
      this.streams.set(name, rng);
    }
    return rng;
  }

  /** Names of the streams drawn so far, sorted (for the run header). */
  names(): string[] {
    return [...this.streams.keys()].sort();
  }
}

/** Seeds are compared and printed as strings; numbers must be safe integers. */
export function normaliseSeed(seed: Seed): string {
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer or a string, got ${seed}`);
    return String(seed);
  }
  if (seed.length === 0) throw new RangeError('seed must not be empty');
  return seed;
}
