import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cloneJson } from './json-clone.js';

describe('cloneJson', () => {
  it('property: equals structuredClone on JSON values and shares nothing with the original', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const copy = cloneJson(v);
        expect(copy).toEqual(structuredClone(v));
        if (v !== null && typeof v === 'object') {
          expect(copy).not.toBe(v);
          (copy as Record<string, unknown>)['__mutated'] = true;
          expect((v as Record<string, unknown>)['__mutated']).toBeUndefined();
        }
      }),
    );
  });

  it('keeps a "__proto__" member as data, without touching the copy\'s prototype (found by the property above, seed 1568079716)', () => {
    const v = JSON.parse('{"__proto__": null, "a": {"__proto__": {"polluted": 1}}}');
    const copy = cloneJson(v);
    expect(copy).toEqual(structuredClone(v));
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
