import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { goDuration } from '../api/duration.js';
import { CrashLoopBackOff } from './backoff.js';

/** Simulate a container that crashes `runMs` after each start; return the waits between crash and restart. */
function waits(crashes: number, runMs: number): number[] {
  const b = new CrashLoopBackOff();
  const out: number[] = [];
  let now = 0;
  for (let i = 0; i < crashes; i++) {
    now += runMs; // it ran, then crashed at `now`
    const finishedAt = now;
    const start = b.releaseAt('web/app', finishedAt);
    out.push(start - finishedAt);
    b.next('web/app', finishedAt);
    now = start;
  }
  return out;
}

describe('CrashLoopBackOff (kubelet doBackOff over client-go flowcontrol)', () => {
  it('restarts the first crash at once, then waits 10, 20, 40, 80, 160, 300, 300 s (k8s-rules.md Restarts)', () => {
    expect(waits(9, 1000).map((ms) => ms / 1000)).toEqual([0, 10, 20, 40, 80, 160, 300, 300, 300]);
  });

  it('starts over once a container has run for more than 10 minutes since the last back-off', () => {
    const b = new CrashLoopBackOff();
    b.next('k', 0);
    b.next('k', 20_000);
    expect(b.get('k')).toBe(20_000);
    expect(b.isInBackOffSince('k', 20_000 + 600_001, 20_000 + 600_002)).toBe(false);
    b.next('k', 20_000 + 600_001);
    expect(b.get('k')).toBe(10_000);
  });

  it('says how long it waits the way kubectl shows it', () => {
    const b = new CrashLoopBackOff();
    for (let i = 0; i < 4; i++) b.next('k', i * 1000);
    expect(b.message('k', 'app', 'web', 'default', 'u-1')).toBe('back-off 1m20s restarting failed container=app pod=web_default(u-1)');
  });

  it('never waits longer than the cap', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 500_000 }), (n, run) => waits(n, run).every((w) => w <= 300_000)));
  });
});

describe('goDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [10_000, '10s'],
    [80_000, '1m20s'],
    [300_000, '5m0s'],
    [3_600_000, '1h0m0s'],
    [1_500, '1.5s'],
  ])('%d ms is %s', (ms, text) => expect(goDuration(ms)).toBe(text));
});
