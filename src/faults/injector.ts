import { FaultInputError } from './errors.js';
import { checkFault, describeFault, faultTargets, type FaultSpec, type Targets } from './fault-spec.js';
import { checkPlan, EXCLUSIVE_KINDS, type FaultPlan } from './plan.js';
import type { World } from './world.js';

/** A fault in force. */
export interface ActiveFault {
  readonly id: number;
  readonly spec: FaultSpec;
  readonly injectedAt: number;
  /** True once healed (or for instant faults, at once). */
  readonly healed: boolean;
  heal(): void;
}

/**
 * Applies faults to a world, by hand (`inject`) or on a timetable
 * (`schedule`). Every inject and heal is recorded in the trace, so a replay
 * shows exactly when the world was broken and mended.
 */
export class FaultInjector {
  private nextId = 0;
  private readonly active = new Map<number, ActiveFault>();

  constructor(private readonly world: World) {}

  /** Faults currently in force, oldest first. */
  list(): ActiveFault[] {
    return [...this.active.values()];
  }

  /** Check and apply a fault now. */
  inject(input: FaultSpec, path = 'fault'): ActiveFault {
    const issues = checkFault(input, path, this.world.hosts);
    if (issues.length > 0) throw new FaultInputError(issues);
    const spec = { ...input } as FaultSpec;
    this.refuseContradiction(spec, path);
    const id = ++this.nextId;
    const { sim } = this.world;
    sim.record('fault.inject', { id, kind: spec.kind, fault: describeFault(spec) });
    const undo = this.apply(spec);
    let healed = undo === undefined;
    const fault: ActiveFault = {
      id,
      spec,
      injectedAt: sim.now,
      get healed() {
        return healed;
      },
      heal: () => {
        if (healed) return;
        healed = true;
        this.active.delete(id);
        sim.record('fault.heal', { id, kind: spec.kind, fault: describeFault(spec) });
        undo?.();
      },
    };
    if (!healed) this.active.set(id, fault);
    return fault;
  }

  /** Check a whole plan, then have the kernel inject and heal each fault on time. */
  schedule(plan: FaultPlan, path = 'faults'): void {
    const issues = checkPlan(plan, this.world.hosts, path);
    if (issues.length > 0) throw new FaultInputError(issues);
    const { sim } = this.world;
    const base = sim.now;
    plan.forEach((entry, i) => {
      const { at, for: forMs, ...spec } = entry;
      sim.at(base + at, () => {
        const fault = this.inject(spec as FaultSpec, `${path}[${i}]`);
        if (forMs !== undefined) sim.schedule(forMs, () => fault.heal());
      });
    });
  }

  /** Heal every fault in force. */
  healAll(): void {
    for (const fault of this.list()) fault.heal();
  }

  private refuseContradiction(spec: FaultSpec, path: string): void {
    if (!EXCLUSIVE_KINDS.has(spec.kind)) return;
    const targets = faultTargets(spec, this.world.hosts);
    for (const other of this.active.values()) {
      if (other.spec.kind !== spec.kind) continue;
      const shared = [...faultTargets(other.spec, this.world.hosts)].find((t) => targets.has(t));
      if (shared !== undefined) {
        throw new FaultInputError({ path, message: `"${shared}" already has a ${spec.kind} fault in force (fault ${other.id}: ${describeFault(other.spec)}); heal it first` });
      }
    }
  }

  /** Apply a checked fault; returns how to undo it (nothing for instant faults). */
  private apply(spec: FaultSpec): (() => void) | undefined {
    const { world } = this;
    const { network } = world;
    const resolve = (t: Targets | undefined, path: string): string[] => world.hosts.resolve(t, path);
    const each = (t: Targets, fn: (host: string) => void): string[] => {
      const hosts = resolve(t, 'host');
      hosts.forEach(fn);
      return hosts;
    };
    switch (spec.kind) {
      case 'partition': {
        const id = network.partition({ groups: spec.groups.map((g, i) => resolve(g, `groups[${i}]`)) });
        return () => network.heal(id);
      }
      case 'partition-one-way': {
        const id = network.partition({ from: resolve(spec.from, 'from'), to: resolve(spec.to, 'to') });
        return () => network.heal(id);
      }
      case 'loss':
      case 'latency':
      case 'duplicate':
      case 'reorder':
      case 'bandwidth': {
        const overlay =
          spec.kind === 'loss'
            ? { loss: spec.rate }
            : spec.kind === 'latency'
              ? { addLatencyMs: spec.addMs, addJitterMs: spec.jitterMs ?? 0 }
              : spec.kind === 'duplicate'
                ? { duplicate: spec.rate }
                : spec.kind === 'reorder'
                  ? { reorder: spec.rate, reorderDelayMs: spec.delayMs }
                  : { bandwidthBytesPerSec: spec.bytesPerSec };
        const id = network.degrade(resolve(spec.from, 'from'), resolve(spec.to, 'to'), overlay, !spec.oneWay);
        return () => network.heal(id);
      }
      case 'crash': {
        const crashed = each(spec.host, (h) => world.hosts.isUp(world.hosts.index(h)) && world.crash(h));
        return () => crashed.forEach((h) => !world.hosts.isUp(world.hosts.index(h)) && world.restart(h));
      }
      case 'disk-latency': {
        const hosts = each(spec.host, (h) => world.host(h).disk.setExtraLatency(spec.addMs));
        return () => hosts.forEach((h) => world.host(h).disk.setExtraLatency(0));
      }
      case 'disk-full': {
        const hosts = each(spec.host, (h) => world.host(h).disk.setFull(true));
        return () => hosts.forEach((h) => world.host(h).disk.setFull(false));
      }
      case 'disk-eio': {
        const hosts = each(spec.host, (h) => world.host(h).disk.setErrorRate(spec.rate));
        return () => hosts.forEach((h) => world.host(h).disk.setErrorRate(0));
      }
      case 'clock-jump':
        each(spec.host, (h) => world.host(h).clock.jump(spec.byMs));
        return undefined;
      case 'clock-skew': {
        // Healing steps the clock back to true time, as an NTP step would.
        const hosts = each(spec.host, (h) => world.host(h).clock.skew(spec.offsetMs));
        return () => hosts.forEach((h) => world.host(h).clock.skew(0));
      }
      case 'clock-drift': {
        // Healing stops the drift; what it accumulated stays (a slewing clock does not jump back).
        const hosts = each(spec.host, (h) => world.host(h).clock.setDrift(spec.ppm));
        return () => hosts.forEach((h) => world.host(h).clock.setDrift(0));
      }
    }
  }
}
