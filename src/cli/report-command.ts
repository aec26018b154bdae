import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { RunReport } from '../report/index.js';
import { UserInputError } from './plan-file.js';
import { writeReport } from './write-report.js';

/** `crucible report RUN_DIR`: render junit.xml, report.md and report.html again from report.json (atomically). */
export function reportCommand(runDir: string, out: (l: string) => void): number {
  let report: RunReport;
  try {
    report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as RunReport;
  } catch (e) {
    throw new UserInputError(`${join(runDir, 'report.json')}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (expected a run directory written by crucible run)' : `not a report: ${(e as Error).message}`}`);
  }
  if (report.version !== 1 || !Array.isArray(report.scenarios)) throw new UserInputError(`${join(runDir, 'report.json')}: not a crucible report (version ${JSON.stringify(report.version)})`);
  const dir = writeReport(dirname(runDir), report, undefined, basename(runDir));
  out(`rendered ${join(dir, 'report.html')}, report.md and junit.xml from report.json`);
  return 0;
}
