import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadScenarios, type LoadedScenario } from '../scenario/load.js';
import { ScenarioLoadError, type Problem } from '../scenario/problems.js';

const SCENARIO_KIND = /^kind:\s*["']?Scenario["']?\s*(#.*)?$/m;

/**
 * Scenario files under the given paths: files named directly, and the
 * *.yaml / *.yml files in directories (recursively, sorted) that hold a
 * `kind: Scenario` document — manifests kept next to scenarios are not scenarios.
 */
export function findScenarioFiles(paths: string[]): string[] {
  const out: string[] = [];
  const missing: Problem[] = [];
  const walk = (p: string, named: boolean): void => {
    const st = statSync(p);
    if (st.isDirectory()) for (const name of readdirSync(p).sort()) walk(join(p, name), false);
    else if (named) out.push(p);
    else if (/\.ya?ml$/.test(p) && SCENARIO_KIND.test(readFileSync(p, 'utf8'))) out.push(p);
  };
  for (const p of paths) {
    try {
      walk(p, true);
    } catch {
      missing.push({ file: p, path: '', message: 'no such file or directory' });
    }
  }
  if (missing.length > 0) throw new ScenarioLoadError(missing);
  return out.map((f) => relative(process.cwd(), f) || f);
}

/** Load every scenario in the files; every problem in every file is reported before anything runs. */
export function loadScenarioFiles(files: string[]): LoadedScenario[] {
  const problems: Problem[] = [];
  const out: LoadedScenario[] = [];
  const readFile = (p: string) => readFileSync(p, 'utf8');
  for (const file of files) {
    try {
      out.push(...loadScenarios(readFile(file), file, readFile));
    } catch (e) {
      if (!(e instanceof ScenarioLoadError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length > 0) throw new ScenarioLoadError(problems);
  return out;
}
