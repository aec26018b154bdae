import type { Rng, Simulation } from '../../sim/index.js';
import { FaultInputError, requireInteger } from '../errors.js';
import type { Hosts } from '../hosts.js';
import { applyOverlay, DEFAULT_LINK, linkConditions, type LinkConditions, type LinkOverlay } from './link.js';
import { Partition, type PartitionShape } from './partition.js';
import { StreamConnection, type StreamEnd, type StreamOptions, type StreamTransport } from './stream.js';

/** One message as the receiver sees it. */
export interface Datagram<T = unknown> {
  readonly id: number;
  readonly from: string;
  readonly to: string;
  readonly port: string;
  readonly payload: T;
  readonly sizeBytes: number;
  readonly sentAt: number;
}

export type DatagramHandler<T = unknown> = (message: Datagram<T>) => void;
export type AcceptHandler<T = unknown> = (stream: StreamEnd<T>) => void;

export interface NetworkOptions {
  /** Conditions of every link that has no configuration of its own. */
  defaults?: Partial<LinkConditions>;
  /** Record each delivery and drop in the trace. Default true. */
  traceMessages?: boolean;
}

/** Default size of a message whose sender does not say, in bytes. */
export const DEFAULT_MESSAGE_BYTES = 512;

interface LinkState {
  version: number;
  cond: LinkConditions;
  cut: boolean;
  /** Arrival time of the last FIFO message on this link (messages never overtake it). */
  lastArrival: number;
  /** When the link has finished serialising what it was given (bandwidth). */
  busyUntil: number;
}

interface OverlayEntry {
  from: Uint8Array;
  to: Uint8Array;
  overlay: LinkOverlay;
  bothWays: boolean;
}

const LINK_KEY_SHIFT = 1 << 20;

/**
 * The simulated network between named hosts. Datagrams are delivered after
 * their link's transit time unless dropped; reliable ordered streams ride on
 * the same links (see stream.ts). Every fault is a change of topology: a new
 * partition or overlay bumps a version, each link's effective conditions are
 * recomputed lazily on its next use, and open streams re-check their path.
 *
 * A partition is checked both when a message is sent and when it would
 * arrive, so nothing ever crosses a cut while the cut is in place.
 */
export class Network implements StreamTransport {
  private version = 0;
  private nextMessageId = 0;
  private nextFaultId = 0;
  private readonly defaults: LinkConditions;
  private readonly configured = new Map<number, LinkConditions>();
  private readonly links = new Map<number, LinkState>();
  private readonly overlays = new Map<number, OverlayEntry>();
  private readonly partitions = new Map<number, Partition>();
  private readonly datagramHandlers: Array<Map<string, DatagramHandler>> = [];
  private readonly acceptHandlers: Array<Map<string, AcceptHandler>> = [];
  private readonly rngs: Rng[] = [];
  private readonly quoted: string[] = [];
  private readonly connections = new Set<StreamConnection>();
  readonly traceMessages: boolean;
  /** Datagrams sent, delivered (duplicates count twice) and dropped, for summaries and benchmarks. */
  readonly stats = { sent: 0, delivered: 0, dropped: 0 };

  constructor(
    readonly sim: Simulation,
    readonly hosts: Hosts,
    options: NetworkOptions = {},
  ) {
    this.defaults = linkConditions(options.defaults, 'network.defaults');
    this.traceMessages = options.traceMessages ?? true;
  }

  /** Called by the world when a host is added. */
  attachHost(index: number): void {
    const name = this.hosts.name(index);
    this.datagramHandlers[index] = new Map();
    this.acceptHandlers[index] = new Map();
    this.rngs[index] = this.sim.random.stream(`network/${name}`);
    this.quoted[index] = JSON.stringify(name);
    this.hosts.onCrash(index, () => this.hostCrashed(index));
    this.hosts.onRestart(index, () => this.hostRestarted(index));
    this.topologyChanged();
  }

  // ---- configuration and faults ------------------------------------------

  /** Set the base conditions of the links between two sets of hosts. */
  configureLinks(from: readonly string[], to: readonly string[], conditions: Partial<LinkConditions>, bothWays = true): void {
    const fromIdx = from.map((h) => this.hosts.index(h, 'from'));
    const toIdx = to.map((h) => this.hosts.index(h, 'to'));
    for (const a of fromIdx) {
      for (const b of toIdx) {
        if (a === b) continue;
        this.configured.set(a * LINK_KEY_SHIFT + b, linkConditions(conditions, 'link', this.configured.get(a * LINK_KEY_SHIFT + b) ?? this.defaults));
        if (bothWays) this.configured.set(b * LINK_KEY_SHIFT + a, linkConditions(conditions, 'link', this.configured.get(b * LINK_KEY_SHIFT + a) ?? this.defaults));
      }
    }
    this.topologyChanged();
  }

  /** Cut the network; returns an id for `heal`. */
  partition(shape: { groups: readonly (readonly string[])[] } | { from: readonly string[]; to: readonly string[] }): number {
    let resolved: PartitionShape;
    if ('groups' in shape) {
      const seen = new Set<number>();
      const groups = shape.groups.map((g, gi) =>
        g.map((h, hi) => {
          const i = this.hosts.index(h, `groups[${gi}][${hi}]`);
          if (seen.has(i)) throw new FaultInputError({ path: `groups[${gi}][${hi}]`, message: `host "${h}" is in more than one group` });
          seen.add(i);
          return i;
        }),
      );
      if (groups.length < 2) throw new FaultInputError({ path: 'groups', message: `a partition needs at least 2 groups, got ${groups.length}` });
      resolved = { kind: 'split', groups };
    } else {
      const from = shape.from.map((h, i) => this.hosts.index(h, `from[${i}]`));
      const to = shape.to.map((h, i) => this.hosts.index(h, `to[${i}]`));
      const both = from.find((h) => to.includes(h));
      if (both !== undefined) throw new FaultInputError({ path: 'to', message: `host "${this.hosts.name(both)}" is on both sides of the partition` });
      resolved = { kind: 'one-way', from, to };
    }
    const id = ++this.nextFaultId;
    this.partitions.set(id, new Partition(resolved, this.hosts.count));
    this.topologyChanged();
    return id;
  }

  /** Change the links from `from` to `to` (and back, if bothWays); returns an id for `heal`. */
  degrade(from: readonly string[], to: readonly string[], overlay: LinkOverlay, bothWays = true): number {
    const a = this.membership(from, 'from');
    const b = this.membership(to, 'to');
    const id = ++this.nextFaultId;
    this.overlays.set(id, { from: a, to: b, overlay, bothWays });
    this.topologyChanged();
    return id;
  }

  /** Remove a partition or degradation. Healing twice is harmless. */
  heal(id: number): void {
    const removed = this.partitions.delete(id) || this.overlays.delete(id);
    if (removed) this.topologyChanged();
  }

  /** Remove every partition and degradation. */
  healAll(): void {
    this.partitions.clear();
    this.overlays.clear();
    this.topologyChanged();
  }

  /** True when a message from `a` to `b` would be dropped by a partition now. */
  isCut(a: number, b: number): boolean {
    return this.link(a, b).cut;
  }

  /** True when a message from host `from` to host `to` would be dropped by a partition now. */
  isCutBetween(from: string, to: string): boolean {
    return this.isCut(this.hosts.index(from, 'from'), this.hosts.index(to, 'to'));
  }

  /** The effective conditions of one direction of a link now. */
  conditions(from: string, to: string): Readonly<LinkConditions> {
    return this.link(this.hosts.index(from, 'from'), this.hosts.index(to, 'to')).cond;
  }

  // ---- datagrams ----------------------------------------------------------

  bind(host: number, port: string, handler: DatagramHandler): void {
    const handlers = this.datagramHandlers[host]!;
    if (handlers.has(port)) throw new Error(`port ${port} on ${this.hosts.name(host)} is already bound`);
    handlers.set(port, handler);
  }

  unbind(host: number, port: string): void {
    this.datagramHandlers[host]!.delete(port);
  }

  /** Send one datagram; it may be lost, duplicated, delayed or reordered as its link says. */
  send(from: number, to: string, port: string, payload: unknown, sizeBytes = DEFAULT_MESSAGE_BYTES): void {
    const toIdx = this.hosts.index(to, 'to');
    const id = ++this.nextMessageId;
    if (!this.hosts.isUp(from)) return;
    this.stats.sent++;
    const link = this.link(from, toIdx);
    if (link.cut) return this.drop(id, from, toIdx, port, 'partition');
    const rng = this.rngs[from]!;
    if (rng.chance(link.cond.loss)) return this.drop(id, from, toIdx, port, 'loss');
    const message: Datagram = { id, from: this.hosts.name(from), to, port, payload, sizeBytes, sentAt: this.sim.now };
    this.transmit(link, from, toIdx, message, rng);
    if (rng.chance(link.cond.duplicate)) this.transmit(link, from, toIdx, message, rng);
  }

  private transmit(link: LinkState, from: number, to: number, message: Datagram, rng: Rng): void {
    let arrival = this.sim.now + this.transitMs(link, message.sizeBytes, rng);
    if (rng.chance(link.cond.reorder)) arrival += link.cond.reorderDelayMs;
    else {
      if (arrival < link.lastArrival) arrival = link.lastArrival;
      link.lastArrival = arrival;
    }
    this.sim.at(arrival, () => this.deliver(from, to, message));
  }

  private deliver(from: number, to: number, message: Datagram): void {
    if (this.link(from, to).cut) return this.drop(message.id, from, to, message.port, 'partition');
    if (!this.hosts.isUp(to)) return this.drop(message.id, from, to, message.port, 'host-down');
    const handler = this.datagramHandlers[to]!.get(message.port);
    if (handler === undefined) return this.drop(message.id, from, to, message.port, 'no-listener');
    this.stats.delivered++;
    if (this.traceMessages) {
      this.sim.trace.recordSerialised(this.sim.now, 'net.deliver', `,"id":${message.id},"from":${this.quoted[from]},"to":${this.quoted[to]},"port":${JSON.stringify(message.port)}`);
    }
    handler(message);
  }

  private drop(id: number, from: number, to: number, port: string, reason: string): void {
    this.stats.dropped++;
    if (this.traceMessages) {
      this.sim.trace.recordSerialised(this.sim.now, 'net.drop', `,"id":${id},"from":${this.quoted[from]},"to":${this.quoted[to]},"port":${JSON.stringify(port)},"reason":"${reason}"`);
    }
  }

  // ---- streams ------------------------------------------------------------

  listen(host: number, port: string, onAccept: AcceptHandler): void {
    const handlers = this.acceptHandlers[host]!;
    if (handlers.has(port)) throw new Error(`port ${port} on ${this.hosts.name(host)} is already listening`);
    handlers.set(port, onAccept);
  }

  unlisten(host: number, port: string): void {
    this.acceptHandlers[host]!.delete(port);
  }

  /** Open a reliable ordered stream to `to:port`. */
  connect<T = unknown>(from: number, to: string, port: string, options: StreamOptions = {}): StreamEnd<T> {
    const toIdx = this.hosts.index(to, 'to');
    if (options.breakAfterMs !== undefined) requireInteger('breakAfterMs', options.breakAfterMs, 1);
    const connection = new StreamConnection(this, from, toIdx, port, options, ++this.nextMessageId);
    this.connections.add(connection);
    connection.start();
    return connection.client as StreamEnd<T>;
  }

  // StreamTransport ----------------------------------------------------------

  /** @internal */
  acceptHandler(host: number, port: string): AcceptHandler | undefined {
    return this.acceptHandlers[host]!.get(port);
  }

  /** @internal */
  rngOf(host: number): Rng {
    return this.rngs[host]!;
  }

  /** @internal */
  linkConditions(a: number, b: number): LinkConditions {
    return this.link(a, b).cond;
  }

  /** @internal one-way transit time of a message of this size on a->b, bandwidth included. */
  transit(a: number, b: number, sizeBytes: number): number {
    return this.transitMs(this.link(a, b), sizeBytes, this.rngs[a]!);
  }

  /** @internal */
  forget(connection: StreamConnection): void {
    this.connections.delete(connection);
  }

  /** @internal */
  recordStream(type: string, fields: Record<string, unknown>): void {
    if (this.traceMessages) this.sim.record(type, fields);
  }

  // ---- internals ----------------------------------------------------------

  private transitMs(link: LinkState, sizeBytes: number, rng: Rng): number {
    const c = link.cond;
    let ms = c.latencyMs;
    if (c.jitterMs > 0) ms += Math.round(c.distribution === 'uniform' ? rng.uniform(0, c.jitterMs) : rng.exponential(c.jitterMs));
    if (c.bandwidthBytesPerSec > 0) {
      const now = this.sim.now;
      const start = link.busyUntil > now ? link.busyUntil : now;
      link.busyUntil = start + Math.ceil((sizeBytes * 1000) / c.bandwidthBytesPerSec);
      ms += link.busyUntil - now;
    }
    return ms;
  }

  private link(a: number, b: number): LinkState {
    const key = a * LINK_KEY_SHIFT + b;
    let link = this.links.get(key);
    if (link === undefined) {
      link = { version: -1, cond: DEFAULT_LINK as LinkConditions, cut: false, lastArrival: 0, busyUntil: 0 };
      this.links.set(key, link);
    }
    if (link.version !== this.version) this.refresh(link, a, b, key);
    return link;
  }

  private refresh(link: LinkState, a: number, b: number, key: number): void {
    const cond = { ...(this.configured.get(key) ?? this.defaults) };
    for (const o of this.overlays.values()) {
      if ((o.from[a] && o.to[b]) || (o.bothWays && o.from[b] && o.to[a])) applyOverlay(cond, o.overlay);
    }
    let cut = false;
    for (const p of this.partitions.values()) if (p.cuts(a, b)) cut = true;
    link.cond = cond;
    link.cut = cut;
    link.version = this.version;
  }

  private membership(hosts: readonly string[], path: string): Uint8Array {
    const set = new Uint8Array(this.hosts.count);
    hosts.forEach((h, i) => (set[this.hosts.index(h, `${path}[${i}]`)] = 1));
    return set;
  }

  private topologyChanged(): void {
    this.version++;
    for (const c of [...this.connections]) c.pathChanged();
  }

  private hostCrashed(index: number): void {
    this.datagramHandlers[index]!.clear();
    this.acceptHandlers[index]!.clear();
    for (const c of [...this.connections]) c.hostCrashed(index);
  }

  private hostRestarted(index: number): void {
    for (const c of [...this.connections]) c.hostRestarted(index);
  }
}
