import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { memoryEvictionMessage, rankForMemoryPressure, type PodMemoryView } from './rank.js';

const Mi = 2 ** 20;
const pod = (name: string, requestMi: number, usageMi: number, priority = 0): PodMemoryView => ({ name, namespace: 'default', priority, containers: [{ name: 'app', requestBytes: requestMi * Mi, usageBytes: usageMi * Mi }] });

describe('memory-pressure eviction ranking (upstream rankMemoryPressure)', () => {
  it('evicts pods above their requests first, then by priority, then by usage above request', () => {
    const ranked = rankForMemoryPressure([
      pod('guaranteed', 512, 500),
      pod('burstable-over', 100, 400),
      pod('besteffort', 0, 200),
      pod('besteffort-important', 0, 900, 1000),
      pod('burstable-under', 300, 100),
    ]);
    // Under their requests, the one closest to (or past) its request goes first: -12 Mi before -200 Mi.
    expect(ranked.map((p) => p.name)).toEqual(['burstable-over', 'besteffort', 'besteffort-important', 'guaranteed', 'burstable-under']);
  });

  it('never ranks a Guaranteed pod before a BestEffort pod that uses memory (property, k8s-rules.md)', () => {
    const kind = fc.oneof(
      // Guaranteed: request = limit, and the kernel keeps usage under the limit (OOM kill beyond it).
      fc.record({ qos: fc.constant('Guaranteed'), request: fc.integer({ min: 1, max: 4096 }), fill: fc.double({ min: 0, max: 1, noNaN: true }) }).map((g) => ({ qos: g.qos, requestMi: g.request, usageMi: Math.floor(g.request * g.fill) })),
      fc.record({ qos: fc.constant('BestEffort'), usage: fc.integer({ min: 0, max: 4096 }) }).map((b) => ({ qos: b.qos, requestMi: 0, usageMi: b.usage })),
      fc.record({ qos: fc.constant('Burstable'), request: fc.integer({ min: 1, max: 4096 }), usage: fc.integer({ min: 0, max: 8192 }) }).map((b) => ({ qos: b.qos, requestMi: b.request, usageMi: b.usage })),
    );
    fc.assert(
      fc.property(fc.array(kind, { minLength: 1, maxLength: 30, size: 'medium' }), (specs) => {
        // Equal priorities, as for pods without a priority class (a higher-priority BestEffort pod may legitimately outrank).
        const pods = specs.map((s, i) => ({ ...pod(`p${i}`, s.requestMi, s.usageMi), qos: s.qos }));
        const ranked = rankForMemoryPressure(pods);
        const firstGuaranteed = ranked.findIndex((p) => p.qos === 'Guaranteed');
        const lastUsingBestEffort = ranked.map((p) => p.qos === 'BestEffort' && p.containers[0]!.usageBytes > 0).lastIndexOf(true);
        if (firstGuaranteed >= 0 && lastUsingBestEffort >= 0) expect(firstGuaranteed).toBeGreaterThan(lastUsingBestEffort);
      }),
    );
  });

  it('words the evicted pod\'s message as the kubelet does', () => {
    expect(memoryEvictionMessage(pod('hog', 0, 500), 100 * Mi, 90 * Mi)).toBe(
      'The node was low on resource: memory. Threshold quantity: 100Mi, available: 90Mi. Container app was using 500Mi, request is 0, has larger consumption of memory. ',
    );
    expect(memoryEvictionMessage(pod('quiet', 512, 100), 100 * Mi, 90 * Mi)).toBe('The node was low on resource: memory. Threshold quantity: 100Mi, available: 90Mi. ');
  });
});
