import type { ScenarioResult, Status } from '../scenario/result.js';

/** Everything one `crucible run` produced: the model every reporter renders (report.json is this, verbatim). */
export interface RunReport {
  /** The model's format version. */
  version: 1;
  run: {
    id: string;
    startedAt: string;
    finishedAt: string;
    crucible: string;
    command: string;
    /** Backends this run used; a scenario not run on one is listed as skipped with the reason. */
    backends: string[];
    seed?: string;
  };
  scenarios: ScenarioResult[];
  summary: Record<Status, number> & { total: number; wallMs: number; virtualMs: number };
}

export function summarize(scenarios: ScenarioResult[], wallMs: number): RunReport['summary'] {
  const count = (s: Status) => scenarios.filter((x) => x.status === s).length;
  return { total: scenarios.length, passed: count('passed'), failed: count('failed'), skipped: count('skipped'), error: count('error'), wallMs, virtualMs: scenarios.reduce((n, s) => n + s.virtualMs, 0) };
}

/** A reporter: one file of the report directory, rendered from the model. */
export interface Reporter {
  file: string;
  render(report: RunReport): string;
}

/** Scenarios by area, in first-seen order (the conformance matrix's rows); a scenario run on several backends is one row. */
export function byArea(report: RunReport): Array<[string, ScenarioResult[]]> {
  const areas = new Map<string, ScenarioResult[]>();
  const seen = new Set<string>();
  for (const s of report.scenarios) {
    if (seen.has(s.name)) continue;
    seen.add(s.name);
    if (!areas.has(s.area)) areas.set(s.area, []);
    areas.get(s.area)!.push(s);
  }
  return [...areas];
}

/** The result of a scenario on a backend, if it ran there. */
export const resultOn = (report: RunReport, name: string, backend: string): ScenarioResult | undefined => report.scenarios.find((s) => s.name === name && s.backend === backend);

export const STATUS_MARK: Record<Status, string> = { passed: '✅ passed', failed: '❌ failed', skipped: '⏭ skipped', error: '⚠ error' };
