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
});
