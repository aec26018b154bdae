import { describe, expect, it } from 'vitest';
import { toleratesTaint } from './taints.js';

describe('toleratesTaint (upstream core/v1 toleration.go ToleratesTaint)', () => {
  const taint = { key: 'node.kubernetes.io/memory-pressure', value: '', effect: 'NoSchedule' };
  it.each([
    [{ key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' }, true],
    [{ key: 'node.kubernetes.io/memory-pressure', operator: 'Exists' }, true],
    [{ operator: 'Exists' }, true],
    [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoExecute', operator: 'Exists' }, false],
    [{ key: 'node.kubernetes.io/disk-pressure', operator: 'Exists' }, false],
    [{ key: 'node.kubernetes.io/memory-pressure' }, true],
    [{ key: 'node.kubernetes.io/memory-pressure', value: 'x' }, false],
    [{ key: 'node.kubernetes.io/memory-pressure', operator: 'Bogus' }, false],
  ])('%j tolerates memory-pressure:NoSchedule → %s', (toleration, expected) => {
    expect(toleratesTaint(toleration, taint)).toBe(expected);
  });
  it('Equal compares values', () => {
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' })).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'gpu' }, { key: 'dedicated', value: 'cpu', effect: 'NoSchedule' })).toBe(false);
  });
});
