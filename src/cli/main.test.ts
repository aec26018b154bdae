import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashTraceLines } from '../sim/index.js';
import { main } from './main.js';

function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const dir = mkdtempSync(join(tmpdir(), 'crucible-cli-'));

describe('crucible CLI', () => {
  it('prints help and version', () => {
    expect(run('--help').out).toMatch(/^crucible — a deterministic reference orchestrator/);
    expect(run('--version').out).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('demo tells the story of its faults and replays to the same hash', () => {
    const first = run('demo', '--seed', 'readme');
    expect(first.code).toBe(0);
    expect(first.out).toContain('fault     inject  partition [hub] | [spokes]');
    expect(first.out).toMatch(/stream {4}host-1 -> host-0 broke \(timeout\)/);
    expect(first.out).toContain('replay: npx crucible demo --seed readme');
    const hash = first.out.match(/trace hash {4}sha256:([0-9a-f]{64})/)![1];
    expect(run('demo', '--seed', 'readme').out).toContain(`sha256:${hash}`);
    expect(run('demo', '--seed', 'other').out).not.toContain(`sha256:${hash}`);
  });

  it('writes the trace file whose lines hash to the printed hash', () => {
    const trace = join(dir, 'trace.jsonl');
    const result = run('demo', '--seed', '3', '--trace', trace);
    const lines = readFileSync(trace, 'utf8').trimEnd().split('\n');
    expect(result.out).toContain(`sha256:${hashTraceLines(lines)}`);
    expect(JSON.parse(lines[0]!)).toMatchObject({ t: 0, type: 'host.add' });
  });

  it('runs a plan from a YAML file', () => {
    const plan = join(dir, 'plan.yaml');
    writeFileSync(plan, 'faults:\n  - kind: crash\n    host: host-2\n    at: 1000\n    for: 2000\n');
    const result = run('demo', '--seed', '1', '--plan', plan);
    expect(result.code).toBe(0);
    expect(result.out).toContain('host      host-2 crashed');
    expect(result.out).toContain(`replay: npx crucible demo --seed 1 --plan ${plan}`);
  });

  it.each([
    [['demo', '--plan', 'PLAN'], 'faults:\n  - kind: loss\n    rate: 2\n    at: 0\n', 'crucible: PLAN: faults[0].rate: must be a number between 0 and 1, got 2'],
    [['demo', '--plan', 'PLAN'], 'faults:\n  - kind: loss\n   rate: 2\n', 'crucible: PLAN:3:4: not valid YAML: bad indentation of a sequence entry'],
    [['demo', '--plan', 'PLAN'], '- kind: crash\n  host: node-9\n  at: 0\n', 'crucible: PLAN: faults[0].host: unknown host or group "node-9" (known hosts: host-0, host-1, host-2, host-3)'],
    [['demo', '--hosts', 'x'], '', 'crucible: --hosts: must be a whole number between 2 and 1000, got "x"'],
    [['demo', '--sed', '1'], '', "crucible: Unknown option '--sed'"],
    [['frobnicate'], '', 'crucible: unknown command "frobnicate"'],
  ])('refuses bad input %j with a clear message and exit 2', (argv, planText, message) => {
    const plan = join(dir, `bad-${Math.abs(planText.length)}.yaml`);
    if (planText) writeFileSync(plan, planText);
    const result = run(...argv.map((a) => (a === 'PLAN' ? plan : a)));
    expect(result.code).toBe(2);
    expect(result.err.split('\n')[0]).toBe(message.replace('PLAN', plan));
    expect(result.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('reports a missing plan file by name', () => {
    const result = run('demo', '--plan', join(dir, 'missing.yaml'));
    expect(result.err).toBe(`crucible: ${join(dir, 'missing.yaml')}: cannot read the file (ENOENT)`);
  });
});
