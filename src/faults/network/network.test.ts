import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Trace } from '../../sim/index.js';
import { World } from '../world.js';
import type { Datagram } from './network.js';

function threeHosts(seed: number | string = 1, defaults = {}) {
  const world = new World({ seed, network: { defaults } });
  for (const h of ['cp-0', 'node-1', 'node-2']) world.addHost(h, { groups: [h === 'cp-0' ? 'control-plane' : 'nodes'] });
  const inbox = new Map<string, Datagram[]>();
  for (const h of world.hosts.all()) {
    inbox.set(h, []);
    world.host(h).net.bind('p', (m) => inbox.get(h)!.push(m));
  }
  return { world, sim: world.sim, inbox };
}

describe('Network datagrams', () => {
  it('delivers after the link latency', () => {
    const { world, sim, inbox } = threeHosts(1, { latencyMs: 5 });
    world.host('cp-0').net.send('node-1', 'p', 'hello');
    sim.runUntil(4);
    expect(inbox.get('node-1')).toHaveLength(0);
    sim.runUntil(5);
    expect(inbox.get('node-1')!.map((m) => [m.payload, m.from, m.sentAt])).toEqual([['hello', 'cp-0', 0]]);
  });

  it('while a partition is active nothing crosses it in the cut direction; after heal traffic flows', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 3000 })), { maxLength: 100, size: 'large' }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 1500 }),
        fc.boolean(),
        (seed, sends, cutAt, cutFor, oneWay) => {
          const { world, sim } = threeHosts(seed, { latencyMs: 3, jitterMs: 40 });
          const hosts = world.hosts.all();
          const crossings: Array<{ from: string; to: string; t: number; sentAt: number }> = [];
          for (const h of hosts) {
            world.host(h).net.unbind('p');
            world.host(h).net.bind('p', (m: Datagram) => crossings.push({ from: m.from, to: h, t: sim.now, sentAt: m.sentAt }));
          }
          const spec = oneWay
            ? ({ kind: 'partition-one-way', from: 'control-plane', to: 'nodes' } as const)
            : ({ kind: 'partition', groups: ['control-plane', 'nodes'] } as const);
          world.faults.schedule([{ ...spec, at: cutAt, for: cutFor }]);
          for (const [a, b, t] of sends) if (a !== b) sim.at(t, () => world.host(hosts[a]!).net.send(hosts[b]!, 'p', t));
          sim.runUntilIdle();
          const cut = (from: string, to: string) => (from === 'cp-0') !== (to === 'cp-0') && (!oneWay || from === 'cp-0');
          for (const c of crossings) {
            const during = c.t >= cutAt && c.t < cutAt + cutFor;
            expect(during && cut(c.from, c.to)).toBe(false);
          }
          // This network loses nothing, so everything sent after the heal arrives. (A send in the
          // heal's own millisecond may run before it: ties go in scheduling order.)
          const healedAt = cutAt + cutFor;
          const sentAfterHeal = sends.filter(([a, b, t]) => a !== b && t > healedAt).length;
          expect(crossings.filter((c) => c.sentAt > healedAt)).toHaveLength(sentAfterHeal);
        },
      ),
    );
  });

  it('a message sent before a partition is dropped if it would arrive during it', () => {
    const { world, sim, inbox } = threeHosts(1, { latencyMs: 10 });
    world.host('cp-0').net.send('node-1', 'p', 'in flight');
    sim.advance(5);
    const fault = world.faults.inject({ kind: 'partition', groups: [['cp-0'], ['node-1', 'node-2']] });
    sim.advance(20);
    fault.heal();
    world.host('cp-0').net.send('node-1', 'p', 'after heal');
    sim.runUntilIdle();
    expect(inbox.get('node-1')!.map((m) => m.payload)).toEqual(['after heal']);
  });

  it('a one-way partition lets replies through', () => {
    const { world, sim, inbox } = threeHosts();
    world.faults.inject({ kind: 'partition-one-way', from: 'cp-0', to: 'node-1' });
    world.host('cp-0').net.send('node-1', 'p', 'ping');
    world.host('node-1').net.send('cp-0', 'p', 'pong');
    sim.runUntilIdle();
    expect(inbox.get('node-1')).toHaveLength(0);
    expect(inbox.get('cp-0')!.map((m) => m.payload)).toEqual(['pong']);
  });

  it('loses about the loss rate of messages', () => {
    const { world, sim, inbox } = threeHosts(3);
    world.faults.inject({ kind: 'loss', from: 'cp-0', to: 'node-1', rate: 0.25 });
    for (let i = 0; i < 4000; i++) world.host('cp-0').net.send('node-1', 'p', i);
    for (let i = 0; i < 100; i++) world.host('cp-0').net.send('node-2', 'p', i);
    sim.runUntilIdle();
    expect(inbox.get('node-1')!.length).toBeGreaterThan(2800);
    expect(inbox.get('node-1')!.length).toBeLessThan(3200);
    expect(inbox.get('node-2')).toHaveLength(100);
  });

  it('keeps each link FIFO under jitter, and only reordering faults let messages overtake', () => {
    const { world, sim, inbox } = threeHosts(5, { latencyMs: 2, jitterMs: 50 });
    for (let i = 0; i < 500; i++) sim.at(i, () => world.host('cp-0').net.send('node-1', 'p', i));
    sim.runUntilIdle();
    const got = inbox.get('node-1')!.map((m) => m.payload as number);
    expect(got).toEqual([...got].sort((a, b) => a - b));

    world.faults.inject({ kind: 'reorder', from: 'cp-0', to: 'node-2', rate: 0.2, delayMs: 30 });
    for (let i = 0; i < 500; i++) sim.at(sim.now + i, () => world.host('cp-0').net.send('node-2', 'p', i));
    sim.runUntilIdle();
    const reordered = inbox.get('node-2')!.map((m) => m.payload as number);
    expect(reordered).toHaveLength(500);
    expect(reordered).not.toEqual([...reordered].sort((a, b) => a - b));
  });

  it('duplicates about the duplicate rate', () => {
    const { world, sim, inbox } = threeHosts(9);
    world.faults.inject({ kind: 'duplicate', rate: 0.1 });
    for (let i = 0; i < 2000; i++) world.host('node-2').net.send('node-1', 'p', i);
    sim.runUntilIdle();
    const extra = inbox.get('node-1')!.length - 2000;
    expect(extra).toBeGreaterThan(140);
    expect(extra).toBeLessThan(260);
  });

  it('adds latency and serialisation time from latency and bandwidth faults', () => {
    const { world, sim, inbox } = threeHosts(1, { latencyMs: 1 });
    world.faults.inject({ kind: 'latency', from: 'cp-0', to: 'node-1', addMs: 99 });
    world.faults.inject({ kind: 'bandwidth', from: 'cp-0', to: 'node-2', bytesPerSec: 1000, oneWay: true });
    world.host('cp-0').net.send('node-1', 'p', 'slow');
    world.host('cp-0').net.send('node-2', 'p', 'a', 500);
    world.host('cp-0').net.send('node-2', 'p', 'b', 500);
    world.host('node-2').net.send('cp-0', 'p', 'back', 500);
    sim.runUntilIdle();
    expect(inbox.get('node-1')![0]!.payload).toBe('slow');
    expect(world.network.conditions('cp-0', 'node-1').latencyMs).toBe(100);
    expect(world.network.conditions('node-1', 'cp-0').latencyMs).toBe(100);
    // 500 bytes at 1000 B/s take 500 ms each, one after the other on the link; the reverse direction is unlimited.
    expect(inbox.get('node-2')!.map((m) => m.payload)).toEqual(['a', 'b']);
    expect(world.network.conditions('cp-0', 'node-2').bandwidthBytesPerSec).toBe(1000);
    expect(world.network.conditions('node-2', 'cp-0').bandwidthBytesPerSec).toBe(0);
  });

  it('serialises messages on a bandwidth-limited link', () => {
    const world = new World({ seed: 1, network: { defaults: { latencyMs: 1, bandwidthBytesPerSec: 1000 } } });
    world.addHost('a');
    world.addHost('b');
    const arrivals: number[] = [];
    world.host('b').net.bind('p', () => arrivals.push(world.sim.now));
    world.host('a').net.send('b', 'p', 'x', 500);
    world.host('a').net.send('b', 'p', 'y', 500);
    world.sim.runUntilIdle();
    expect(arrivals).toEqual([501, 1001]);
  });

  it('configures links one by one, with uniform or long-tailed (exponential) jitter', () => {
    const world = new World({ seed: 11 });
    for (const h of ['a', 'b', 'c']) world.addHost(h);
    world.network.configureLinks(['a'], ['b'], { latencyMs: 10, jitterMs: 20, distribution: 'uniform' });
    world.network.configureLinks(['a'], ['c'], { latencyMs: 10, jitterMs: 20, distribution: 'exponential' }, false);
    const transit = { b: [] as number[], c: [] as number[] };
    for (const to of ['b', 'c'] as const) world.host(to).net.bind('p', (m: Datagram) => transit[to].push(world.sim.now - m.sentAt));
    for (let i = 0; i < 2000; i++) {
      world.sim.advance(100); // spaced out so FIFO clamping never stretches a transit
      world.host('a').net.send('b', 'p', i);
      world.host('a').net.send('c', 'p', i);
    }
    world.sim.runUntilIdle();
    const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
    expect(Math.min(...transit.b)).toBe(10);
    expect(Math.max(...transit.b)).toBe(30);
    expect(mean(transit.b)).toBeCloseTo(20, 0);
    expect(mean(transit.c)).toBeGreaterThan(28);
    expect(mean(transit.c)).toBeLessThan(32);
    expect(Math.max(...transit.c)).toBeGreaterThan(60); // the long tail
    expect(world.network.conditions('c', 'a').latencyMs).toBe(1); // oneWay: the reverse keeps the defaults
    expect(() => world.network.configureLinks(['a'], ['b'], { loss: 3 })).toThrow('link.loss: must be a number between 0 and 1, got 3');
    expect(() => world.network.configureLinks(['a'], ['b'], { latncyMs: 3 } as never)).toThrow('link.latncyMs: unknown field');
  });

  it('drops messages to a crashed host and to ports nobody listens on, and traces why', () => {
    const world = new World({ seed: 1, trace: new Trace({ keepLines: true }) });
    world.addHost('a');
    world.addHost('b');
    world.host('a').net.send('b', 'nobody', 1);
    world.sim.runUntilIdle();
    world.crash('b');
    world.host('a').net.send('b', 'nobody', 2);
    world.sim.runUntilIdle();
    const drops = world.trace.events().filter((e) => e.type === 'net.drop');
    expect(drops.map((d) => d['reason'])).toEqual(['no-listener', 'host-down']);
  });

  it('rejects unknown hosts with the known ones listed', () => {
    const { world } = threeHosts();
    expect(() => world.host('cp-0').net.send('node-9', 'p', 1)).toThrow('to: unknown host "node-9" (known hosts: cp-0, node-1, node-2)');
  });
});
