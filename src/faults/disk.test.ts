import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { World } from './world.js';
import { DiskError, type DiskRecord } from './disk.js';

function setup(seed: number | string = 1, capacityBytes = 1_000_000) {
  const world = new World({ seed });
  const host = world.addHost('etcd-0', { disk: { capacityBytes, fsyncLatencyMs: 3, writeLatencyMs: 1 } });
  return { world, disk: host.disk, sim: world.sim };
}

describe('Disk', () => {
  it('completes operations in order after their latency', () => {
    const { disk, sim } = setup();
    const done: Array<[string, number]> = [];
    disk.append('wal', 'a', () => done.push(['append', sim.now]));
    disk.fsync('wal', () => done.push(['fsync', sim.now]));
    disk.read('wal', (_e, records) => done.push([`read ${records?.join('')}`, sim.now]));
    sim.runUntilIdle();
    expect(done).toEqual([
      ['append', 1],
      ['fsync', 4],
      ['read a', 4],
    ]);
  });

  it('fsynced records survive a crash; unsynced ones may be lost but are never corrupted or reordered', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.boolean()), { minLength: 1, maxLength: 30, size: 'medium' }), (seed, writes) => {
        const { world, disk, sim } = setup(seed);
        const acknowledgedDurable: DiskRecord[] = [];
        const all: string[] = [];
        for (const [record, sync] of writes) {
          all.push(record);
          disk.append('wal', record, (err) => expect(err).toBeNull());
          if (sync) {
            const upTo = all.slice();
            disk.fsync('wal', (err) => {
              expect(err).toBeNull();
              acknowledgedDurable.splice(0, acknowledgedDurable.length, ...upTo);
            });
          }
        }
        sim.runUntilIdle();
        world.crash('etcd-0');
        world.restart('etcd-0');
        let after: readonly DiskRecord[] = [];
        disk.read('wal', (err, records) => {
          expect(err).toBeNull();
          after = records!;
        });
        sim.runUntilIdle();
        // Everything acknowledged as durable is there, in order...
        expect(after.slice(0, acknowledgedDurable.length)).toEqual(acknowledgedDurable);
        // ...and what remains is a prefix of what was written: nothing corrupted, reordered or invented.
        expect(after).toEqual(all.slice(0, after.length));
      }),
    );
  });

  it('loses at least some unsynced data on some crashes (the fault is real)', () => {
    let lost = 0;
    for (let seed = 0; seed < 20; seed++) {
      const { world, disk, sim } = setup(seed);
      for (let i = 0; i < 10; i++) disk.append('wal', `r${i}`, () => {});
      sim.runUntilIdle();
      world.crash('etcd-0');
      if (disk.durableRecords('wal').length < 10) lost++;
    }
    expect(lost).toBeGreaterThan(0);
  });

  it('operations still queued when the host crashes never complete', () => {
    const { world, disk, sim } = setup();
    let called = false;
    disk.append('wal', 'x', () => (called = true));
    world.crash('etcd-0');
    sim.runUntilIdle();
    expect(called).toBe(false);
  });

  it('fails writes with ENOSPC when full, and frees space on remove', () => {
    const { disk, sim } = setup(1, 10);
    const errors: Array<string | null> = [];
    disk.append('f', '12345678', (e) => errors.push(e?.code ?? null));
    disk.append('f', '123', (e) => errors.push(e?.code ?? null));
    sim.runUntilIdle();
    expect(errors).toEqual([null, 'ENOSPC']);
    expect(disk.usedBytes).toBe(8);
    disk.remove('f', () => {});
    sim.runUntilIdle();
    expect(disk.availableBytes).toBe(10);
  });

  it('a disk-full fault makes every growing write fail with ENOSPC until healed', () => {
    const { world, disk, sim } = setup();
    const fault = world.faults.inject({ kind: 'disk-full', host: 'etcd-0' });
    let error: DiskError | null = null;
    disk.append('wal', 'x', (e) => (error = e));
    sim.runUntilIdle();
    expect(error).toBeInstanceOf(DiskError);
    expect(String(error)).toBe('DiskError: ENOSPC: append wal: no space left on device');
    fault.heal();
    disk.append('wal', 'x', (e) => (error = e));
    sim.runUntilIdle();
    expect(error).toBeNull();
  });

  it('an EIO fault fails about its rate of operations, with no effect on the file', () => {
    const { world, disk, sim } = setup(7);
    world.faults.inject({ kind: 'disk-eio', host: 'etcd-0', rate: 0.3 });
    let failed = 0;
    let ok = 0;
    for (let i = 0; i < 1000; i++) disk.append('log', `${i}`, (e) => (e?.code === 'EIO' ? failed++ : ok++));
    sim.runUntilIdle();
    expect(failed).toBeGreaterThan(230);
    expect(failed).toBeLessThan(370);
    let records: readonly DiskRecord[] = [];
    world.faults.healAll();
    disk.read('log', (_e, r) => (records = r!));
    sim.runUntilIdle();
    expect(records).toHaveLength(ok);
  });

  it('a disk-latency fault slows every operation', () => {
    const { world, disk, sim } = setup();
    world.faults.inject({ kind: 'disk-latency', host: 'etcd-0', addMs: 500 });
    let doneAt = -1;
    disk.fsync('missing', () => (doneAt = sim.now));
    sim.runUntilIdle();
    expect(doneAt).toBe(503);
  });

  it('reports a missing file as ENOENT', () => {
    const { disk, sim } = setup();
    let code: string | undefined;
    disk.read('nope', (e) => (code = e?.code));
    sim.runUntilIdle();
    expect(code).toBe('ENOENT');
  });

  it('writeFile replaces content, and a crash keeps either the old or the new content whole', () => {
    for (let seed = 0; seed < 30; seed++) {
      const { world, disk, sim } = setup(seed);
      disk.writeFile('state', 'old', () => {});
      disk.fsync('state', () => {});
      disk.writeFile('state', 'new', () => {});
      sim.runUntilIdle();
      world.crash('etcd-0');
      expect([['old'], [], ['new']]).toContainEqual(disk.durableRecords('state'));
    }
  });
});
