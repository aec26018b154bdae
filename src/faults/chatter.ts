import { Trace } from '../sim/index.js';
import type { FaultPlan } from './plan.js';
import type { HostContext } from './host-context.js';
import type { StreamEnd } from './network/stream.js';
import { World } from './world.js';

export interface ChatterOptions {
  hosts?: number;
  /** How long the workload sends; the run goes on for `settleMs` more so faults heal and traffic drains. */
  horizonMs?: number;
  settleMs?: number;
  keepLines?: boolean;
}

export interface ChatterResult {
  hash: string;
  events: number;
  world: World;
}

/**
 * A workload that touches every part of the world: hosts gossip datagrams
 * to random peers, every host keeps a stream to host-0 (reconnecting after
 * a break, as an informer re-watches), logs what it receives to its disk
 * with periodic fsyncs, and records its clock. Used by the determinism
 * properties, the child-process replay check and the demo.
 */
export function runChatter(seed: string | number, plan: FaultPlan, options: ChatterOptions = {}): ChatterResult {
  const hostCount = options.hosts ?? 4;
  const horizonMs = options.horizonMs ?? 60_000;
  const world = new World({ seed, trace: new Trace({ keepLines: options.keepLines ?? false }), network: { defaults: { latencyMs: 2, jitterMs: 3 } } });
  const names = Array.from({ length: hostCount }, (_, i) => `host-${i}`);
  names.forEach((n, i) => world.addHost(n, { groups: [i === 0 ? 'hub' : 'spokes'] }));
  for (const name of names) startProcess(world.host(name), names, horizonMs);
  world.faults.schedule(plan);
  world.sim.runUntil(horizonMs + (options.settleMs ?? 120_000));
  return { hash: world.trace.hash, events: world.trace.count, world };
}

function startProcess(host: HostContext, names: string[], horizonMs: number): void {
  const rng = host.rng('chatter');
  const peers = names.filter((n) => n !== host.name);
  let received = 0;
  let stream: StreamEnd<number> | undefined;
  let seq = 0;

  const onMessage = (payload: unknown): void => {
    received++;
    host.disk.append('inbox.log', JSON.stringify(payload), (err) => err && host.log('disk.error', { code: err.code }));
    if (received % 10 === 0) host.disk.fsync('inbox.log', (err) => host.log('disk.fsync', { ok: err === null, received }));
  };

  const gossip = (): void => {
    if (host.clock.monotonic() > horizonMs) return;
    host.net.send(rng.pick(peers), 'gossip', { from: host.name, n: rng.int(0, 1000) }, rng.int(64, 2048));
    host.after(rng.int(100, 300), gossip);
  };

  const connect = (): void => {
    if (host.name === names[0] || host.clock.monotonic() > horizonMs) return;
    stream = host.net.connect<number>(names[0]!, 'watch', { breakAfterMs: 10_000 });
    stream.onClose((reason) => {
      host.log('watch.broken', { reason });
      host.after(1_000, connect);
    });
  };

  const tick = (): void => {
    if (stream?.open) stream.send(seq++);
    host.log('clock', { wall: host.clock.now() });
    if (host.clock.monotonic() <= horizonMs) host.after(1_000, tick);
  };

  const start = (): void => {
    host.net.bind('gossip', (m) => onMessage(m.payload));
    host.net.listen<number>('watch', (end) => end.onMessage((n) => onMessage(n)));
    host.disk.read('inbox.log', (err, records) => host.log('recovered', { records: err ? 0 : records!.length }));
    host.after(rng.int(0, 200), gossip);
    host.after(0, connect);
    host.after(1_000, tick);
  };

  host.onRestart(start);
  start();
}
