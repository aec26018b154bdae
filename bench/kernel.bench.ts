// Kernel throughput on a timer-heavy workload, and memory per queued event.
import { Simulation } from '../src/sim/index.js';
import { bestOf, figure } from './report.js';

export const name = 'kernel';

/**
 * 10,000 "probe workers", each a periodic timer (period 1..10 s) that also
 * arms a timeout and cancels it, as a prober does with its timeoutSeconds:
 * two schedules and one cancel per tick.
 */
function timerHeavy(events: number): number {
  const sim = new Simulation({ seed: 'bench' });
  const rng = sim.random.stream('bench/periods');
  for (let w = 0; w < 10_000; w++) {
    const period = rng.int(1_000, 10_000);
    const tick = (): void => {
      const timeout = sim.schedule(1_000, () => {});
      timeout.cancel();
      sim.schedule(period, tick);
    };
    sim.schedule(rng.int(0, period), tick);
  }
  sim.runUntil(() => sim.eventsRun >= events, { timeoutMs: Number.MAX_SAFE_INTEGER - 1 });
  return sim.eventsRun;
}

function memoryPerMillion(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  gc();
  const before = process.memoryUsage().heapUsed;
  const sim = new Simulation({ seed: 'bench' });
  let fired = 0;
  const fn = (): void => void fired++;
  for (let i = 0; i < 1_000_000; i++) sim.schedule(i % 100_000, fn);
  gc();
  const after = process.memoryUsage().heapUsed;
  if (sim.pendingCount !== 1_000_000) throw new Error('queue lost events');
  return after - before;
}

export function run(): void {
  const events = 5_000_000;
  timerHeavy(500_000); // warm up the JIT
  const ms = bestOf(3, () => timerHeavy(events));
  figure('kernel.events_per_sec', Math.round((events / ms) * 1000), 'ev/s');
  figure('kernel.bytes_per_queued_event', Math.round(memoryPerMillion() / 1_000_000), 'B');
  figure('kernel.mib_per_million_queued_events', memoryPerMillion() / 2 ** 20, 'MiB');
}
