import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RandomStreams, normaliseSeed } from './rng.js';

describe('RandomStreams', () => {
  it('gives the same numbers for the same seed and stream name', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), (seed, name) => {
        const a = new RandomStreams(seed).stream(name);
        const b = new RandomStreams(seed).stream(name);
        expect(Array.from({ length: 20 }, () => a.next())).toEqual(Array.from({ length: 20 }, () => b.next()));
      }),
    );
  });

  it('a new stream never changes the draws of an existing one', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.string(), { maxLength: 5 }), (seed, others) => {
        const alone = new RandomStreams(seed).stream('kubelet/node-2/prober');
        const crowded = new RandomStreams(seed);
        const interleaved = crowded.stream('kubelet/node-2/prober');
        const expected: number[] = [];
        const got: number[] = [];
        for (let i = 0; i < 10; i++) {
          expected.push(alone.next());
          for (const o of others) crowded.stream(`other/${o}`).next();
          got.push(interleaved.next());
        }
        expect(got).toEqual(expected);
      }),
    );
  });

  it('different seeds and names give different streams', () => {
    const s = new RandomStreams('a');
    expect(s.stream('x').next()).not.toBe(s.stream('y').next());
    expect(new RandomStreams('a').stream('x').next()).not.toBe(new RandomStreams('b').stream('x').next());
  });

  it('int stays inside its bounds and reaches both ends', () => {
    const rng = new RandomStreams(7).stream('ints');
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const v = rng.int(3, 6);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(6);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('chance(0) and chance(1) draw nothing, so adding a zero-rate fault shifts no numbers', () => {
    const a = new RandomStreams(1).stream('net');
    const b = new RandomStreams(1).stream('net');
    a.chance(0);
    a.chance(1);
    expect(a.next()).toBe(b.next());
  });

  it('rejects unusable seeds', () => {
    expect(() => normaliseSeed(1.5)).toThrow('seed must be a safe integer or a string, got 1.5');
    expect(() => normaliseSeed('')).toThrow('seed must not be empty');
    expect(normaliseSeed(42)).toBe('42');
  });
});
