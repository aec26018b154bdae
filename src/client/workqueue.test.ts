import { describe, expect, it } from 'vitest';
import { World } from '../faults/index.js';
import { WorkQueue } from './workqueue.js';

function setup() {
  const world = new World({ seed: 1 });
  const host = world.addHost('cp-0');
  return { world, host, queue: new WorkQueue(host) };
}

describe('WorkQueue (client-go semantics)', () => {
  it('queues a key once however often it is added', () => {
    const { world, queue } = setup();
    const processed: string[] = [];
    queue.add('a');
    queue.add('a');
    queue.add('b');
    queue.add('a');
    queue.run(1, (k, done) => {
      processed.push(k);
      done();
    });
    world.sim.runUntil(100);
    expect(processed).toEqual(['a', 'b']);
  });

  it('never processes one key on two workers, and re-queues a key added while it was processing', () => {
    const { world, host, queue } = setup();
    const log: string[] = [];
    let active = 0;
    queue.run(4, (k, done) => {
      active++;
      expect(active).toBe(1);
      log.push(`start ${k} @${world.sim.now}`);
      host.after(10, () => {
        active--;
        log.push(`end ${k} @${world.sim.now}`);
        done();
      });
    });
    queue.add('x');
    world.sim.runUntil(5);
    queue.add('x');
    queue.add('x');
    world.sim.runUntil(100);
    expect(log).toEqual(['start x @0', 'end x @10', 'start x @10', 'end x @20']);
  });

  it('backs a failing key off exponentially from 5 ms, and forget resets it', () => {
    const { world, queue } = setup();
    const at: number[] = [];
    let failures = 0;
    queue.run(1, (k, done) => {
      at.push(world.sim.now);
      if (failures++ < 4) queue.addRateLimited(k);
      else queue.forget(k);
      done();
    });
    queue.add('k');
    world.sim.runUntil(1000);
    expect(at.map((t, i) => (i === 0 ? 0 : t - at[i - 1]!))).toEqual([0, 5, 10, 20, 40]);
    expect(queue.numRequeues('k')).toBe(0);
  });

  it('limits the overall rate with a token bucket (10 per second after a burst of 100)', () => {
    const { world, queue } = setup();
    const at: number[] = [];
    queue.run(1, (_k, done) => {
      at.push(world.sim.now);
      done();
    });
    for (let i = 0; i < 105; i++) queue.addRateLimited(`k${i}`);
    world.sim.runUntil(10_000);
    expect(at.slice(0, 100).every((t) => t === 5)).toBe(true);
    expect(at.slice(100)).toEqual([100, 200, 300, 400, 500]);
  });
});
