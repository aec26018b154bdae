import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { World } from './world.js';
import { checkPlan, describePlan, parsePlan } from './plan.js';
import { nemesis } from './nemesis.js';
import { FaultInputError } from './errors.js';

function world() {
  const w = new World({ seed: 1 });
  w.addHost('cp-0', { groups: ['control-plane'] });
  w.addHost('node-1', { groups: ['nodes'] });
  w.addHost('node-2', { groups: ['nodes'] });
  return w;
}

describe('fault plans', () => {
  it.each([
    [[{ kind: 'crash', host: 'node-9', at: 0 }], 'faults[0].host: unknown host or group "node-9" (known hosts: cp-0, node-1, node-2)'],
    [[{ kind: 'loss', rate: 1.5, at: 0 }], 'faults[0].rate: must be a number between 0 and 1, got 1.5'],
    [[{ kind: 'crash', host: 'node-1', at: -5 }], 'faults[0].at: must be a whole number of milliseconds >= 0, got -5'],
    [[{ kind: 'crash', host: 'node-1', at: 0, for: -1 }], 'faults[0].for: must be a whole number of milliseconds > 0, got -1'],
    [[{ kind: 'latency', at: 0 }], 'faults[0].addMs: is required for a latency fault'],
    [[{ kind: 'flood', at: 0 }], 'faults[0].kind: must be one of partition, partition-one-way, loss, latency, duplicate, reorder, bandwidth, crash, disk-latency, disk-full, disk-eio, clock-jump, clock-skew, clock-drift, got "flood"'],
    [[{ kind: 'crash', host: 'node-1', at: 0, hots: 1 }], 'faults[0].hots: unknown field for a crash fault (expected host)'],
    [[{ kind: 'clock-jump', host: 'node-1', byMs: 5, at: 0, for: 10 }], 'faults[0].for: a clock-jump happens at an instant and has no duration; remove "for"'],
    [[{ kind: 'partition', groups: [['node-1']], at: 0 }], 'faults[0].groups: must be a list of at least 2 groups of hosts, got [["node-1"]]'],
    [[{ kind: 'partition', groups: ['nodes', ['node-1']], at: 0 }], 'faults[0].groups[1]: host "node-1" is already in faults[0].groups[0]'],
    [[{ kind: 'clock-drift', host: 'node-1', ppm: 2e6, at: 0 }], 'faults[0].ppm: must be a number between -500000 and 500000 (parts per million), got 2000000'],
    [
      [
        { kind: 'clock-drift', host: 'nodes', ppm: 100, at: 0, for: 5000 },
        { kind: 'clock-drift', host: 'node-2', ppm: -100, at: 4000 },
      ],
      'faults[1]: contradicts faults[0]: both are clock-drift on "node-2" between 4000 ms and 5000 ms; a host carries one clock-drift at a time',
    ],
    [
      [
        { kind: 'crash', host: 'node-1', at: 100 },
        { kind: 'crash', host: 'node-1', at: 200, for: 10 },
      ],
      'faults[1]: contradicts faults[0]: both are crash on "node-1" between 200 ms and 210 ms; a host carries one crash at a time',
    ],
    ['not a list', 'faults: must be a list of faults, got "not a list"'],
  ])('rejects %j with "%s"', (plan, message) => {
    const issues = checkPlan(plan, world().hosts);
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toContain(message);
  });

  it('reports every issue at once', () => {
    expect(() =>
      parsePlan(
        [
          { kind: 'loss', rate: 2, at: 0 },
          { kind: 'crash', host: 'x', at: 0 },
        ],
        world().hosts,
      ),
    ).toThrow(new FaultInputError([
      { path: 'faults[0].rate', message: 'must be a number between 0 and 1, got 2' },
      { path: 'faults[1].host', message: 'unknown host or group "x" (known hosts: cp-0, node-1, node-2)' },
    ]));
  });

  it('lets link faults and partitions overlap: they compose', () => {
    const plan = [
      { kind: 'loss', rate: 0.5, at: 0, for: 100 },
      { kind: 'loss', rate: 0.5, from: 'nodes', at: 50, for: 100 },
      { kind: 'partition', groups: ['nodes', 'control-plane'], at: 0, for: 100 },
      { kind: 'partition-one-way', from: 'node-1', to: 'node-2', at: 0, for: 100 },
      { kind: 'clock-drift', host: 'node-1', ppm: 5, at: 0, for: 100 },
      { kind: 'clock-drift', host: 'node-1', ppm: 5, at: 100 },
    ];
    expect(checkPlan(plan, world().hosts)).toEqual([]);
  });

  it('combines overlapping loss as independent events', () => {
    const w = world();
    w.faults.inject({ kind: 'loss', rate: 0.5 });
    w.faults.inject({ kind: 'loss', rate: 0.5, from: 'cp-0', to: 'node-1' });
    expect(w.network.conditions('cp-0', 'node-1').loss).toBe(0.75);
    expect(w.network.conditions('node-1', 'node-2').loss).toBe(0.5);
  });

  it('every plan the nemesis generates is valid', () => {
    const w = world();
    fc.assert(
      fc.property(nemesis({ hosts: w.hosts.all(), horizonMs: 120_000, maxFaults: 12 }), (plan) => {
        expect(checkPlan(plan, w.hosts)).toEqual([]);
        for (const f of plan) if (f.kind !== 'clock-jump') expect(f.for).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('describes a plan one fault per line, in time order', () => {
    expect(
      describePlan([
        { kind: 'loss', rate: 0.2, from: 'cp-0', to: 'nodes', at: 500, for: 1000 },
        { kind: 'partition', groups: [['cp-0'], 'nodes'], at: 100 },
      ]),
    ).toBe('@100ms until the end partition [cp-0] | [nodes]\n@500ms +1000ms loss 0.2 cp-0<->nodes');
  });
});

describe('FaultInjector', () => {
  it('schedules injection and heal on the kernel and records both in the trace', () => {
    const w = new World({ seed: 1, trace: undefined });
    w.addHost('a');
    w.addHost('b');
    w.faults.schedule([{ kind: 'crash', host: 'b', at: 1000, for: 500 }]);
    w.sim.advance(999);
    expect(w.hosts.isUp(1)).toBe(true);
    w.sim.advance(1);
    expect(w.hosts.isUp(1)).toBe(false);
    expect(w.faults.list().map((f) => f.spec.kind)).toEqual(['crash']);
    w.sim.advance(500);
    expect(w.hosts.isUp(1)).toBe(true);
    expect(w.faults.list()).toEqual([]);
  });

  it('refuses a second exclusive fault on the same host while the first is in force', () => {
    const w = world();
    const first = w.faults.inject({ kind: 'disk-eio', host: 'node-1', rate: 0.1 });
    expect(() => w.faults.inject({ kind: 'disk-eio', host: 'nodes', rate: 0.2 })).toThrow(
      'fault: "node-1" already has a disk-eio fault in force (fault 1: disk-eio node-1 0.1); heal it first',
    );
    first.heal();
    expect(() => w.faults.inject({ kind: 'disk-eio', host: 'nodes', rate: 0.2 })).not.toThrow();
  });

  it('heals a clock skew back to true time and stops drift without undoing it', () => {
    const w = world();
    const skew = w.faults.inject({ kind: 'clock-skew', host: 'node-1', offsetMs: 60_000 });
    const drift = w.faults.inject({ kind: 'clock-drift', host: 'node-2', ppm: 100_000 });
    w.sim.advance(10_000);
    expect(w.host('node-1').clock.now()).toBe(70_000);
    expect(w.host('node-2').clock.now()).toBe(11_000);
    skew.heal();
    drift.heal();
    w.sim.advance(10_000);
    expect(w.host('node-1').clock.now()).toBe(20_000);
    expect(w.host('node-2').clock.now()).toBe(21_000);
  });
});
