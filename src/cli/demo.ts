import { writeFileSync, renameSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { describePlan, FaultInputError, Hosts, runChatter, type FaultPlan } from '../faults/index.js';
import { loadPlanFile, UserInputError } from './plan-file.js';

export interface DemoOptions {
  seed: string;
  hosts: number;
  planFile?: string;
  traceFile?: string;
}

const HORIZON_MS = 60_000;

/** The plan the demo runs when none is given: one of each family of fault. */
export function defaultDemoPlan(hostCount: number): FaultPlan {
  const last = `host-${hostCount - 1}`;
  return [
    { kind: 'partition', groups: ['hub', 'spokes'], at: 5_000, for: 15_000 },
    { kind: 'loss', rate: 0.2, from: 'host-1', to: 'hub', at: 25_000, for: 10_000 },
    { kind: 'crash', host: last, at: 30_000, for: 8_000 },
    { kind: 'clock-drift', host: 'host-1', ppm: 50_000, at: 0, for: 40_000 },
    { kind: 'disk-full', host: 'host-1', at: 42_000, for: 5_000 },
  ];
}

/** Hosts as the demo world names them, for checking a user's plan before the run. */
function demoHosts(count: number): Hosts {
  const hosts = new Hosts();
  for (let i = 0; i < count; i++) hosts.add(`host-${i}`, [i === 0 ? 'hub' : 'spokes']);
  return hosts;
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(3).padStart(9)}s`;

/** Run the demo and print its story; returns the exit code. */
export function runDemo(options: DemoOptions, out: (line: string) => void): number {
  if (!Number.isInteger(options.hosts) || options.hosts < 2 || options.hosts > 1000) {
    throw new UserInputError(`--hosts: must be a whole number between 2 and 1000, got ${options.hosts}`);
  }
  const plan = options.planFile ? loadPlanFile(options.planFile, demoHosts(options.hosts)) : defaultDemoPlan(options.hosts);
  const started = performance.now();
  let result;
  try {
    result = runChatter(options.seed, plan, { hosts: options.hosts, horizonMs: HORIZON_MS, keepLines: true });
  } catch (e) {
    if (e instanceof FaultInputError) throw new UserInputError(e.message);
    throw e;
  }
  const wallMs = performance.now() - started;
  const { world } = result;
  const events = world.trace.events();

  out(`crucible demo: ${options.hosts} hosts (host-0 is the hub; the others keep a watch stream to it and gossip)`);
  out(`seed ${options.seed}`);
  out('');
  out('fault plan:');
  for (const line of describePlan(plan).split('\n')) out(`  ${line}`);
  out('');
  out('timeline (virtual time):');
  for (const { t, line, count, lastT } of collapse(events)) {
    out(`  ${secs(t)}  ${line}${count > 1 ? ` (x${count} over ${((lastT - t) / 1000).toFixed(1)}s)` : ''}`);
  }
  const delivered = events.filter((e) => e.type === 'net.deliver').length;
  const drops = new Map<string, number>();
  for (const e of events) if (e.type === 'net.drop') drops.set(String(e['reason']), (drops.get(String(e['reason'])) ?? 0) + 1);
  const dropText = [...drops].map(([r, n]) => `${r} ${n}`).join(', ');
  const virtualMs = world.sim.now;
  out('');
  out('summary:');
  out(`  virtual time  ${(virtualMs / 1000).toFixed(1)} s in ${wallMs.toFixed(0)} ms of wall time (${Math.round(virtualMs / Math.max(wallMs, 0.001))}x real time)`);
  out(`  events        ${world.sim.eventsRun} kernel events, ${world.trace.count} trace lines`);
  out(`  messages      ${delivered} delivered, ${[...drops.values()].reduce((a, b) => a + b, 0)} dropped${dropText ? ` (${dropText})` : ''}`);
  out(`  clocks        ${world.hosts.all().map((h) => `${h} ${world.host(h).clock.offsetMs >= 0 ? '+' : ''}${world.host(h).clock.offsetMs}ms`).join(', ')}`);
  out(`  trace hash    sha256:${result.hash}`);
  if (options.traceFile) {
    const tmp = `${options.traceFile}.tmp-${process.pid}`;
    writeFileSync(tmp, world.trace.lines.join('\n') + '\n');
    renameSync(tmp, options.traceFile);
    out(`  trace         ${options.traceFile} (${world.trace.count} JSON lines)`);
  }
  out('');
  const replay = ['npx crucible demo', `--seed ${shellQuote(options.seed)}`];
  if (options.hosts !== 4) replay.push(`--hosts ${options.hosts}`);
  if (options.planFile) replay.push(`--plan ${options.planFile}`);
  out(`replay: ${replay.join(' ')}`);
  return 0;
}

/** Consecutive identical lines become one, with a count (as kubectl shows repeated events). */
function collapse(events: Array<{ t: number; type: string } & Record<string, unknown>>): Array<{ t: number; line: string; count: number; lastT: number }> {
  const rows: Array<{ t: number; line: string; count: number; lastT: number }> = [];
  for (const e of events) {
    const line = story(e);
    if (line === undefined) continue;
    const last = rows[rows.length - 1];
    if (last !== undefined && last.line === line) {
      last.count++;
      last.lastT = e.t;
    } else rows.push({ t: e.t, line, count: 1, lastT: e.t });
  }
  return rows;
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_.:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function story(e: { type: string } & Record<string, unknown>): string | undefined {
  switch (e.type) {
    case 'fault.inject':
      return `fault     inject  ${e['fault']}`;
    case 'fault.heal':
      return `fault     heal    ${e['fault']}`;
    case 'host.crash':
      return `host      ${e['host']} crashed`;
    case 'host.restart':
      return `host      ${e['host']} restarted`;
    case 'watch.broken':
      return `stream    ${e['host']} -> host-0 broke (${e['reason']}); reconnecting in 1s`;
    case 'stream.open':
      return e['t'] === 0 || (e['t'] as number) < 100 ? undefined : `stream    ${e['from']} -> ${e['to']} connected`;
    case 'recovered':
      return (e['t'] as number) > 0 ? `disk      ${e['host']} recovered ${e['records']} records from inbox.log after restart` : undefined;
    case 'disk.error':
      return `disk      ${e['host']} write failed: ${e['code']}`;
    default:
      return undefined;
  }
}

