import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { htmlReporter, jsonReporter, junitReporter, markdownReporter, type Reporter, type RunReport } from '../report/index.js';

const require = createRequire(import.meta.url);

/** The reporters every run writes, as plugins over the one model (the HTML page gets uPlot inlined). */
export function defaultReporters(): Reporter[] {
  const assets = { uplotJs: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'), uplotCss: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8') };
  return [jsonReporter, junitReporter, markdownReporter, htmlReporter(assets)];
}

/**
 * Write `<root>/<run id>/` atomically: every file is rendered first, then
 * written into a hidden temporary directory that is renamed into place, so
 * a run killed half-way never leaves a half-written report where a good one
 * was. Returns the directory.
 */
export function writeReport(root: string, report: RunReport, reporters: Reporter[] = defaultReporters(), dirName = report.run.id): string {
  const rendered = reporters.map((r) => ({ file: r.file, text: r.render(report) }));
  mkdirSync(root, { recursive: true });
  const final = join(root, dirName);
  const tmp = join(root, `.tmp-${dirName}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  for (const r of rendered) writeFileSync(join(tmp, r.file), r.text);
  if (existsSync(final)) {
    // Replace an existing directory in two renames so the old one is whole until the new one is.
    const old = join(root, `.old-${dirName}-${process.pid}`);
    renameSync(final, old);
    renameSync(tmp, final);
    rmSync(old, { recursive: true, force: true });
  } else renameSync(tmp, final);
  return final;
}
