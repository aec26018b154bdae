import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { shareCpu } from './cpu.js';

describe('CPU sharing on a node (CFS: shares from requests, quotas from limits)', () => {
  it('gives everyone what they want when it fits, capped by limits', () => {
    expect(shareCpu([{ demand: 500, request: 100 }, { demand: 800, request: 0, limit: 300 }], 2000)).toEqual([500, 300]);
  });

  it('shares an oversubscribed node by requests, and hands on what a container leaves', () => {
    expect(shareCpu([{ demand: 2000, request: 1500 }, { demand: 2000, request: 500 }], 2000)).toEqual([1500, 500]);
    // The small one wants only 200 of its 1000 share; the rest goes to the big one.
    expect(shareCpu([{ demand: 4000, request: 1000 }, { demand: 200, request: 1000 }], 2000)).toEqual([1800, 200]);
  });

  it('property: never more than wanted, limited or available; all of it used when demand exceeds it', () => {
    const claim = fc.record({ demand: fc.integer({ min: 0, max: 4000 }), request: fc.integer({ min: 0, max: 2000 }), limit: fc.option(fc.integer({ min: 1, max: 4000 }), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(claim, { minLength: 1, maxLength: 20 }), fc.integer({ min: 100, max: 16000 }), (claims, capacity) => {
        const granted = shareCpu(claims, capacity);
        const want = claims.map((c) => Math.min(c.demand, c.limit ?? Infinity));
        granted.forEach((g, i) => expect(g).toBeLessThanOrEqual(want[i]! + 1e-6));
        const total = granted.reduce((n, g) => n + g, 0);
        expect(total).toBeLessThanOrEqual(capacity + 1e-6);
        const wanted = want.reduce((n, w) => n + w, 0);
        expect(total).toBeCloseTo(Math.min(wanted, capacity), 3);
      }),
    );
  });
});
