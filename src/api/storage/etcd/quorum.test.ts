import { describe, expect, it } from 'vitest';
import { committableIndex, leaseHolds } from './quorum.js';

const peers = ['a', 'b', 'c'];

describe('Raft majority rules', () => {
  it('holds the lease with a majority heard from within the election timeout', () => {
    expect(leaseHolds(peers, 'a', new Map([['b', 950]]), 1000, 1000)).toBe(true);
    expect(leaseHolds(peers, 'a', new Map([['b', 0], ['c', -5]]), 1000, 1000)).toBe(false);
    expect(leaseHolds(['a', 'b', 'c', 'd', 'e'], 'a', new Map([['b', 999]]), 1000, 1000)).toBe(false);
  });

  it('commits what a majority stores, only from the current term', () => {
    const terms = [1, 1, 2, 2]; // entries 1..4
    const termAt = (i: number) => terms[i - 1] ?? 0;
    expect(committableIndex(peers, 'a', new Map([['b', 4]]), 4, 4, 0, termAt, 2)).toBe(4);
    expect(committableIndex(peers, 'a', new Map([['b', 2]]), 4, 4, 0, termAt, 2)).toBe(0); // index 2 is from term 1
    expect(committableIndex(peers, 'a', new Map([['b', 3], ['c', 3]]), 0, 4, 0, termAt, 2)).toBe(3); // the leader's own copy not yet durable
  });
});
