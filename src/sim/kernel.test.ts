import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation, SimulationLimitError } from './kernel.js';

describe('Simulation kernel', () => {
  it('fires timers in (time, scheduling order), whatever order they were scheduled in', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 200 }), (delays) => {
        const sim = new Simulation({ seed: 1 });
        const fired: Array<[number, number]> = [];
        delays.forEach((d, i) => sim.schedule(d, () => fired.push([sim.now, i])));
        sim.runUntilIdle();
        const expected = delays.map((d, i) => [d, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(fired).toEqual(expected);
      }),
    );
  });

  it('skips idle time instead of waiting for it', () => {
    const sim = new Simulation({ seed: 1 });
    let firedAt = -1;
    sim.schedule(365 * 24 * 3600 * 1000, () => (firedAt = sim.now));
    sim.runUntilIdle();
    expect(firedAt).toBe(365 * 24 * 3600 * 1000);
    expect(sim.eventsRun).toBe(1);
  });

  it('matches a sorted reference under random schedules, cancels and partial runs', () => {
    type Op = { kind: 'schedule'; delay: number } | { kind: 'cancel'; pick: number } | { kind: 'advance'; ms: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { arbitrary: fc.record({ kind: fc.constant('schedule' as const), delay: fc.integer({ min: 0, max: 1000 }) }), weight: 6 },
      { arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }), weight: 3 },
      { arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 60 }) }), weight: 1 },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 1500, size: 'large' }), (ops) => {
        const sim = new Simulation({ seed: 1 });
        const fired: number[] = [];
        const model: Array<{ id: number; at: number; live: boolean }> = [];
        const timers: Array<ReturnType<Simulation['schedule']>> = [];
        const expected: number[] = [];
        const fireModelUntil = (t: number) => {
          const due = model.filter((m) => m.live && m.at <= t).sort((a, b) => a.at - b.at || a.id - b.id);
          for (const m of due) {
            m.live = false;
            expected.push(m.id);
          }
        };
        for (const o of ops) {
          if (o.kind === 'schedule') {
            const id = model.length;
            model.push({ id, at: sim.now + o.delay, live: true });
            timers.push(sim.schedule(o.delay, () => fired.push(id)));
          } else if (o.kind === 'cancel' && timers.length > 0) {
            const i = o.pick % timers.length;
            timers[i]!.cancel();
            model[i]!.live = false;
          } else if (o.kind === 'advance') {
            fireModelUntil(sim.now + o.ms);
            sim.advance(o.ms);
          }
        }
        expect(sim.pendingCount).toBe(model.filter((m) => m.live).length);
        fireModelUntil(Number.POSITIVE_INFINITY);
        sim.runUntilIdle();
        expect(fired).toEqual(expected);
      }),
    );
  });

  it('never runs a cancelled timer, and cancelling twice is harmless', () => {
    const sim = new Simulation({ seed: 1 });
    const ran: string[] = [];
    const a = sim.schedule(5, () => ran.push('a'));
    sim.schedule(6, () => ran.push('b'));
    a.cancel();
    a.cancel();
    expect(a.pending).toBe(false);
    sim.runUntilIdle();
    expect(ran).toEqual(['b']);
  });

  it('keeps its order after mass cancellation compacts the queue', () => {
    const sim = new Simulation({ seed: 1 });
    const ran: number[] = [];
    const timers = Array.from({ length: 5000 }, (_, i) => sim.schedule(5000 - i, () => ran.push(5000 - i)));
    timers.forEach((t, i) => i % 5 !== 0 && t.cancel());
    expect(sim.pendingCount).toBe(1000);
    sim.runUntilIdle();
    expect(ran).toEqual([...ran].sort((x, y) => x - y));
    expect(ran).toHaveLength(1000);
  });

  it('runUntil(time) runs what is due and sets the clock to the target', () => {
    const sim = new Simulation({ seed: 1 });
    const ran: number[] = [];
    sim.schedule(10, () => ran.push(10));
    sim.schedule(20, () => ran.push(20));
    sim.schedule(21, () => ran.push(21));
    sim.runUntil(20);
    expect(ran).toEqual([10, 20]);
    expect(sim.now).toBe(20);
    sim.advance(100);
    expect(ran).toEqual([10, 20, 21]);
    expect(sim.now).toBe(120);
  });

  it('runUntil(predicate) stops at the event that satisfies it, or at the timeout', () => {
    const sim = new Simulation({ seed: 1 });
    let count = 0;
    const tick = (): void => {
      count++;
      sim.schedule(7, tick);
    };
    sim.schedule(7, tick);
    expect(sim.runUntil(() => count === 3, { timeoutMs: 1000 })).toBe(true);
    expect(sim.now).toBe(21);
    expect(sim.runUntil(() => count === 1000, { timeoutMs: 100 })).toBe(false);
    expect(sim.now).toBe(121);
  });

  it('refuses to be re-entered from inside an event', () => {
    const sim = new Simulation({ seed: 1 });
    let error: unknown;
    sim.schedule(1, () => {
      try {
        sim.advance(1);
      } catch (e) {
        error = e;
      }
    });
    sim.runUntilIdle();
    expect(String(error)).toMatch(/already running/);
  });

  it('rejects bad delays with the value in the message', () => {
    const sim = new Simulation({ seed: 1 });
    expect(() => sim.schedule(-1, () => {})).toThrow('delayMs must be a non-negative integer, got -1');
    expect(() => sim.schedule(1.5, () => {})).toThrow('got 1.5');
    sim.advance(10);
    expect(() => sim.at(5, () => {})).toThrow('not before now (10), got 5');
  });

  it('runUntilIdle reports periodic work that never drains', () => {
    const sim = new Simulation({ seed: 1 });
    const tick = (): void => void sim.schedule(1000, tick);
    sim.schedule(1000, tick);
    expect(() => sim.runUntilIdle({ maxTimeMs: 60_000 })).toThrow(SimulationLimitError);
    expect(sim.now).toBe(60_000);
  });

  it('records labelled timers in the trace and leaves unlabelled ones out', () => {
    const sim = new Simulation({ seed: 1 });
    sim.schedule(3, () => {}, 'resync');
    sim.schedule(4, () => {});
    sim.runUntilIdle();
    expect(sim.trace.count).toBe(1);
  });
});
