import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarios } from '../scenario/load.js';
import { runScenario } from '../scenario/run.js';
import { kubeTarget } from './kube.js';
import { main } from '../cli/main.js';
import { mkdirSync, writeFileSync } from 'node:fs';

// The kube backend drives a real API server through kubectl; here that server is `crucible serve`,
// run as its own process (the backend blocks while it polls). Needs kubectl and a built dist/.
const root = new URL('../../', import.meta.url).pathname;
const hasKubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();
const runnable = hasKubectl && existsSync(join(root, 'dist/cli/main.js'));
const dir = mkdtempSync(join(tmpdir(), 'crucible-kube-'));
const kubeconfig = join(dir, 'kubeconfig');
let server: ChildProcess | undefined;

const load = (text: string) => loadScenarios(text, join(dir, 's.yaml'), (p) => readFileSync(p, 'utf8'))[0]!;
const run = (text: string) => runScenario(load(text), { readFile: (p) => readFileSync(p, 'utf8'), target: (s) => kubeTarget({ kubeconfig, runName: s.name }) });

describe.skipIf(!runnable)('the kube backend (kubectl against a real API server: crucible serve)', () => {
  beforeAll(async () => {
    server = spawn(process.execPath, [join(root, 'bin/crucible.js'), 'serve', '--port', '0', '--seed', 'kube-backend', '--kubeconfig-out', kubeconfig], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !existsSync(kubeconfig); i++) await new Promise((r) => setTimeout(r, 100));
  });
  afterAll(() => {
    server?.kill('SIGTERM');
  });

  it('runs a scenario in its own namespace: apply, wait, expect, a kubectl view from the real kubectl', () => {
    const r = run(`apiVersion: crucible.dev/v1alpha1
kind: Scenario
metadata: { name: web-on-kube, tags: [rollouts] }
spec:
  steps:
  - apply:
      manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web }
        spec:
          replicas: 2
          selector: { matchLabels: { app: web } }
          template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: nginx, image: "nginx:1.27" }] } }
  - wait: { resource: { kind: Deployment, name: web }, condition: { type: Available }, timeout: 60s }
  - expect: { list: { kind: Pod, selector: app=web }, count: 2 }
  - kubectl: get deploy web
`);
    expect(r.status, r.reason).toBe('passed');
    expect(r.backend).toBe('kube');
    expect(r.traceHash).toBe('');
    expect(r.views[0]!.output).toMatch(/^NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    2\/2     2            2           \d+s\n$/);
  });

  it('skips what needs the simulator, with the reason', () => {
    const r = run(`apiVersion: crucible.dev/v1alpha1
kind: Scenario
metadata: { name: partition }
spec:
  cluster: { nodes: 2 }
  images: { example.com/app:1: { ports: [80] } }
  steps:
  - fault: { name: cut, kind: partition, groups: [[node-1], [control-plane]] }
  - heal: cut
`);
    expect(r).toMatchObject({ status: 'skipped', backend: 'kube', reason: 'the kube backend cannot inject faults (partition), run images from an image table, build the topology the scenario declares' });
  });

  it('a failing wait fails with the object as evidence', () => {
    const r = run(`apiVersion: crucible.dev/v1alpha1
kind: Scenario
metadata: { name: stuck-on-kube }
spec:
  steps:
  - apply: { manifest: { apiVersion: v1, kind: Pod, metadata: { name: big }, spec: { containers: [{ name: c, image: nginx, resources: { requests: { cpu: "64" } } }] } } }
  - wait: { resource: { kind: Pod, name: big }, condition: { type: Ready }, timeout: 3s }
`);
    expect(r.status).toBe('failed');
    expect(r.reason).toContain('timed out after 3s waiting for pod/big: condition Ready=True');
    expect(r.evidence.map((e) => e.title)).toContain('kubectl describe pod big');
  });

  it('crucible run --backend sim,kube: one report, a conformance matrix with a column per backend and the reason for each skip', async () => {
    const scenarios = join(dir, 'matrix');
    mkdirSync(scenarios);
    writeFileSync(join(scenarios, 'cm.yaml'), 'apiVersion: crucible.dev/v1alpha1\nkind: Scenario\nmetadata: { name: settings, tags: [config] }\nspec:\n  steps:\n  - apply: { manifest: { apiVersion: v1, kind: ConfigMap, metadata: { name: settings }, data: { mode: fast } } }\n  - expect: { resource: { kind: ConfigMap, name: settings }, match: { data: { mode: fast } } }\n');
    writeFileSync(join(scenarios, 'crash.yaml'), 'apiVersion: crucible.dev/v1alpha1\nkind: Scenario\nmetadata: { name: crash, tags: [chaos] }\nspec:\n  steps:\n  - fault: { kind: crash, host: node-1, for: 10s }\n  - advance: 20s\n');
    const out: string[] = [];
    const code = await main(['run', scenarios, '--backend', 'sim,kube', '--kubeconfig', kubeconfig, '--report', join(dir, 'reports'), '--workers', '1'], (l) => out.push(l), (l) => out.push(l));
    expect(code, out.join('\n')).toBe(0);
    const runDir = join(dir, 'reports', readdirSync(join(dir, 'reports'))[0]!);
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8'));
    expect(report.run.backends).toEqual(['sim', 'kube']);
    expect(report.scenarios.map((s: { name: string; backend: string; status: string }) => `${s.name} ${s.backend} ${s.status}`).sort()).toEqual(['crash kube skipped', 'crash sim passed', 'settings kube passed', 'settings sim passed']);
    const md = readFileSync(join(runDir, 'report.md'), 'utf8');
    expect(md).toContain('| area | scenario | rule | sim | kube |');
    expect(md).toContain('| chaos | crash |  | ✅ passed | ⏭ skipped: the kube backend cannot inject faults (crash) |');
  });
});
