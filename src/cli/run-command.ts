import { fork } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { summarize, type RunReport } from '../report/index.js';
import type { LoadedScenario } from '../scenario/load.js';
import type { ScenarioResult } from '../scenario/result.js';
import { runScenario } from '../scenario/run.js';
import { UserInputError } from './plan-file.js';
import { replayCommand } from './replay-command.js';
import { findScenarioFiles, loadScenarioFiles } from './scenario-files.js';
import { writeReport } from './write-report.js';
import { kubeReachable, kubeTarget } from '../backends/kube.js';

export interface RunCommandOptions {
  paths: string[];
  seed?: string;
  filter?: string;
  /** Comma-separated: sim (the simulated cluster), kube (the cluster kubectl reaches). */
  backend: string;
  kubeconfig?: string;
  reportDir: string;
  repeat: number;
  bail: boolean;
  rerunFailed: boolean;
  workers?: number;
  command: string;
  version: string;
}

interface Job {
  scenario: LoadedScenario;
  seed?: string;
  backend: string;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(2)}s`;
const MARK: Record<string, string> = { passed: '✓', failed: '✗', error: '!', skipped: '-' };

/** Live progress on a terminal (one line, rewritten); plain lines when not a TTY or under CI. */
class Progress {
  private done = 0;
  private passed = 0;
  private failed = 0;
  private readonly started = performance.now();
  private readonly running = new Set<string>();
  readonly live: boolean;

  constructor(
    private readonly total: number,
    private readonly out: (line: string) => void,
  ) {
    this.live = process.stdout.isTTY === true && process.env['CI'] === undefined;
  }

  start(name: string): void {
    this.running.add(name);
    this.draw();
  }

  finish(r: ScenarioResult): void {
    this.running.delete(r.name);
    this.done++;
    if (r.status === 'passed') this.passed++;
    else if (r.status === 'failed' || r.status === 'error') this.failed++;
    const line = `${MARK[r.status]} ${r.name}  ${r.status}  ${secs(r.virtualMs)} virtual in ${secs(r.wallMs)}`;
    if (this.live) process.stdout.write('\r\x1b[K');
    this.out(line);
    this.draw();
  }

  private draw(): void {
    if (!this.live) return;
    const current = [...this.running].slice(0, 2).join(', ');
    process.stdout.write(`\r\x1b[K[${this.done}/${this.total}] ✓ ${this.passed} ✗ ${this.failed}  ${secs(performance.now() - this.started)}${current ? `  running: ${current}` : ''}`);
  }

  end(): void {
    if (this.live) process.stdout.write('\r\x1b[K');
  }
}

/** The seeds of the scenarios that failed in the newest report under `dir`. */
function lastFailures(dir: string): Map<string, string> {
  if (!existsSync(dir)) throw new UserInputError(`--rerun-failed: no reports in ${dir}`);
  const runs = readdirSync(dir).filter((d) => !d.startsWith('.') && existsSync(join(dir, d, 'report.json'))).sort();
  if (runs.length === 0) throw new UserInputError(`--rerun-failed: no reports in ${dir}`);
  const report = JSON.parse(readFileSync(join(dir, runs[runs.length - 1]!, 'report.json'), 'utf8')) as RunReport;
  return new Map(report.scenarios.filter((s) => s.status === 'failed' || s.status === 'error').map((s) => [s.name, s.seed]));
}

/** Run jobs in worker processes (compiled builds) or in this process; results come back in job order. */
async function execute(jobs: Job[], workers: number, progress: Progress, bail: boolean): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = new Array(jobs.length);
  let stop = false;
  const skipped = (job: Job): ScenarioResult => ({
    name: job.scenario.name, file: job.scenario.file, area: job.scenario.doc.metadata.tags?.[0] ?? 'general', tags: job.scenario.doc.metadata.tags ?? [], params: job.scenario.params, backend: 'sim',
    seed: job.seed ?? String(job.scenario.doc.spec.seed ?? job.scenario.name), status: 'skipped', reason: 'not run: --bail stopped the run after a failure', traceHash: '', virtualMs: 0, wallMs: 0, steps: [], invariants: [], views: [], evidence: [],
    timeline: { t: [], series: [], faults: [], thresholds: [] }, replay: replayCommand(job.scenario, job.seed ?? String(job.scenario.doc.spec.seed ?? job.scenario.name)),
  });
  const record = (i: number, r: ScenarioResult) => {
    results[i] = r;
    progress.finish(r);
    if (bail && (r.status === 'failed' || r.status === 'error')) stop = true;
  };
  const workerFile = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (workers <= 1 || !existsSync(workerFile)) {
    jobs.forEach((job, i) => {
      if (stop) return void (results[i] = skipped(job));
      progress.start(job.scenario.name);
      record(i, runScenario(job.scenario, { readFile: (p) => readFileSync(p, 'utf8'), wallClock: () => performance.now(), ...(job.seed !== undefined && { seed: job.seed }), replay: replayCommand }));
    });
    return results;
  }
  let next = 0;
  const lane = () =>
    new Promise<void>((resolveLane, rejectLane) => {
      const child = fork(workerFile, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      let current = -1;
      const give = () => {
        while (next < jobs.length && stop) results[next] = skipped(jobs[next++]!);
        if (next >= jobs.length) {
          child.disconnect();
          return;
        }
        current = next++;
        const job = jobs[current]!;
        progress.start(job.scenario.name);
        child.send({ file: job.scenario.file, name: job.scenario.name, ...(job.seed !== undefined && { seed: job.seed }) });
      };
      child.on('message', (m: { result?: ScenarioResult; error?: string }) => {
        if (m.result === undefined) return rejectLane(new Error(m.error));
        record(current, m.result);
        give();
      });
      child.on('exit', (code) => (code === 0 || code === null ? resolveLane() : rejectLane(new Error(`a worker process exited with code ${code}`))));
      give();
    });
  await Promise.all(Array.from({ length: Math.min(workers, jobs.length) }, lane));
  return results;
}

/** Scenarios on the cluster kubectl reaches, one after another (a real cluster's time is wall time). */
function runKube(jobs: Job[], o: RunCommandOptions, progress: Progress): ScenarioResult[] {
  if (jobs.length === 0) return [];
  const unreachable = kubeReachable({ ...(o.kubeconfig !== undefined && { kubeconfig: o.kubeconfig }) });
  return jobs.map((job) => {
    progress.start(job.scenario.name);
    const r = runScenario(job.scenario, {
      readFile: (p) => readFileSync(p, 'utf8'),
      wallClock: () => performance.now(),
      replay: (s) => `npx crucible run ${s.file} --backend kube --filter '${s.name}'`,
      target: (s) => {
        if (unreachable !== undefined) throw new Error(unreachable);
        return kubeTarget({ runName: s.name, ...(o.kubeconfig !== undefined && { kubeconfig: o.kubeconfig }) });
      },
    });
    const result = r.status === 'error' && unreachable !== undefined ? { ...r, backend: 'kube', status: 'skipped' as const, reason: unreachable } : r;
    progress.finish(result);
    return result;
  });
}

/** `crucible run`: load everything (refusing to start on any error), run, print a summary, write the report; 0 only when all passed. */
export async function runCommand(o: RunCommandOptions, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const backends = o.backend.split(',').map((b) => b.trim()).filter((b) => b !== '');
  const unknown = backends.filter((b) => b !== 'sim' && b !== 'kube');
  if (unknown.length > 0 || backends.length === 0) throw new UserInputError(`--backend: expected sim, kube or both (sim,kube), got ${JSON.stringify(o.backend)}`);
  if (!Number.isInteger(o.repeat) || o.repeat < 1) throw new UserInputError(`--repeat: expected a whole number of at least 1, got ${o.repeat}`);
  const started = performance.now();
  const startedAt = new Date().toISOString();
  let scenarios = loadScenarioFiles(findScenarioFiles(o.paths));
  if (o.filter !== undefined) scenarios = scenarios.filter((s) => s.name.includes(o.filter!) || (s.doc.metadata.tags ?? []).includes(o.filter!));
  let seeds: Map<string, string> | undefined;
  if (o.rerunFailed) {
    seeds = lastFailures(o.reportDir);
    scenarios = scenarios.filter((s) => seeds!.has(s.name));
    if (scenarios.length === 0) {
      out('crucible: the last run had no failures to rerun');
      return 0;
    }
  }
  if (scenarios.length === 0) throw new UserInputError(`no scenarios found in ${o.paths.join(', ')}${o.filter !== undefined ? ` matching "${o.filter}"` : ''}`);
  const jobs: Job[] = [];
  for (const backend of backends) {
    for (const s of scenarios) {
      for (let r = 0; r < o.repeat; r++) {
        const seed = o.repeat > 1 ? String(randomInt(1, 2 ** 31)) : (seeds?.get(s.name) ?? o.seed);
        jobs.push({ scenario: s, backend, ...(seed !== undefined && { seed }) });
      }
    }
  }
  const simJobs = jobs.filter((j) => j.backend === 'sim');
  const workers = o.workers ?? (simJobs.length >= 4 ? Math.min(availableParallelism(), 4) : 1);
  out(`crucible run: ${jobs.length} scenario run${jobs.length === 1 ? '' : 's'} from ${o.paths.join(', ')} on the ${backends.join(' and ')} backend${backends.length > 1 ? 's' : ''}${workers > 1 && simJobs.length > 0 ? ` (${workers} workers)` : ''}`);
  const progress = new Progress(jobs.length, out);
  const results = [...(await execute(simJobs, workers, progress, o.bail)), ...runKube(jobs.filter((j) => j.backend === 'kube'), o, progress)];
  progress.end();
  const wallMs = performance.now() - started;
  const id = `run-${startedAt.replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${randomBytes(2).toString('hex')}`;
  const report: RunReport = {
    version: 1,
    run: { id, startedAt, finishedAt: new Date().toISOString(), crucible: o.version, command: o.command, backends, ...(o.seed !== undefined && { seed: o.seed }) },
    scenarios: results,
    summary: summarize(results, wallMs),
  };
  out('');
  const rows = [['SCENARIO', 'BACKEND', 'RESULT', 'SEED', 'TRACE HASH', 'VIRTUAL', 'WALL', 'SPEED'], ...results.map((r) => [r.name, r.backend, r.status, r.seed, r.traceHash.slice(0, 12) || '-', secs(r.virtualMs), secs(r.wallMs), r.wallMs > 0 && r.backend === 'sim' ? `${Math.round(r.virtualMs / r.wallMs)}x` : '-'])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) out(row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]! + 2))).join(''));
  for (const r of results.filter((x) => x.status === 'failed' || x.status === 'error')) {
    err('');
    err(`${MARK[r.status]} ${r.name}${backends.length > 1 ? ` on ${r.backend}` : ''} (seed ${r.seed}): ${r.reason ?? r.status}`);
    err(`  replay: ${r.replay}`);
  }
  const dir = writeReport(o.reportDir, report);
  const s = report.summary;
  out('');
  out(`${s.passed} passed, ${s.failed} failed, ${s.error} errors, ${s.skipped} skipped in ${secs(wallMs)}; report: ${join(dir, 'report.html')}`);
  return s.failed + s.error === 0 ? 0 : 1;
}
