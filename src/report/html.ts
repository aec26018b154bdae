import type { ScenarioResult, StepResult } from '../scenario/result.js';
import { byArea, resultOn, type Reporter, type RunReport } from './model.js';

/** uPlot's script and stylesheet (MIT, ~50 KB), inlined so the page works offline, from a CI artifact or a mail attachment. */
export interface HtmlAssets {
  uplotJs: string;
  uplotCss: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 0)}s`;
const badge = (status: string) => `<span class="badge ${status}">${status}</span>`;
const id = (s: ScenarioResult, i: number) => `s${i}-${s.name.replace(/[^a-z0-9-]/gi, '-')}`;

function stepsHtml(steps: StepResult[]): string {
  return `<ol class="steps">${steps
    .map((s) => `<li class="${s.status}"><span class="t">${secs(s.startMs)}–${secs(s.endMs)}</span> ${esc(s.name)}${s.error !== undefined && s.children === undefined ? `<div class="err">${esc(s.error)}</div>` : ''}${s.children !== undefined ? stepsHtml(s.children) : ''}</li>`)
    .join('')}</ol>`;
}

function scenarioHtml(s: ScenarioResult, i: number): string {
  const charts = s.timeline.t.length > 1 ? `<div class="charts"><div id="${id(s, i)}-pods"></div><div id="${id(s, i)}-replicasets"></div><div id="${id(s, i)}-memory"></div></div>` : '';
  return `<section class="scenario" id="${id(s, i)}">
<h2>${badge(s.status)} ${esc(s.name)} <span class="t">${esc(s.backend)}</span></h2>
<p class="meta">area <b>${esc(s.area)}</b> · seed <code>${esc(s.seed)}</code> · trace <code>${esc(s.traceHash.slice(0, 16))}…</code> · ${secs(s.virtualMs)} virtual in ${secs(s.wallMs)} wall (${Math.round(s.virtualMs / Math.max(s.wallMs, 0.001))}×) · <code>${esc(s.file)}</code></p>
${s.description !== undefined ? `<p>${esc(s.description)}</p>` : ''}${s.conformance?.rule !== undefined ? `<p class="rule">Rule: ${esc(s.conformance.rule)}${s.conformance.source !== undefined ? ` — <i>${esc(s.conformance.source)}</i>` : ''}</p>` : ''}
${s.reason !== undefined ? `<p class="reason">${esc(s.reason)}</p>` : ''}${s.status === 'failed' || s.status === 'error' ? `<p>Replay: <code>${esc(s.replay)}</code></p>` : ''}
${charts}
<h3>Steps</h3>${stepsHtml(s.steps)}
${s.invariants.length > 0 ? `<h3>Invariants</h3><ul>${s.invariants.map((v) => `<li class="${v.status === 'violated' ? 'failed' : 'passed'}">${esc(v.name)} (${v.checks} checks)${v.violation !== undefined ? `<div class="err">${esc(v.violation.message)}</div>` : ''}</li>`).join('')}</ul>` : ''}
${s.views.map((v) => `<details open><summary>${esc(v.command)} <span class="t">at ${secs(v.atMs)}</span></summary><pre>${esc(v.output)}</pre></details>`).join('\n')}
${s.evidence.map((e) => `<details><summary>evidence: ${esc(e.title)}</summary><pre>${esc(e.text)}</pre></details>`).join('\n')}
</section>`;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}header{background:#1d2330;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}main{padding:16px 24px;max-width:1400px}
table{border-collapse:collapse;background:#fff;margin:8px 0 24px}th,td{border:1px solid #d8dce3;padding:4px 10px;text-align:left;vertical-align:top}th{background:#eceff3}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;color:#fff;text-transform:uppercase}.badge.passed{background:#1f9d55}.badge.failed{background:#cc1f1a}.badge.error{background:#b7791f}.badge.skipped{background:#8795a1}
.scenario{background:#fff;border:1px solid #d8dce3;border-radius:6px;padding:8px 16px;margin:16px 0}.scenario h2{font-size:17px}.meta{color:#606f7b;font-size:13px}.reason,.err{color:#cc1f1a;white-space:pre-wrap}
.steps{padding-left:22px}.steps li.failed{color:#cc1f1a}.t{color:#8795a1;font-size:12px;font-family:monospace}pre{background:#1d2330;color:#e2e8f0;padding:8px;overflow:auto;font-size:12px}
.charts{display:flex;flex-wrap:wrap;gap:12px}.charts>div{background:#fff}.summary span{margin-right:16px}`;

/** Draws each scenario's charts with uPlot; fault windows are shaded across every chart on the same time axis. */
const SCRIPT = `
for (const [sid, s] of Object.entries(DATA)) {
  const t = s.t.map((x) => x / 1000);
  const shade = { hooks: { drawClear: [(u) => { const c = u.ctx; c.save(); c.fillStyle = 'rgba(204,31,26,0.12)';
    for (const f of s.faults) { const x0 = u.valToPos(f.fromMs / 1000, 'x', true); const x1 = u.valToPos((f.toMs ?? s.t[s.t.length - 1]) / 1000, 'x', true); c.fillRect(x0, u.bbox.top, Math.max(x1 - x0, 2), u.bbox.height); }
    c.restore(); }] } };
  const colors = ['#2b6cb0', '#1f9d55', '#d69e2e', '#805ad5', '#dd6b20', '#319795', '#e53e3e', '#718096'];
  for (const group of ['pods', 'replicasets', 'memory']) {
    const el = document.getElementById(sid + '-' + group);
    if (!el) continue;
    const series = s.series.filter((x) => x.group === group);
    const extra = group === 'memory' ? s.thresholds.map((th) => ({ name: th.node + ' eviction threshold', values: t.map(() => th.mib), dash: [6, 4] })) : [];
    const all = [...series, ...extra];
    if (all.length === 0) { el.remove(); continue; }
    const title = { pods: 'Pods ready', replicasets: 'Replicas per ReplicaSet', memory: 'Node memory available (MiB) vs eviction threshold' }[group];
    new uPlot({ title, width: 440, height: 240, plugins: [shade], scales: { x: { time: false } }, axes: [{ label: 'virtual seconds' }, {}],
      series: [{ label: 't (s)' }, ...all.map((x, i) => ({ label: x.name, stroke: colors[i % colors.length], width: 1.5, dash: x.dash }))] },
      [t, ...all.map((x) => x.values)], el);
  }
}`;

/** report.html: one self-contained page — summary, the conformance matrix, and each scenario with charts, steps, views and evidence. */
export const htmlReporter = (assets: HtmlAssets): Reporter => ({
  file: 'report.html',
  render(report: RunReport): string {
    const s = report.summary;
    const matrix = byArea(report)
      .flatMap(([area, list]) => list.map((sc, j) => `<tr>${j === 0 ? `<td rowspan="${list.length}"><b>${esc(area)}</b></td>` : ''}<td><a href="#${id(sc, report.scenarios.indexOf(sc))}">${esc(sc.name)}</a></td><td>${esc(sc.conformance?.rule ?? '')}</td>${report.run.backends.map((b) => {
        const r = resultOn(report, sc.name, b);
        return r === undefined ? `<td>${badge('skipped')} not run on ${esc(b)}</td>` : `<td><a href="#${id(r, report.scenarios.indexOf(r))}">${badge(r.status)}</a>${r.status === 'skipped' ? ` ${esc(r.reason ?? '')}` : ''}</td>`;
      }).join('')}</tr>`))
      .join('\n');
    const data = Object.fromEntries(report.scenarios.map((sc, i) => [id(sc, i), { t: sc.timeline.t, series: sc.timeline.series, faults: sc.timeline.faults, thresholds: sc.timeline.thresholds }]));
    const json = JSON.stringify(data).replace(/</g, '\\u003c');
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Crucible report ${esc(report.run.id)}</title>
<style>${assets.uplotCss}</style><style>${CSS}</style></head>
<body><header><h1>Crucible conformance report</h1><div>${esc(report.run.id)} · ${esc(report.run.startedAt)} · <code>${esc(report.run.command)}</code></div></header><main>
<p class="summary"><span>${s.total} scenarios</span><span>${badge('passed')} ${s.passed}</span><span>${badge('failed')} ${s.failed}</span><span>${badge('error')} ${s.error}</span><span>${badge('skipped')} ${s.skipped}</span><span>${secs(s.virtualMs)} virtual in ${secs(s.wallMs)} wall</span></p>
<h2>Conformance matrix</h2>
<table><thead><tr><th>area</th><th>scenario</th><th>rule</th>${report.run.backends.map((b) => `<th>${esc(b)}</th>`).join('')}</tr></thead><tbody>
${matrix}
</tbody></table>
${report.scenarios.map(scenarioHtml).join('\n')}
</main>
<script>${assets.uplotJs.replace(/<\/script/gi, '<\\/script')}</script>
<script>const DATA = ${json};${SCRIPT}</script>
</body></html>
`;
  },
});
