import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatQuantity, milliValue, parseQuantity, QUANTITY_FORMAT_ERROR } from './quantity.js';

describe('quantities', () => {
  it.each([
    ['100m', 0.1, '100m'],
    ['1', 1, '1'],
    ['1.5', 1.5, '1500m'],
    ['64Mi', 64 * 2 ** 20, '64Mi'],
    ['1Gi', 2 ** 30, '1Gi'],
    ['1024Mi', 2 ** 30, '1Gi'],
    ['250M', 250e6, '250M'],
    ['1e3', 1000, '1k'],
    ['129e6', 129e6, '129M'],
    ['0', 0, '0'],
  ])('%s is %d and prints as %s', (text, value, canonical) => {
    const q = parseQuantity(text);
    expect(q.value).toBe(value);
    expect(formatQuantity(q)).toBe(canonical);
  });

  it('rounds milli-values up, as cpu accounting does', () => {
    expect(milliValue(parseQuantity('100m'))).toBe(100);
    expect(milliValue(parseQuantity('0.0001'))).toBe(1);
    expect(milliValue(parseQuantity('2'))).toBe(2000);
  });

  it.each(['', 'abc', '1Kb', '10 Mi', '--1', '1.2.3'])('refuses %j with upstream text', (text) => {
    expect(() => parseQuantity(text)).toThrow(QUANTITY_FORMAT_ERROR);
  });

  it('reads back what it prints', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.constantFrom('m', 'Mi', 'Gi', 'k', ''), (n, suffix) => {
        const q = parseQuantity(`${n}${suffix}`);
        expect(parseQuantity(formatQuantity(q)).value).toBeCloseTo(q.value, 6);
      }),
    );
  });
});
