import type { Rng, Simulation, Timer } from '../../sim/index.js';
import type { Hosts } from '../hosts.js';
import type { LinkConditions } from './link.js';

/**
 * Why a stream ended: the peer closed it; the path stayed cut (or the peer
 * stayed silent) for `breakAfterMs`; nobody listened on the port; the peer
 * host restarted and answered with a reset; or the connection was never
 * established.
 */
export type StreamCloseReason = 'closed' | 'timeout' | 'refused' | 'reset' | 'connect-timeout';

export interface StreamOptions {
  /**
   * How long a cut path (or a crashed peer) is tolerated before both ends
   * see the stream break. Default 30 s, the order of client-go's HTTP/2
   * health check (ReadIdleTimeout 30 s plus PingTimeout 15 s).
   */
  breakAfterMs?: number;
  /** Bytes per message when the sender gives none. */
  defaultSizeBytes?: number;
}

export const DEFAULT_BREAK_AFTER_MS = 30_000;
/** Linux's retransmission timeout bounds (TCP_RTO_MIN, TCP_RTO_MAX). */
const MIN_RTO_MS = 200;
const MAX_RTO_MS = 120_000;
/** After this many retransmissions in a row a message is treated as unable to cross (like a cut). */
const MAX_RETRANSMITS = 8;

/** One end of a reliable ordered stream: what a watch or an HTTP request rides on. */
export interface StreamEnd<T = unknown> {
  readonly id: number;
  readonly local: string;
  readonly remote: string;
  readonly port: string;
  /** True from creation until this end is closed or broken. */
  readonly open: boolean;
  /** Queue a message; messages arrive in order, exactly once, or the stream breaks. */
  send(payload: T, sizeBytes?: number): void;
  /** Close this end; the peer sees `closed` after everything sent before it has arrived. */
  close(): void;
  onMessage(handler: (payload: T) => void): void;
  /** Called once, when the stream ends for a reason other than this end's own close(). */
  onClose(handler: (reason: StreamCloseReason) => void): void;
  /** Client ends only: called when the server has accepted. */
  onOpen(handler: () => void): void;
}

/** What a stream needs from the network. */
export interface StreamTransport {
  readonly sim: Simulation;
  readonly hosts: Hosts;
  isCut(a: number, b: number): boolean;
  transit(a: number, b: number, sizeBytes: number): number;
  linkConditions(a: number, b: number): LinkConditions;
  rngOf(host: number): Rng;
  acceptHandler(host: number, port: string): ((stream: StreamEnd) => void) | undefined;
  forget(connection: StreamConnection): void;
  recordStream(type: string, fields: Record<string, unknown>): void;
}

const FIN = Symbol('fin');
type Segment = { payload: unknown; sizeBytes: number } | typeof FIN;

/** One direction of a stream: segments in flight, delivered strictly in order. */
class Direction {
  readonly queue: Segment[] = [];
  head = 0;
  /** Bumped to invalidate arrivals scheduled before a stall. */
  epoch = 0;
  lastArrival = 0;
  stalled = false;

  constructor(
    readonly from: number,
    readonly to: number,
  ) {}

  get inFlight(): number {
    return this.queue.length - this.head;
  }

  shift(): Segment {
    const s = this.queue[this.head++]!;
    if (this.head > 64 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return s;
  }
}

class End implements StreamEnd {
  open = true;
  messageHandler: ((payload: unknown) => void) | undefined;
  closeHandler: ((reason: StreamCloseReason) => void) | undefined;
  openHandler: (() => void) | undefined;

  constructor(
    private readonly connection: StreamConnection,
    readonly side: 0 | 1,
    readonly local: string,
    readonly remote: string,
  ) {}

  get id(): number {
    return this.connection.id;
  }

  get port(): string {
    return this.connection.port;
  }

  send(payload: unknown, sizeBytes?: number): void {
    if (!this.open) throw new Error(`stream ${this.connection.id} ${this.local}->${this.remote}:${this.port} is closed`);
    this.connection.enqueue(this.side, { payload, sizeBytes: sizeBytes ?? this.connection.defaultSize });
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.connection.enqueue(this.side, FIN);
  }

  onMessage(handler: (payload: unknown) => void): void {
    this.messageHandler = handler;
  }

  onClose(handler: (reason: StreamCloseReason) => void): void {
    this.closeHandler = handler;
  }

  onOpen(handler: () => void): void {
    this.openHandler = handler;
  }
}

/**
 * A TCP-like connection between two hosts. Each message is retransmitted
 * after a loss (RTO from 200 ms, doubling) and delivered in order, exactly
 * once. While either direction of the path is cut, or the peer host is
 * down, delivery stalls; if that lasts `breakAfterMs`, both ends are told
 * the stream broke (`timeout`). A heal before then resumes delivery where it
 * stopped. A crashed host's end dies silently; its peer learns of it by
 * timeout, or by a reset if the host restarts first.
 */
export class StreamConnection {
  readonly client: End;
  readonly server: End;
  readonly defaultSize: number;
  private readonly dirs: [Direction, Direction];
  private readonly breakAfterMs: number;
  private state: 'connecting' | 'open' = 'connecting';
  private finished = false;
  /** The SYN could not leave (path cut): it goes when the path heals. */
  private synWaiting = false;
  private breakTimer: Timer | undefined;
  /** Which side's host crashed, while its peer waits to find out. */
  private crashedSide: 0 | 1 | undefined;

  constructor(
    private readonly net: StreamTransport,
    readonly clientHost: number,
    readonly serverHost: number,
    readonly port: string,
    options: StreamOptions,
    readonly id: number,
  ) {
    this.breakAfterMs = options.breakAfterMs ?? DEFAULT_BREAK_AFTER_MS;
    this.defaultSize = options.defaultSizeBytes ?? 512;
    const hosts = net.hosts;
    this.client = new End(this, 0, hosts.name(clientHost), hosts.name(serverHost));
    this.server = new End(this, 1, hosts.name(serverHost), hosts.name(clientHost));
    this.dirs = [new Direction(clientHost, serverHost), new Direction(serverHost, clientHost)];
  }

  /** Send the SYN: the server accepts (or refuses) one transit later. */
  start(): void {
    if (!this.net.hosts.isUp(this.clientHost)) return this.finish(undefined);
    this.sendSyn();
  }

  private sendSyn(): void {
    if (this.pathBlocked()) {
      this.synWaiting = true;
      return this.armBreak('connect-timeout');
    }
    this.synWaiting = false;
    this.net.sim.schedule(this.net.transit(this.clientHost, this.serverHost, 64), () => this.synArrived());
  }

  private synArrived(): void {
    if (this.finished || this.state !== 'connecting') return;
    if (this.pathBlocked()) {
      this.synWaiting = true;
      return this.armBreak('connect-timeout');
    }
    const accept = this.net.acceptHandler(this.serverHost, this.port);
    if (accept === undefined) {
      // Nobody listens: a reset travels back to the client. Until it lands the
      // connection takes no more work (finished), then finish() runs for real.
      this.finished = true;
      this.net.sim.schedule(this.net.transit(this.serverHost, this.clientHost, 64), () => {
        this.finished = false;
        this.finish('refused', [0]);
      });
      return;
    }
    this.state = 'open';
    this.net.recordStream('stream.open', { id: this.id, from: this.client.local, to: this.server.local, port: this.port });
    accept(this.server);
    // Segments the client queued before the handshake go out now.
    for (const side of [0, 1] as const) this.reschedule(side);
    this.net.sim.schedule(this.net.transit(this.serverHost, this.clientHost, 64), () => {
      if (!this.finished) this.client.openHandler?.();
    });
  }

  enqueue(side: 0 | 1, segment: Segment): void {
    if (this.finished) return;
    const dir = this.dirs[side];
    dir.queue.push(segment);
    if (this.state === 'open' && !dir.stalled) this.scheduleArrival(dir, segment);
  }

  private scheduleArrival(dir: Direction, segment: Segment): void {
    const size = segment === FIN ? 64 : segment.sizeBytes;
    let at = this.net.sim.now + this.net.transit(dir.from, dir.to, size);
    const link = this.net.linkConditions(dir.from, dir.to);
    if (link.loss > 0) {
      const rng = this.net.rngOf(dir.from);
      let rto = Math.max(MIN_RTO_MS, 2 * link.latencyMs);
      let tries = 0;
      while (rng.chance(link.loss)) {
        if (++tries > MAX_RETRANSMITS) return this.stall(dir);
        at += rto;
        rto = Math.min(MAX_RTO_MS, rto * 2);
      }
    }
    if (at < dir.lastArrival) at = dir.lastArrival;
    dir.lastArrival = at;
    const epoch = dir.epoch;
    this.net.sim.at(at, () => this.arrive(dir, epoch));
  }

  private arrive(dir: Direction, epoch: number): void {
    if (this.finished || epoch !== dir.epoch) return;
    if (this.pathBlocked()) return this.stall(dir);
    const segment = dir.shift();
    const receiver = dir === this.dirs[0] ? this.server : this.client;
    if (segment === FIN) return this.finish('closed', [receiver.side]);
    if (receiver.open) receiver.messageHandler?.(segment.payload);
  }

  private stall(dir: Direction): void {
    dir.stalled = true;
    dir.epoch++;
    this.armBreak('timeout');
  }

  /** Re-send everything still in flight on one direction, from now. */
  private reschedule(side: 0 | 1): void {
    const dir = this.dirs[side];
    dir.stalled = false;
    dir.epoch++;
    dir.lastArrival = this.net.sim.now;
    for (let i = dir.head; i < dir.queue.length && !dir.stalled; i++) this.scheduleArrival(dir, dir.queue[i]!);
  }

  /** The network's topology changed: stall, or resume what was stalled. */
  pathChanged(): void {
    if (this.finished || this.crashedSide !== undefined) return;
    if (this.pathBlocked()) return this.armBreak(this.state === 'connecting' ? 'connect-timeout' : 'timeout');
    this.breakTimer?.cancel();
    this.breakTimer = undefined;
    if (this.state === 'connecting') {
      if (this.synWaiting) this.sendSyn();
      return;
    }
    // Segments in flight were timed under the old conditions (a retransmission schedule drawn
    // under heavy loss): time them again under the new ones, as their next retransmission would be.
    for (const side of [0, 1] as const) if (this.dirs[side].stalled || this.dirs[side].inFlight > 0) this.reschedule(side);
  }

  hostCrashed(host: number): void {
    if (this.finished) return;
    const side = host === this.clientHost ? 0 : host === this.serverHost ? 1 : undefined;
    if (side === undefined) return;
    (side === 0 ? this.client : this.server).open = false; // dies silently with its process
    const peerAlreadyGone = this.crashedSide !== undefined || this.clientHost === this.serverHost;
    if (peerAlreadyGone || (this.state === 'connecting' && side === 0)) return this.finish(undefined);
    this.crashedSide = side;
    for (const dir of this.dirs) dir.epoch++;
    this.armBreak(this.state === 'connecting' ? 'connect-timeout' : 'timeout');
  }

  hostRestarted(host: number): void {
    if (this.finished) return;
    // A connection begun while this host was down can go ahead now.
    if (this.crashedSide === undefined) return this.pathChanged();
    const crashedHost = this.crashedSide === 0 ? this.clientHost : this.serverHost;
    if (host !== crashedHost) return;
    // The rebooted host has no record of the connection: the peer's next segment draws a reset.
    const peer: 0 | 1 = this.crashedSide === 0 ? 1 : 0;
    const peerHost = peer === 0 ? this.clientHost : this.serverHost;
    this.net.sim.schedule(this.net.transit(host, peerHost, 64), () => this.finish('reset', [peer]));
  }

  private pathBlocked(): boolean {
    const { hosts } = this.net;
    return (
      this.net.isCut(this.clientHost, this.serverHost) ||
      this.net.isCut(this.serverHost, this.clientHost) ||
      !hosts.isUp(this.serverHost) ||
      !hosts.isUp(this.clientHost)
    );
  }

  private armBreak(reason: StreamCloseReason): void {
    if (this.breakTimer !== undefined || this.finished) return;
    this.breakTimer = this.net.sim.schedule(this.breakAfterMs, () => {
      this.breakTimer = undefined;
      if (this.crashedSide !== undefined) return this.finish(reason, [this.crashedSide === 0 ? 1 : 0]);
      if (this.pathBlocked() || this.dirs.some((d) => d.stalled)) this.finish(reason, [0, 1]);
      // The path cleared without anyone saying so: send the SYN again rather than hang half-open.
      else if (this.state === 'connecting' && this.synWaiting) this.sendSyn();
    });
  }

  /** End the connection once; tell the listed sides whose ends are still open. */
  private finish(reason: StreamCloseReason | undefined, notify: Array<0 | 1> = []): void {
    if (this.finished) return;
    this.finished = true;
    this.breakTimer?.cancel();
    this.breakTimer = undefined;
    for (const dir of this.dirs) dir.epoch++;
    this.net.forget(this);
    if (reason !== undefined) {
      this.net.recordStream('stream.close', { id: this.id, from: this.client.local, to: this.server.local, port: this.port, reason });
    }
    const told = notify.map((side) => (side === 0 ? this.client : this.server)).filter((end) => end.open);
    this.client.open = false;
    this.server.open = false;
    if (reason !== undefined) for (const end of told) end.closeHandler?.(reason);
  }
}
