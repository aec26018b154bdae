import type { Rng, Simulation, Timer, TraceFields } from '../sim/index.js';
import type { HostClock } from './clock.js';
import type { Disk } from './disk.js';
import type { Hosts } from './hosts.js';
import type { AcceptHandler, DatagramHandler, Network } from './network/network.js';
import type { StreamEnd, StreamOptions } from './network/stream.js';

/** A host's view of the network: the only way a component sends or receives. */
export class Endpoint {
  constructor(
    private readonly network: Network,
    private readonly index: number,
    readonly host: string,
  ) {}

  /** Receive datagrams sent to `port` on this host. */
  bind<T>(port: string, handler: DatagramHandler<T>): void {
    this.network.bind(this.index, port, handler as DatagramHandler);
  }

  unbind(port: string): void {
    this.network.unbind(this.index, port);
  }

  /** Send a datagram to `to:port`. */
  send(to: string, port: string, payload: unknown, sizeBytes?: number): void {
    this.network.send(this.index, to, port, payload, sizeBytes);
  }

  /** Accept streams opened to `port` on this host. */
  listen<T>(port: string, onAccept: AcceptHandler<T>): void {
    this.network.listen(this.index, port, onAccept as AcceptHandler);
  }

  unlisten(port: string): void {
    this.network.unlisten(this.index, port);
  }

  /** Open a reliable ordered stream to `to:port`. */
  connect<T>(to: string, port: string, options?: StreamOptions): StreamEnd<T> {
    return this.network.connect<T>(this.index, to, port, options);
  }
}

/**
 * Everything a component running on a host may touch: its clock, its
 * network endpoint, its disk, its random streams and its log. Components are
 * built with one of these and never reach for global time, I/O or
 * randomness, which is what lets the same component run on virtual time in
 * tests and on wall time in `crucible serve`.
 */
export class HostContext {
  constructor(
    private readonly sim: Simulation,
    private readonly hosts: Hosts,
    readonly index: number,
    readonly name: string,
    readonly clock: HostClock,
    readonly net: Endpoint,
    readonly disk: Disk,
  ) {}

  /** True while the host is running. */
  get up(): boolean {
    return this.hosts.isUp(this.index);
  }

  /**
   * A random stream private to this host and purpose, e.g.
   * `host.rng('kubelet/prober')` → stream `node-2/kubelet/prober`.
   */
  rng(purpose: string): Rng {
    return this.sim.random.stream(`${this.name}/${purpose}`);
  }

  /**
   * Run `fn` after `delayMs` of this host's clock. The timer dies with the
   * host: if the host crashes first, `fn` never runs.
   */
  after(delayMs: number, fn: () => void, label?: string): Timer {
    const epoch = this.hosts.epoch(this.index);
    return this.clock.after(
      delayMs,
      () => {
        if (this.hosts.epoch(this.index) === epoch) fn();
      },
      label,
    );
  }

  /** Record a component's event in the trace, tagged with this host. */
  log(type: string, fields?: TraceFields): void {
    this.sim.record(type, { host: this.name, ...fields });
  }

  /** Called when the host crashes (its processes and unsynced writes are gone). */
  onCrash(fn: () => void): void {
    this.hosts.onCrash(this.index, fn);
  }

  /** Called when a crashed host comes back. */
  onRestart(fn: () => void): void {
    this.hosts.onRestart(this.index, fn);
  }
}
