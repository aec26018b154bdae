import { Simulation, Trace, type Seed } from '../sim/index.js';
import { HostClock } from './clock.js';
import { Disk, type DiskOptions } from './disk.js';
import { FaultInputError } from './errors.js';
import { Endpoint, HostContext } from './host-context.js';
import { FaultInjector } from './injector.js';
import { Hosts } from './hosts.js';
import type { LinkConditions } from './network/link.js';
import { Network } from './network/network.js';

export interface WorldOptions {
  seed: Seed;
  /** A trace to record into; by default a hashing-only trace. */
  trace?: Trace;
  network?: {
    defaults?: Partial<LinkConditions>;
    traceMessages?: boolean;
  };
}

export interface HostOptions {
  /** Named groups the host belongs to, e.g. `control-plane` or `nodes`. */
  groups?: readonly string[];
  disk?: DiskOptions;
  /** Initial offset of the host's clock from true time, in ms. */
  clockOffsetMs?: number;
}

/**
 * The simulated world: a kernel, named hosts, and the network, disks and
 * clocks between and on them. It knows nothing about Kubernetes; the
 * orchestrator's components are handed a HostContext and live inside it.
 */
export class World {
  readonly sim: Simulation;
  readonly hosts = new Hosts();
  readonly network: Network;
  /** Inject and heal faults, by hand or from a plan. */
  readonly faults: FaultInjector;
  private readonly contexts = new Map<string, HostContext>();

  constructor(options: WorldOptions) {
    this.sim = new Simulation({ seed: options.seed, trace: options.trace ?? new Trace() });
    this.network = new Network(this.sim, this.hosts, options.network ?? {});
    this.faults = new FaultInjector(this);
  }

  get seed(): string {
    return this.sim.seed;
  }

  get trace(): Trace {
    return this.sim.trace;
  }

  /** Add a host and return its context. */
  addHost(name: string, options: HostOptions = {}): HostContext {
    const index = this.hosts.add(name, options.groups ?? []);
    const clock = new HostClock(this.sim, name, options.clockOffsetMs ?? 0);
    const disk = new Disk(this.sim, this.hosts, index, this.sim.random.stream(`disk/${name}`), options.disk);
    this.network.attachHost(index);
    const context = new HostContext(this.sim, this.hosts, index, name, clock, new Endpoint(this.network, index, name), disk);
    this.contexts.set(name, context);
    this.sim.record('host.add', { host: name, groups: options.groups ?? [] });
    return context;
  }

  /** The context of an existing host. */
  host(name: string): HostContext {
    const context = this.contexts.get(name);
    if (context === undefined) this.hosts.index(name); // throws the standard unknown-host error
    return context!;
  }

  /** Put a host into a named group. */
  addToGroup(group: string, host: string): void {
    this.hosts.addToGroup(group, host);
  }

  /** Crash a host: its processes, timers, connections and unsynced writes are lost. */
  crash(name: string): void {
    const index = this.hosts.index(name);
    if (!this.hosts.isUp(index)) throw new FaultInputError({ path: 'host', message: `host "${name}" is already down` });
    this.sim.record('host.crash', { host: name });
    this.hosts.crash(index);
  }

  /** Restart a crashed host. */
  restart(name: string): void {
    const index = this.hosts.index(name);
    if (this.hosts.isUp(index)) throw new FaultInputError({ path: 'host', message: `host "${name}" is not down` });
    this.sim.record('host.restart', { host: name });
    this.hosts.restart(index);
  }
}
