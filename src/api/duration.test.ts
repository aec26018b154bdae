import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { goDuration, parseGoDuration } from './duration.js';

describe('Go durations (time.Duration String and time.ParseDuration)', () => {
  it.each([
    ['1s', 1000],
    ['1.5s', 1500],
    ['300ms', 300],
    ['1h30m', 5_400_000],
    ['2m0.5s', 120_500],
    ['-1s', -1000],
    ['0', 0],
  ])('%s is %d ms', (text, ms) => expect(parseGoDuration(text)).toBe(ms));

  it.each(['', '1', 's', '1d', '1 s'])('%j does not parse', (text) => expect(parseGoDuration(text)).toBeUndefined());

  it('parses what goDuration prints', () => {
    fc.assert(fc.property(fc.integer({ min: -1e10, max: 1e10 }), (ms) => {
      expect(parseGoDuration(goDuration(ms))).toBeCloseTo(ms, 6);
    }));
  });
});
