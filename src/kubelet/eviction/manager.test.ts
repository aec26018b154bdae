import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocatable } from '../node-status.js';
import { EvictionManager, PRESSURE_TRANSITION_MS, type EvictionCandidate, type Observation } from './manager.js';
import type { PodUsageView } from './rank.js';
import { EvictionConfigError, parseEvictionConfig, type EvictionConfig, type Signal } from './thresholds.js';

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
    observe: (signal) => (signal === 'memory.available' ? { capacity: capacityMi * Mi, available: (capacityMi - [...live.values()].reduce((n, p) => n + usageMi(p, tick), 0)) * Mi } : undefined),
    pods: (): EvictionCandidate[] =>
      [...live.values()].map((p) => ({
        name: p.name,
        namespace: 'default',
        priority: p.priority,
        usage: () => ({ name: p.name, namespace: 'default', priority: p.priority, containers: [{ name: 'app', requestBytes: p.requestMi * Mi, usageBytes: usageMi(p, tick) * Mi }] }),
        evict: () => {
          live.delete(p.name);
          history.push({ victim: p, remaining: [...live.values()], at: tick });
        },
      })),
    conditionChanged: (_c, p) => pressure.push(p),
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

/** A node whose signals are plain numbers the test sets, with pods that say their use of each resource. */
function node(config: EvictionConfig, signals: Partial<Record<Signal, Observation>>, pods: Array<Partial<PodUsageView> & { name: string; grace?: number }>) {
  let now = 0;
  const evicted: Array<{ name: string; grace: number }> = [];
  const conditions: string[] = [];
  const events: string[] = [];
  let reclaim = () => {};
  const m = new EvictionManager({
    after: () => {},
    monotonic: () => now,
    config: parseEvictionConfig(config),
    observe: (s) => signals[s],
    pods: () =>
      pods
        .filter((p) => !evicted.some((e) => e.name === p.name))
        .map((p) => ({
          name: p.name,
          namespace: 'default',
          priority: p.priority ?? 0,
          ...(p.grace !== undefined && { terminationGracePeriodSeconds: p.grace }),
          usage: () => ({ namespace: 'default', priority: 0, containers: [], ...p }),
          evict: (_m, grace) => evicted.push({ name: p.name, grace }),
        })),
    reclaimDisk: () => reclaim(),
    conditionChanged: (c, on) => conditions.push(`${c}=${on}`),
    recordNode: (type, reason, message) => events.push(`${type} ${reason} ${message}`),
  });
  return {
    m,
    evicted,
    conditions,
    events,
    onReclaim: (fn: () => void) => (reclaim = fn),
    at: (ms: number) => {
      now = ms;
      return m.synchronize();
    },
  };
}

const Gi = 1024 * Mi;

describe('eviction manager: every signal (upstream eviction_manager.go, helpers.go)', () => {
  it('imagefs.available<15% fires first on a single-filesystem node, after image GC fails to free enough', () => {
    const signals: Partial<Record<Signal, Observation>> = { 'imagefs.available': { capacity: 100 * Gi, available: 12 * Gi }, 'nodefs.available': { capacity: 100 * Gi, available: 12 * Gi } };
    const n = node({}, signals, [{ name: 'writer', containers: [{ name: 'app', requestBytes: 0, usageBytes: 30 * Gi }] }, { name: 'quiet', containers: [{ name: 'app', requestBytes: 0, usageBytes: 1 * Gi }] }]);
    n.onReclaim(() => (signals['imagefs.available'] = { capacity: 100 * Gi, available: 13 * Gi }));
    n.at(0);
    expect(n.conditions).toEqual(['DiskPressure=true']);
    expect(n.events).toEqual(['Warning EvictionThresholdMet Attempting to reclaim ephemeral-storage']);
    expect(n.evicted).toEqual([{ name: 'writer', grace: 0 }]);
    // 15 % of 100Gi as Go computes it: float32(15)/100 × capacity, truncated, printed BinarySI; available is the observation before reclaim.
    expect(n.m.evicted[0]!.message).toBe('The node was low on resource: ephemeral-storage. Threshold quantity: 16106128000, available: 12Gi. Container app was using 30Gi, request is 0, has larger consumption of ephemeral-storage. ');
  });

  it('image garbage collection that clears every threshold evicts nobody', () => {
    const signals = { 'imagefs.available': { capacity: 100 * Gi, available: 12 * Gi } };
    const n = node({}, signals, [{ name: 'writer', containers: [{ name: 'app', requestBytes: 0, usageBytes: 30 * Gi }] }]);
    n.onReclaim(() => (signals['imagefs.available'].available = 40 * Gi));
    n.at(0);
    expect(n.evicted).toEqual([]);
    expect(n.conditions).toEqual(['DiskPressure=true']);
  });

  it('nodefs.inodesFree<5%: ranks by inodes, prints a percentage threshold as BinarySI and what is available as DecimalSI, and names no container', () => {
    const n = node({}, { 'nodefs.inodesFree': { capacity: 1_000_000, available: 30_000 } }, [
      { name: 'few-files', containers: [{ name: 'app', requestBytes: 0, usageBytes: 10 }] },
      { name: 'many-files', containers: [{ name: 'app', requestBytes: 0, usageBytes: 10 }], volumesUsage: 900_000 },
    ]);
    n.at(0);
    expect(n.evicted.map((e) => e.name)).toEqual(['many-files']);
    expect(n.m.evicted[0]!.message).toBe('The node was low on resource: inodes. Threshold quantity: 50000, available: 30k. ');
  });

  it('pid.available: lower priority first, then the pod with most processes; PIDPressure reported', () => {
    const n = node({ hard: { 'pid.available': '1000' } }, { 'pid.available': { capacity: 32768, available: 200 } }, [
      { name: 'important-forker', priority: 100, processes: 30000 },
      { name: 'small', processes: 10 },
      { name: 'forker', processes: 2000 },
    ]);
    n.at(0);
    expect(n.conditions).toEqual(['PIDPressure=true']);
    expect(n.evicted.map((e) => e.name)).toEqual(['forker']);
    expect(n.m.evicted[0]!.message).toBe('The node was low on resource: pids. Threshold quantity: 1k, available: 200. ');
  });

  it('memory is reclaimed before any other resource', () => {
    const n = node({}, { 'imagefs.available': { capacity: 100 * Gi, available: 1 * Gi }, 'memory.available': { capacity: 4 * Gi, available: 50 * Mi } }, [{ name: 'hog', containers: [{ name: 'app', requestBytes: 0, usageBytes: 3 * Gi }] }]);
    n.at(0);
    expect(n.events).toEqual(['Warning EvictionThresholdMet Attempting to reclaim memory']);
    expect(n.conditions).toEqual(['MemoryPressure=true', 'DiskPressure=true']);
  });

  it('a soft threshold reports pressure at once but evicts only after its grace period, with min(evictionMaxPodGracePeriod, the pod\'s grace)', () => {
    const config = { hard: { 'memory.available': '100Mi' }, soft: { 'memory.available': '500Mi' }, softGracePeriod: { 'memory.available': '1m30s' }, maxPodGracePeriodSeconds: 20 };
    const n = node(config, { 'memory.available': { capacity: 4 * Gi, available: 300 * Mi } }, [{ name: 'hog', grace: 60, containers: [{ name: 'app', requestBytes: 0, usageBytes: 3 * Gi }] }]);
    for (let t = 0; t < 90_000; t += 10_000) n.at(t);
    expect(n.conditions).toEqual(['MemoryPressure=true']);
    expect(n.evicted).toEqual([]);
    n.at(90_000);
    expect(n.evicted).toEqual([{ name: 'hog', grace: 20 }]);
    expect(n.m.evicted[0]!.message).toContain('Threshold quantity: 500Mi, available: 300Mi.');
  });

  it('a soft threshold that recovers within its grace period starts its clock again', () => {
    const signals = { 'memory.available': { capacity: 4 * Gi, available: 300 * Mi } };
    const n = node({ hard: {}, soft: { 'memory.available': '500Mi' }, softGracePeriod: { 'memory.available': '1m' } }, signals, [{ name: 'hog', containers: [{ name: 'app', requestBytes: 0, usageBytes: 3 * Gi }] }]);
    n.at(0);
    signals['memory.available'].available = 600 * Mi;
    n.at(50_000);
    signals['memory.available'].available = 300 * Mi;
    n.at(60_000);
    n.at(110_000);
    expect(n.evicted).toEqual([]);
    n.at(120_000);
    expect(n.evicted.map((e) => e.name)).toEqual(['hog']);
  });

  it('keeps a pressure condition for the configured transition period after the signal recovers', () => {
    const signals = { 'memory.available': { capacity: 4 * Gi, available: 50 * Mi } };
    const n = node({ pressureTransitionPeriod: '30s' }, signals, []);
    n.at(0);
    signals['memory.available'].available = 2 * Gi;
    n.at(20_000);
    expect(n.conditions).toEqual(['MemoryPressure=true']);
    n.at(30_000);
    expect(n.conditions).toEqual(['MemoryPressure=true', 'MemoryPressure=false']);
  });

  it('admission under pressure (upstream Admit): MemoryPressure alone rejects only BestEffort pods that do not tolerate it; DiskPressure rejects all', () => {
    const memory = node({}, { 'memory.available': { capacity: 4 * Gi, available: 50 * Mi } }, []);
    memory.at(0);
    expect(memory.m.admit('Burstable', false)).toBeUndefined();
    expect(memory.m.admit('BestEffort', true)).toBeUndefined();
    expect(memory.m.admit('BestEffort', false)).toBe('The node had condition: [MemoryPressure]. ');
    const both = node({}, { 'memory.available': { capacity: 4 * Gi, available: 50 * Mi }, 'nodefs.available': { capacity: 100 * Gi, available: 1 * Gi } }, []);
    both.at(0);
    expect(both.m.admit('Guaranteed', false)).toBe('The node had condition: [MemoryPressure DiskPressure]. ');
  });
});

describe('eviction settings (upstream helpers.go ParseThresholdConfig)', () => {
  it('defaults to memory.available<100Mi, nodefs.available<10%, nodefs.inodesFree<5%, imagefs.available<15%', () => {
    expect(parseEvictionConfig().thresholds.map((t) => `${t.signal}<${t.quantity ?? `${Math.round(t.fraction! * 100)}%`}`)).toEqual([
      'memory.available<104857600',
      'nodefs.available<10%',
      'nodefs.inodesFree<5%',
      'imagefs.available<15%',
    ]);
  });

  it('setting evictionHard replaces the defaults; 0% and 100% switch a threshold off', () => {
    expect(parseEvictionConfig({ hard: { 'memory.available': '1Gi', 'nodefs.available': '0%' } }).thresholds.map((t) => t.signal)).toEqual(['memory.available']);
  });

  it.each([
    [{ hard: { 'cpu.available': '1' } }, 'unsupported eviction signal cpu.available'],
    [{ hard: { 'memory.available': '-1Mi' } }, 'eviction threshold memory.available must be positive: -1Mi'],
    [{ hard: { 'nodefs.available': '120%' } }, 'eviction percentage threshold nodefs.available must be <= 100%: 120%'],
    [{ soft: { 'memory.available': '1Gi' } }, 'grace period must be specified for the soft eviction threshold memory.available'],
    [{ soft: { 'memory.available': '1Gi' }, softGracePeriod: { 'memory.available': '-1m' } }, 'invalid eviction grace period specified: -1m, must be a positive value'],
  ])('%j → %s', (config, message) => {
    expect(() => parseEvictionConfig(config)).toThrow(new EvictionConfigError(message));
  });

  it('allocatable subtracts the configured hard memory and nodefs thresholds (upstream hardEvictionReservation)', () => {
    const config = { name: 'n', internalIP: '10.0.0.1', podCIDR: '10.244.0.0/24', capacity: { cpu: '2', memory: '4Gi', 'ephemeral-storage': '100Gi' } };
    expect(allocatable(config)).toMatchObject({ memory: '3996Mi', 'ephemeral-storage': '96636764000' });
    expect(allocatable(config, parseEvictionConfig({ hard: { 'memory.available': '1Gi' } }).thresholds)).toMatchObject({ memory: '3Gi', 'ephemeral-storage': '100Gi' });
  });
});
