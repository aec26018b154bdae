import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { rfc3339 } from '../../api/server/time.js';
import { plainReplicas, resourceReplicas, type PodMetric } from './replica-calculator.js';

const NOW = 1_800_000_000_000;
const MIN = 60_000;

/** A Running pod requesting `request` CPU; Ready since `readySince` ms before now, started `startedAgo` ms before now. */
function pod(name: string, options: { request?: string; ready?: boolean; startedAgo?: number; readySince?: number; phase?: string } = {}): Pod {
  const startedAgo = options.startedAgo ?? 10 * MIN;
  return {
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'x', ...(options.request !== undefined ? { resources: { requests: { cpu: options.request } } } : {}) }] },
    status: {
      phase: options.phase ?? 'Running',
      startTime: rfc3339(NOW - startedAgo),
      conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True', lastTransitionTime: rfc3339(NOW - (options.readySince ?? startedAgo - 5_000)) }],
    },
  };
}
const metrics = (values: Record<string, number>) => new Map<string, PodMetric>(Object.entries(values).map(([k, v]) => [k, { value: v, timestampMs: NOW - 5_000, windowMs: 15_000 }]));

describe('HPA replica calculator (upstream pkg/controller/podautoscaler/replica_calculator.go)', () => {
  it.each([
    // [case, current, target %, pods, metrics (millicores), expected replicas, expected utilization]
    ['all ready, scale up: ceil(ratio × ready)', 3, 50, ['a', 'b', 'c'], { a: 900, b: 1000, c: 1100 }, 6, 100],
    ['within the 10 % tolerance: no change', 3, 50, ['a', 'b', 'c'], { a: 520, b: 520, c: 520 }, 3, 52],
    ['all ready, scale down', 4, 50, ['a', 'b', 'c', 'd'], { a: 100, b: 100, c: 100, d: 100 }, 1, 10],
  ] as const)('%s', (_name, current, target, names, values, replicas, utilization) => {
    const pods = names.map((n) => pod(n, { request: '1' }));
    const r = resourceReplicas(current, target, 'cpu', pods, metrics(values), NOW);
    expect(r.replicas).toBe(replicas);
    expect(r.utilization).toBe(utilization);
  });

  it('a pod without metrics counts as 100 % of its request on a scale-down, which damps it', () => {
    const pods = ['a', 'b', 'c'].map((n) => pod(n, { request: '1' }));
    expect(resourceReplicas(3, 50, 'cpu', pods, metrics({ a: 100, b: 100 }), NOW).replicas).toBe(3);
    // (0 + 0 + 1000) / 3000 = 33 % → ratio 0.66 → ceil(0.66 × 3) = 2.
    expect(resourceReplicas(3, 50, 'cpu', pods, metrics({ a: 0, b: 0 }), NOW).replicas).toBe(2);
  });

  it('a pod without metrics counts as 0 % on a scale-up; an unready pod too', () => {
    const pods = [pod('a', { request: '1' }), pod('b', { request: '1' }), pod('c', { request: '1', ready: false, startedAgo: MIN, readySince: MIN })];
    // Ready pods at 100 % of a 50 % target; c unready → (1000 + 1000 + 0) / 3000 = 66 % → 1.32 × 3 → 4.
    expect(resourceReplicas(3, 50, 'cpu', pods, metrics({ a: 1000, b: 1000, c: 2000 }), NOW).replicas).toBe(4);
    expect(resourceReplicas(3, 50, 'cpu', pods, metrics({ a: 1000, b: 1000 }), NOW).replicas).toBe(4);
  });

  it('within the CPU initialization period a pod counts only once a full window has passed since it became Ready', () => {
    const fresh = [pod('a', { request: '1' }), pod('b', { request: '1', startedAgo: MIN, readySince: 10_000 })];
    // b's sample (timestamp now-5 s, window 15 s) began before it was Ready: unready, so a alone decides (with b at 0 %).
    expect(resourceReplicas(2, 50, 'cpu', fresh, metrics({ a: 1000, b: 1000 }), NOW).replicas).toBe(2);
    const settled = [pod('a', { request: '1' }), pod('b', { request: '1', startedAgo: MIN, readySince: 40_000 })];
    expect(resourceReplicas(2, 50, 'cpu', settled, metrics({ a: 1000, b: 1000 }), NOW).replicas).toBe(4);
  });

  it('deleted, failed and pending pods are left out', () => {
    const deleted = { ...pod('d', { request: '1' }), metadata: { name: 'd', deletionTimestamp: rfc3339(NOW) } };
    const pods = [pod('a', { request: '1' }), deleted, pod('f', { request: '1', phase: 'Failed' })];
    expect(resourceReplicas(1, 50, 'cpu', pods, metrics({ a: 1000, d: 0, f: 0 }), NOW).replicas).toBe(2);
  });

  it.each([
    ['a container without a request', [pod('a')], { a: 100 }, 'missing request for cpu in container app of Pod a'],
    ['no metrics for any counted pod', [pod('a', { request: '1', phase: 'Pending' })], { a: 100 }, 'did not receive metrics for targeted pods (pods might be unready)'],
    ['no pods', [], {}, 'no pods returned by selector while calculating replica count'],
  ] as const)('errors with upstream text: %s', (_name, pods, values, message) => {
    expect(() => resourceReplicas(1, 50, 'cpu', pods as unknown as Pod[], metrics(values), NOW)).toThrow(message);
  });

  it('an average-value target: ceil(average / target × ready pods)', () => {
    const pods = ['a', 'b'].map((n) => pod(n, { request: '1' }));
    const r = plainReplicas(2, 200, 'cpu', pods, metrics({ a: 500, b: 300 }), NOW);
    expect(r).toMatchObject({ replicas: 4, rawUtilization: 400 });
  });
});
