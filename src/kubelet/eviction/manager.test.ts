import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EvictionManager, PRESSURE_TRANSITION_MS, type EvictionCandidate } from './manager.js';

const Mi = 1024 * 1024;
type Qos = 'Guaranteed' | 'Burstable' | 'BestEffort';

interface SimPod {
  name: string;
  qos: Qos;
  priority: number;
  requestMi: number;
  limitMi: number;
  /** Usage at tick t: base + growth × t (a Guaranteed or limited pod never passes its limit: the OOM killer would end it first). */
  baseMi: number;
  growthMi: number;
}

function usageMi(p: SimPod, t: number): number {
  const u = p.baseMi + p.growthMi * t;
  return p.limitMi > 0 ? Math.min(u, p.limitMi) : u;
}

function harness(pods: SimPod[], capacityMi: number) {
  let now = 0;
  let tick = 0;
  const live = new Map(pods.map((p) => [p.name, p]));
  const history: Array<{ victim: SimPod; remaining: SimPod[]; at: number }> = [];
  const nodeEvents: string[] = [];
  const pressure: boolean[] = [];
  const manager = new EvictionManager({
    after: () => {},
    monotonic: () => now,
    capacityBytes: capacityMi * Mi,
    pods: (): EvictionCandidate[] =>
      [...live.values()].map((p) => ({
        name: p.name,
        namespace: 'default',
        priority: p.priority,
        containers: [{ name: 'app', requestBytes: p.requestMi * Mi, usageBytes: usageMi(p, tick) * Mi }],
        evict: () => {
          live.delete(p.name);
          history.push({ victim: p, remaining: [...live.values()], at: tick });
        },
      })),
    pressureChanged: (p) => pressure.push(p),
    recordNode: (type, reason, message) => nodeEvents.push(`${type} ${reason} ${message}`),
  });
  return {
    manager,
    history,
    nodeEvents,
    pressure,
    live,
    step: () => {
      manager.synchronize();
      tick++;
      now += 10_000;
    },
  };
}

const podArb = fc.record({
  qos: fc.constantFrom<Qos>('Guaranteed', 'Burstable', 'BestEffort'),
  priority: fc.integer({ min: 0, max: 3 }).map((p) => p * 1000),
  sizeMi: fc.integer({ min: 8, max: 512 }),
  baseMi: fc.integer({ min: 0, max: 512 }),
  growthMi: fc.integer({ min: 0, max: 32 }),
});

describe('eviction manager (upstream eviction_manager.go synchronize; k8s-rules.md Node-pressure eviction)', () => {
  it('property: a Guaranteed pod is never evicted for memory while a BestEffort pod using memory remains', () => {
    fc.assert(
      fc.property(fc.array(podArb, { minLength: 1, maxLength: 25 }), fc.integer({ min: 256, max: 4096 }), (specs, capacityMi) => {
        const pods: SimPod[] = specs.map((s, i) => {
          if (s.qos === 'BestEffort') return { name: `p${i}`, qos: s.qos, priority: s.priority, requestMi: 0, limitMi: 0, baseMi: s.baseMi, growthMi: s.growthMi };
          if (s.qos === 'Guaranteed') return { name: `p${i}`, qos: s.qos, priority: s.priority, requestMi: s.sizeMi, limitMi: s.sizeMi, baseMi: Math.min(s.baseMi, s.sizeMi), growthMi: s.growthMi };
          return { name: `p${i}`, qos: s.qos, priority: s.priority, requestMi: Math.ceil(s.sizeMi / 2), limitMi: 0, baseMi: s.baseMi, growthMi: s.growthMi };
        });
        const h = harness(pods, capacityMi);
        for (let i = 0; i < 40; i++) h.step();
        for (const { victim, remaining, at } of h.history) {
          if (victim.qos !== 'Guaranteed') continue;
          const bestEffortUsing = remaining.filter((p) => p.qos === 'BestEffort' && usageMi(p, at) > 0);
          expect(bestEffortUsing).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('evicts one pod per interval, reports pressure, and clears it only after the transition period', () => {
    const pods: SimPod[] = [
      { name: 'guaranteed', qos: 'Guaranteed', priority: 0, requestMi: 200, limitMi: 200, baseMi: 200, growthMi: 0 },
      { name: 'burstable', qos: 'Burstable', priority: 0, requestMi: 100, limitMi: 0, baseMi: 400, growthMi: 0 },
      { name: 'besteffort', qos: 'BestEffort', priority: 0, requestMi: 0, limitMi: 0, baseMi: 250, growthMi: 0 },
    ];
    const h = harness(pods, 940);
    h.step();
    expect(h.history.map((e) => e.victim.name)).toEqual(['burstable']);
    expect(h.manager.evicted[0]!.message).toBe(
      'The node was low on resource: memory. Threshold quantity: 100Mi, available: 90Mi. Container app was using 400Mi, request is 100Mi, has larger consumption of memory. ',
    );
    expect(h.nodeEvents).toEqual(['Warning EvictionThresholdMet Attempting to reclaim memory']);
    h.step();
    expect(h.history).toHaveLength(1);
    expect(h.pressure).toEqual([true]);
    for (let t = 0; t < PRESSURE_TRANSITION_MS / 10_000; t++) h.step();
    expect(h.pressure).toEqual([true, false]);
  });
});

describe('eviction manager: nodefs.available', () => {
  const disk = (usedMi: number, reclaimableMi: number) => {
    let used = usedMi;
    const evicted: string[] = [];
    const pressure: boolean[] = [];
    const m = new EvictionManager({
      after: () => {},
      monotonic: () => 0,
      capacityBytes: 8 * 1024 * Mi,
      pods: () => [],
      pressureChanged: () => {},
      recordNode: () => {},
      disk: {
        capacityBytes: 100 * Mi,
        usedBytes: () => used * Mi,
        pods: () => [{ name: 'big', namespace: 'default', priority: 0, containers: [{ name: 'app', requestBytes: 0, usageBytes: 50 * Mi }], evict: () => evicted.push('big') }],
        reclaimImages: () => {
          used -= reclaimableMi;
          const freed = reclaimableMi * Mi;
          reclaimableMi = 0;
          return freed;
        },
        pressureChanged: (p) => pressure.push(p),
      },
    });
    return { m, evicted, pressure };
  };

  it('reclaims unused images first; evicts only when that is not enough', () => {
    const enough = disk(95, 20);
    enough.m.synchronize();
    expect(enough.evicted).toEqual([]);
    expect(enough.pressure).toEqual([true]);
    const short = disk(95, 2);
    short.m.synchronize();
    expect(short.evicted).toEqual(['big']);
    expect(short.m.evicted[0]!.message).toBe('The node was low on resource: ephemeral-storage. Threshold quantity: 10Mi, available: 7Mi. Container app was using 50Mi, request is 0, has larger consumption of ephemeral-storage. ');
  });
});
