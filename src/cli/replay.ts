import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { runScenario } from '../scenario/run.js';
import type { StepResult } from '../scenario/result.js';
import { UserInputError } from './plan-file.js';
import { replayCommand } from './replay-command.js';
import { loadScenarioFiles } from './scenario-files.js';

function print(steps: StepResult[], out: (l: string) => void, depth = 0): void {
  for (const s of steps) {
    out(`${'  '.repeat(depth + 1)}${s.status === 'passed' ? '✓' : '✗'} ${(s.startMs / 1000).toFixed(3).padStart(9)}s  ${s.name}${s.error !== undefined && s.children === undefined ? `\n${'  '.repeat(depth + 3)}${s.error}` : ''}`);
    if (s.children !== undefined) print(s.children, out, depth + 1);
  }
}

/** `crucible replay FILE --scenario NAME --seed S`: run one scenario exactly as before and print its trace hash. */
export function replay(file: string, name: string | undefined, seed: string | undefined, out: (l: string) => void): number {
  const all = loadScenarioFiles([file]);
  const scenario = name === undefined && all.length === 1 ? all[0] : all.find((s) => s.name === name);
  if (scenario === undefined) throw new UserInputError(`${file}: no scenario named ${JSON.stringify(name)} (scenarios: ${all.map((s) => s.name).join(', ')})`);
  const r = runScenario(scenario, { readFile: (p) => readFileSync(p, 'utf8'), wallClock: () => performance.now(), ...(seed !== undefined && { seed }), replay: replayCommand });
  out(`${r.name}: ${r.status} (seed ${r.seed})`);
  print(r.steps, out);
  for (const i of r.invariants) if (i.violation !== undefined) out(`  ✗ ${i.violation.message}`);
  if (r.reason !== undefined) out(`  ${r.reason}`);
  out(`trace hash  sha256:${r.traceHash}`);
  out(`virtual     ${(r.virtualMs / 1000).toFixed(3)}s in ${(r.wallMs / 1000).toFixed(3)}s of wall time`);
  return r.status === 'passed' ? 0 : 1;
}
