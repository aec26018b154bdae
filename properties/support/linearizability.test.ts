import { describe, expect, it } from 'vitest';
import { isLinearizable, type Operation } from './linearizability.js';

const op = (client: number, kind: 'read' | 'write', value: string, invokedAt: number, completedAt: number): Operation => ({ client, kind, value, invokedAt, completedAt });

describe('linearizability checker', () => {
  it('accepts overlapping operations in some valid order', () => {
    expect(isLinearizable([op(1, 'write', 'a', 0, 10), op(2, 'read', 'a', 5, 6), op(3, 'read', '0', 1, 2)], '0')).toBe(true);
  });

  it('refuses a stale read after a completed write', () => {
    expect(isLinearizable([op(1, 'write', 'a', 0, 10), op(2, 'read', '0', 11, 12)], '0')).toBe(false);
  });

  it('refuses values flipping back (read a, then read the older value)', () => {
    expect(isLinearizable([op(1, 'write', 'a', 0, 100), op(2, 'read', 'a', 10, 20), op(3, 'read', '0', 30, 40)], '0')).toBe(false);
  });

  it('lets an operation of unknown outcome take effect late, or never', () => {
    expect(isLinearizable([op(1, 'write', 'a', 0, Infinity), op(2, 'read', '0', 5, 6), op(3, 'read', 'a', 100, 101)], '0')).toBe(true);
    expect(isLinearizable([op(1, 'write', 'a', 0, Infinity), op(2, 'read', '0', 5, 6), op(3, 'read', '0', 100, 101)], '0')).toBe(true);
    expect(isLinearizable([op(1, 'write', 'a', 10, Infinity), op(2, 'read', 'a', 0, 5)], '0')).toBe(false);
  });
});
