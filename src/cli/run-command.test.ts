import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const PASS = `apiVersion: crucible.dev/v1alpha1
kind: Scenario
metadata: { name: ok, tags: [demo] }
spec:
  steps:
  - apply: { file: cm.yaml }
  - expect: { resource: { kind: ConfigMap, name: settings }, match: { data: { mode: fast } } }
`;
const FAIL = `apiVersion: crucible.dev/v1alpha1
kind: Scenario
metadata: { name: stuck, tags: [demo] }
spec:
  steps:
  - apply: { manifest: { apiVersion: v1, kind: Pod, metadata: { name: big }, spec: { containers: [{ name: c, image: nginx, resources: { requests: { cpu: "64" } } }] } } }
  - wait: { resource: { kind: Pod, name: big }, condition: { type: Ready }, timeout: 10s }
`;

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-run-'));
  mkdirSync(join(dir, 'scenarios'));
  writeFileSync(join(dir, 'scenarios', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { mode: fast }\n');
  writeFileSync(join(dir, 'scenarios', 'ok.yaml'), PASS);
  writeFileSync(join(dir, 'scenarios', 'stuck.yaml'), FAIL);
  return dir;
}

describe('crucible run, replay, report', () => {
  it('runs scenario files, prints a summary with seeds and trace hashes, writes the report, exits 1 on a failure with a replay command', async () => {
    const dir = workspace();
    const r = await run('run', join(dir, 'scenarios'), '--report', join(dir, 'reports'), '--workers', '1');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/✓ ok  passed/);
    expect(r.out).toMatch(/✗ stuck  failed/);
    expect(r.out).toMatch(/SCENARIO\s+BACKEND\s+RESULT\s+SEED\s+TRACE HASH\s+VIRTUAL\s+WALL\s+SPEED/);
    expect(r.out).toMatch(/1 passed, 1 failed, 0 errors, 0 skipped/);
    expect(r.err).toContain('✗ stuck (seed stuck): wait pod/big: condition Ready=True (10s): timed out after 10s');
    const replayLine = r.err.split('\n').find((l) => l.includes('replay: '))!;
    expect(replayLine).toMatch(/replay: npx crucible replay \S+stuck\.yaml --scenario stuck --seed stuck$/);
    const runs = readdirSync(join(dir, 'reports'));
    expect(runs).toHaveLength(1);
    const runDir = join(dir, 'reports', runs[0]!);
    expect(readdirSync(runDir).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.md']);
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8'));
    expect(report.summary).toMatchObject({ total: 2, passed: 1, failed: 1 });
    const junit = readFileSync(join(runDir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites tests="\d+" failures="1"/);
    expect(junit).toContain('<testsuite name="stuck"');
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain('<h2>Conformance matrix</h2>');

    // The printed replay command reproduces the failing run exactly: same trace hash.
    const hash = report.scenarios.find((s: { name: string }) => s.name === 'stuck').traceHash;
    const replayed = await run('replay', join(dir, 'scenarios', 'stuck.yaml'), '--scenario', 'stuck', '--seed', 'stuck');
    expect(replayed.code).toBe(1);
    expect(replayed.out).toContain(`trace hash  sha256:${hash}`);

    // --rerun-failed runs only what failed last time, with its seed.
    const again = await run('run', join(dir, 'scenarios'), '--report', join(dir, 'reports'), '--rerun-failed', '--workers', '1');
    expect(again.out).toContain('1 scenario run from');
    expect(again.out).not.toContain('✓ ok');

    // crucible report renders again from report.json.
    const re = await run('report', runDir);
    expect(re.code).toBe(0);
    expect(re.out).toContain('rendered');
  });

  it('filters by name or tag, exits 0 when all pass, and honours --seed', async () => {
    const dir = workspace();
    const r = await run('run', join(dir, 'scenarios'), '--report', join(dir, 'reports'), '--filter', 'ok', '--seed', '42', '--workers', '1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ok\s+sim\s+passed\s+42\s/);
  });

  it('a malformed scenario: every problem with file, line and path, exit 2, nothing run, no report', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'scenarios', 'bad.yaml'), 'apiVersion: crucible.dev/v1alpha1\nkind: Scenario\nmetadata: { name: bad }\nspec:\n  steps:\n  - fault: { kind: partition, groups: [[node-9], [control-plane]] }\n  - wait: { timeout: soon }\n');
    const r = await run('run', join(dir, 'scenarios'), '--report', join(dir, 'reports'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.yaml:7:\d+: spec\.steps\[1\]\.wait\.timeout: expected a duration such as 30s, 2m or 1h30m, got "soon"/);
    expect(r.err).toMatch(/crucible: \d+ problems? in scenario files; nothing was run/);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'reports'))).toBe(false);
  });

  it('bad options and missing paths are clear errors', async () => {
    expect((await run('run', '/nonexistent/dir')).err).toBe('/nonexistent/dir: no such file or directory\ncrucible: 1 problem in scenario files; nothing was run');
    expect((await run('run', '--backend', 'kind')).err).toBe('crucible: --backend: expected sim, kube or both (sim,kube), got "kind"');
    expect((await run('run', '--repeat', 'x')).err).toBe('crucible: --repeat: expected a whole number, got "x"');
    expect((await run('report', '/nonexistent')).err).toMatch(/^crucible: \/nonexistent\/report\.json: no such file/);
    expect((await run('schema')).out).toContain('"title": "Crucible scenario"');
  });
});
