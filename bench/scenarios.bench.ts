// The starter scenarios: wall time per scenario and the simulated-to-wall ratio (issue 6's aim: at least 1,000×).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { findScenarioFiles, loadScenarioFiles } from '../src/cli/scenario-files.js';
import { runScenario } from '../src/scenario/run.js';
import { figure } from './report.js';

export const name = 'scenarios';

export function run(): void {
  const scenarios = loadScenarioFiles(findScenarioFiles(['scenarios']));
  // Warm up the JIT on one run of each, then keep the best of three.
  for (const s of scenarios) runScenario(s, { readFile: (p) => readFileSync(p, 'utf8') });
  for (const s of scenarios) {
    let best = Infinity;
    let virtualMs = 0;
    for (let i = 0; i < 3; i++) {
      const r = runScenario(s, { readFile: (p) => readFileSync(p, 'utf8'), wallClock: () => performance.now() });
      if (r.status !== 'passed') throw new Error(`${s.name} ${r.status}: ${r.reason}`);
      best = Math.min(best, r.wallMs);
      virtualMs = r.virtualMs;
    }
    figure(`scenario ${s.name} wall`, best, 'ms');
    figure(`scenario ${s.name} speed`, Math.round(virtualMs / best), 'x real time');
  }
}
