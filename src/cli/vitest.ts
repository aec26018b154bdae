import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findScenarioFiles, loadScenarioFiles } from './scenario-files.js';
import { runScenario } from '../scenario/run.js';
import type { ScenarioResult } from '../scenario/result.js';

/** A failed scenario as one readable message: the reason, each failed step, violated invariants, and the replay command. */
export function explain(r: ScenarioResult): string {
  const lines = [`${r.name} ${r.status} (seed ${r.seed}): ${r.reason ?? ''}`];
  for (const i of r.invariants) if (i.violation !== undefined) lines.push(`  ${i.violation.message}`);
  lines.push(`  replay: ${r.replay}`);
  return lines.join('\n');
}

/**
 * Run scenario files as vitest tests, one test per scenario (and matrix
 * entry), so `npm test` covers them: `scenarioTests(['scenarios'])` in a
 * *.test.ts file. A failure prints the reason, the seed and the replay command.
 */
export function scenarioTests(paths: string[], options: { timeoutMs?: number } = {}): void {
  const scenarios = loadScenarioFiles(findScenarioFiles(paths));
  const files = [...new Set(scenarios.map((s) => s.file))];
  for (const file of files) {
    describe(file, () => {
      for (const s of scenarios.filter((x) => x.file === file)) {
        it(s.name, () => {
          const r = runScenario(s, { readFile: (p) => readFileSync(p, 'utf8') });
          expect(r.status, explain(r)).toBe('passed');
        }, options.timeoutMs ?? 120_000);
      }
    });
  }
}
