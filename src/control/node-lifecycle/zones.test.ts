import { describe, expect, it } from 'vitest';
import { computeZoneState, RateLimitedQueue, TokenBucket, zoneEvictionQps } from './zones.js';

const ready = (n: number, notReady: number) => [...Array(n).fill({ type: 'Ready', status: 'True' }), ...Array(notReady).fill({ type: 'Ready', status: 'Unknown' })];

describe('zone states (upstream node_lifecycle_controller.go ComputeZoneState, setLimiterInZone)', () => {
  it.each([
    [3, 0, 'Normal'],
    [1, 2, 'Normal'], // two not-ready nodes never make a partial disruption
    [2, 3, 'PartialDisruption'], // 3/5 = 60 % ≥ 55 %
    [3, 3, 'Normal'], // 50 %
    [0, 3, 'FullDisruption'],
    [0, 1, 'FullDisruption'],
  ])('%i ready, %i not ready → %s', (r, n, state) => {
    expect(computeZoneState(ready(r, n))).toBe(state);
  });

  it('a partially disrupted small zone stops tainting; a large one slows to 0.01 nodes/s', () => {
    expect(zoneEvictionQps('Normal', 3)).toBe(0.1);
    expect(zoneEvictionQps('PartialDisruption', 50)).toBe(0);
    expect(zoneEvictionQps('PartialDisruption', 51)).toBe(0.01);
    expect(zoneEvictionQps('FullDisruption', 10)).toBe(0.1);
  });

  it('taints one node at once, then one every 10 s at 0.1 qps with burst 1', () => {
    const q = new RateLimitedQueue(new TokenBucket(0.1, 0));
    for (const n of ['a', 'b', 'c']) q.add(n);
    const done: Array<[string, number]> = [];
    for (let t = 0; t <= 25_000; t += 100) q.try(t, (name) => (done.push([name, t]), true));
    expect(done).toEqual([['a', 0], ['b', 10_000], ['c', 20_000]]);
  });
});
