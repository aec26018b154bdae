import { performance } from 'node:perf_hooks';

/** Print one figure in the form scripts read: `bench <name> <value> <unit>`. */
export function figure(name: string, value: number, unit: string): void {
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(value >= 100 ? 0 : 2);
  process.stdout.write(`bench ${name} ${shown} ${unit}\n`);
}

/** Wall-clock milliseconds spent in `fn` (benchmarks are real-time drivers). */
export function timeMs(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** Run `fn` a few times and keep the best (least disturbed) wall time. */
export function bestOf(runs: number, fn: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) best = Math.min(best, timeMs(fn));
  return best;
}
