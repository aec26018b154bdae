import type { StepResult } from '../scenario/result.js';
import { byArea, resultOn, STATUS_MARK, type Reporter, type RunReport } from './model.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 0)}s`;

function steps(list: StepResult[], depth = 0): string[] {
  return list.flatMap((s) => [`${'  '.repeat(depth)}- ${s.status === 'passed' ? '✅' : '❌'} ${cell(s.name)} (${secs(s.startMs)} → ${secs(s.endMs)})${s.error !== undefined && s.children === undefined ? ` — ${cell(s.error)}` : ''}`, ...(s.children !== undefined ? steps(s.children, depth + 1) : [])]);
}

/** report.md: summary, the conformance matrix (areas × scenarios × backends), then each scenario with its steps and, on failure, evidence. */
export const markdownReporter: Reporter = {
  file: 'report.md',
  render(report: RunReport): string {
    const out: string[] = [];
    const s = report.summary;
    out.push(`# Crucible conformance report ${report.run.id}`, '');
    out.push(`${s.total} scenarios: ${s.passed} passed, ${s.failed} failed, ${s.error} errors, ${s.skipped} skipped — ${secs(s.virtualMs)} of virtual time in ${secs(s.wallMs)} of wall time.`, '');
    out.push(`Command: \`${report.run.command}\` · started ${report.run.startedAt} · crucible ${report.run.crucible}`, '');
    out.push('## Conformance matrix', '', `| area | scenario | rule | ${report.run.backends.join(' | ')} |`, `| --- | --- | --- | ${report.run.backends.map(() => '---').join(' | ')} |`);
    for (const [area, list] of byArea(report)) {
      for (const sc of list) {
        const cols = report.run.backends.map((b) => {
          const r = resultOn(report, sc.name, b);
          return r === undefined ? `⏭ skipped: not run on ${b}` : `${STATUS_MARK[r.status]}${r.status === 'skipped' ? `: ${cell(r.reason ?? '')}` : ''}`;
        });
        out.push(`| ${area} | ${cell(sc.name)} | ${cell(sc.conformance?.rule ?? '')} | ${cols.join(' | ')} |`);
      }
    }
    out.push('');
    for (const sc of report.scenarios) {
      out.push(`## ${sc.name}${report.run.backends.length > 1 ? ` on ${sc.backend}` : ''} — ${STATUS_MARK[sc.status]}`, '');
      if (sc.description !== undefined) out.push(sc.description, '');
      out.push(`- file: \`${sc.file}\`, seed \`${sc.seed}\`, trace hash \`${sc.traceHash.slice(0, 16)}…\``, `- ${secs(sc.virtualMs)} virtual in ${secs(sc.wallMs)} wall (${Math.round(sc.virtualMs / Math.max(sc.wallMs, 0.001))}× real time)`);
      if (sc.conformance?.source !== undefined) out.push(`- upstream: ${sc.conformance.source}`);
      if (sc.reason !== undefined) out.push(`- reason: ${cell(sc.reason)}`);
      if (sc.status === 'failed' || sc.status === 'error') out.push(`- replay: \`${sc.replay}\``);
      out.push('', ...steps(sc.steps), '');
      if (sc.invariants.length > 0) out.push('Invariants:', '', ...sc.invariants.map((i) => `- ${i.status === 'violated' ? '❌' : '✅'} ${cell(i.name)} (${i.checks} checks)${i.violation !== undefined ? ` — ${cell(i.violation.message)}` : ''}`), '');
      for (const v of sc.views) out.push(`<details><summary>${v.command} (at ${secs(v.atMs)})</summary>`, '', '```', v.output.trimEnd(), '```', '', '</details>', '');
      for (const e of sc.evidence) out.push(`<details><summary>evidence: ${e.title}</summary>`, '', '```', e.text.trimEnd(), '```', '', '</details>', '');
    }
    return `${out.join('\n')}\n`;
  },
};
