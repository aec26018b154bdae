import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { World } from './world.js';

type ClockOp = { kind: 'advance'; ms: number } | { kind: 'drift'; ppm: number } | { kind: 'jump'; byMs: number };

const clockOp: fc.Arbitrary<ClockOp> = fc.oneof(
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 100_000 }) }),
  fc.record({ kind: fc.constant('drift' as const), ppm: fc.integer({ min: -500_000, max: 500_000 }) }),
  fc.record({ kind: fc.constant('jump' as const), byMs: fc.integer({ min: -3_600_000, max: 3_600_000 }) }),
);

describe('HostClock', () => {
  it('never goes backwards unless a jump says so, and the monotonic clock never does', () => {
    fc.assert(
      fc.property(fc.array(clockOp, { maxLength: 40, size: 'medium' }), (ops) => {
        const world = new World({ seed: 1 });
        const { clock } = world.addHost('node-1');
        let wall = clock.now();
        let mono = clock.monotonic();
        for (const op of ops) {
          if (op.kind === 'advance') world.sim.advance(op.ms);
          if (op.kind === 'drift') clock.setDrift(op.ppm);
          if (op.kind === 'jump') {
            clock.jump(op.byMs);
            expect(clock.now()).toBe(wall + op.byMs);
            wall = clock.now();
          }
          expect(clock.now()).toBeGreaterThanOrEqual(wall);
          expect(clock.monotonic()).toBeGreaterThanOrEqual(mono);
          wall = clock.now();
          mono = clock.monotonic();
        }
      }),
    );
  });

  it('accumulates drift as specified: ppm parts per million of elapsed true time', () => {
    fc.assert(
      fc.property(fc.integer({ min: -500_000, max: 500_000 }), fc.integer({ min: 0, max: 10_000_000 }), (ppm, elapsed) => {
        const world = new World({ seed: 1 });
        const { clock } = world.addHost('node-1');
        clock.setDrift(ppm);
        world.sim.advance(elapsed);
        expect(clock.now()).toBe(elapsed + Math.floor((elapsed * ppm) / 1e6));
      }),
    );
  });

  it('keeps drift accumulated before a rate change (within 1 ms per change)', () => {
    const world = new World({ seed: 1 });
    const { clock } = world.addHost('node-1');
    clock.setDrift(1000); // 1 ms fast per second
    world.sim.advance(3_600_000);
    expect(clock.offsetMs).toBe(3600);
    clock.setDrift(0);
    world.sim.advance(3_600_000);
    expect(clock.offsetMs).toBe(3600);
  });

  it('skew sets an offset from true time, and each host reads its own clock', () => {
    const world = new World({ seed: 1 });
    const a = world.addHost('a');
    const b = world.addHost('b', { clockOffsetMs: -250 });
    world.sim.advance(1000);
    a.clock.skew(90_000);
    expect(a.clock.now()).toBe(91_000);
    expect(b.clock.now()).toBe(750);
    expect(world.sim.now).toBe(1000);
  });

  it('runs host timers on the host clock rate', () => {
    const world = new World({ seed: 1 });
    const host = world.addHost('node-1');
    host.clock.setDrift(-500_000); // runs at half speed
    let firedAt = -1;
    host.after(10_000, () => (firedAt = world.sim.now));
    world.sim.runUntilIdle();
    expect(firedAt).toBe(20_000);
    expect(host.clock.monotonic()).toBe(10_000);
  });

  it('rejects drift that would stop or reverse the clock', () => {
    const world = new World({ seed: 1 });
    const { clock } = world.addHost('node-1');
    expect(() => clock.setDrift(-1_000_000)).toThrow('ppm: must be a number between -500000 and 500000, got -1000000');
  });
});
