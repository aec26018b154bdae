import fc from 'fast-check';
import { EXCLUSIVE_KINDS, type FaultPlan, type PlannedFault } from './plan.js';
import { FAULT_KINDS, type FaultKind, type FaultSpec } from './fault-spec.js';

export interface NemesisOptions {
  /** Hosts the faults may target (at least 2). */
  hosts: readonly string[];
  /** Faults start in [0, horizonMs). */
  horizonMs: number;
  /** At most this many faults. Default 6. */
  maxFaults?: number;
  /** Kinds to draw from. Default: all. */
  kinds?: readonly FaultKind[];
  /** Each fault lasts between these bounds (every generated fault heals). Default 100 ms .. horizon. */
  minDurationMs?: number;
  maxDurationMs?: number;
}

/**
 * A fast-check arbitrary of random fault plans: Jepsen's nemesis as data.
 * Every plan it yields is valid for the given hosts (contradictory overlaps
 * are dropped), every fault heals, so a run can check safety while faults
 * are active and liveness after the last heal. Shrinking removes faults,
 * moves them earlier and makes them milder.
 */
export function nemesis(options: NemesisOptions): fc.Arbitrary<FaultPlan> {
  const hosts = [...options.hosts];
  if (hosts.length < 2) throw new RangeError(`nemesis needs at least 2 hosts, got ${hosts.length}`);
  if (!Number.isInteger(options.horizonMs) || options.horizonMs <= 0) throw new RangeError(`horizonMs must be a positive integer, got ${options.horizonMs}`);
  const kinds = options.kinds ?? FAULT_KINDS;
  const minDuration = options.minDurationMs ?? 100;
  const maxDuration = Math.max(minDuration, options.maxDurationMs ?? options.horizonMs);
  const host = fc.constantFrom(...hosts);
  const someHosts = fc.subarray(hosts, { minLength: 1 });
  const rate = fc.integer({ min: 1, max: 1000 }).map((n) => n / 1000);

  const specs: Record<FaultKind, fc.Arbitrary<FaultSpec | undefined>> = {
    partition: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: hosts.length, maxLength: hosts.length }).map((sides) => {
      const groups = [0, 1, 2].map((g) => hosts.filter((_, i) => sides[i] === g)).filter((g) => g.length > 0);
      return groups.length >= 2 ? { kind: 'partition', groups } : undefined;
    }),
    'partition-one-way': fc.array(fc.integer({ min: 0, max: 2 }), { minLength: hosts.length, maxLength: hosts.length }).map((sides) => {
      const from = hosts.filter((_, i) => sides[i] === 1);
      const to = hosts.filter((_, i) => sides[i] === 2);
      return from.length > 0 && to.length > 0 ? { kind: 'partition-one-way', from, to } : undefined;
    }),
    loss: fc.record({ rate, from: someHosts, to: someHosts, oneWay: fc.boolean() }).map((r) => ({ kind: 'loss', ...r })),
    latency: fc
      .record({ addMs: fc.integer({ min: 1, max: 2000 }), jitterMs: fc.integer({ min: 0, max: 500 }), from: someHosts, to: someHosts, oneWay: fc.boolean() })
      .map((r) => ({ kind: 'latency', ...r })),
    duplicate: fc.record({ rate, from: someHosts, to: someHosts, oneWay: fc.boolean() }).map((r) => ({ kind: 'duplicate', ...r })),
    reorder: fc
      .record({ rate, delayMs: fc.integer({ min: 1, max: 1000 }), from: someHosts, to: someHosts, oneWay: fc.boolean() })
      .map((r) => ({ kind: 'reorder', ...r })),
    bandwidth: fc
      .record({ bytesPerSec: fc.integer({ min: 1_000, max: 10_000_000 }), from: someHosts, to: someHosts, oneWay: fc.boolean() })
      .map((r) => ({ kind: 'bandwidth', ...r })),
    // Jepsen-style: sometimes several hosts at once (a majority crash is what loses unsynced writes).
    crash: someHosts.map((h) => ({ kind: 'crash', host: h.length === 1 ? h[0]! : h })),
    'disk-latency': fc.record({ host, addMs: fc.integer({ min: 1, max: 5000 }) }).map((r) => ({ kind: 'disk-latency', ...r })),
    'disk-full': host.map((h) => ({ kind: 'disk-full', host: h })),
    'disk-eio': fc.record({ host, rate }).map((r) => ({ kind: 'disk-eio', ...r })),
    'clock-jump': fc.record({ host, byMs: fc.integer({ min: -3_600_000, max: 3_600_000 }) }).map((r) => ({ kind: 'clock-jump', ...r })),
    'clock-skew': fc.record({ host, offsetMs: fc.integer({ min: -600_000, max: 600_000 }) }).map((r) => ({ kind: 'clock-skew', ...r })),
    'clock-drift': fc.record({ host, ppm: fc.integer({ min: -200_000, max: 200_000 }) }).map((r) => ({ kind: 'clock-drift', ...r })),
  } as Record<FaultKind, fc.Arbitrary<FaultSpec | undefined>>;

  const entry = fc
    .tuple(fc.integer({ min: 0, max: options.horizonMs - 1 }), fc.integer({ min: minDuration, max: maxDuration }), fc.oneof(...kinds.map((k) => specs[k])))
    .map(([at, forMs, spec]): PlannedFault | undefined => {
      if (spec === undefined) return undefined;
      return spec.kind === 'clock-jump' ? { ...spec, at } : { ...spec, at, for: forMs };
    });

  return fc.array(entry, { maxLength: options.maxFaults ?? 6 }).map((entries) => dropContradictions(entries.filter((e): e is PlannedFault => e !== undefined)));
}

const hostsOf = (f: PlannedFault): string[] => ('host' in f ? (typeof f.host === 'string' ? [f.host] : [...f.host]) : []);

/** Keep faults in time order, dropping any exclusive fault that overlaps an earlier one of its kind on a shared host. */
function dropContradictions(entries: PlannedFault[]): FaultPlan {
  const sorted = [...entries].sort((a, b) => a.at - b.at);
  const kept: PlannedFault[] = [];
  for (const e of sorted) {
    const clash =
      EXCLUSIVE_KINDS.has(e.kind) &&
      kept.some((k) => k.kind === e.kind && k.at + (k.for ?? Infinity) > e.at && hostsOf(k).some((h) => hostsOf(e).includes(h)));
    if (!clash) kept.push(e);
  }
  return kept;
}
