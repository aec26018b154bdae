// crucible serve with the real kubectl: `kubectl get pods -A` over 3,000 pods (issue 7's aim: under 0.2 s end to end;
// a real local API server took 3.45 s for 3,073 pods) and `kubectl apply -f` of 100 objects. Needs kubectl on the PATH.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Cluster } from '../src/cluster/index.js';
import { kubeconfig, serve } from '../src/server/http-server.js';
import { figure } from './report.js';

export const name = 'serve';

export async function run(): Promise<void> {
  const has = await new Promise<boolean>((done) => execFile('kubectl', ['version', '--client'], (e) => done(e === null)));
  if (!has) {
    process.stdout.write('bench serve skipped: no kubectl on the PATH\n');
    return;
  }
  const cluster = Cluster.create({ seed: 'bench-serve', nodes: 0 }, { epochMs: Date.now() });
  for (let i = 0; i < 3000; i++) {
    cluster.request({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: { metadata: { name: `pod-${i}`, labels: { app: `app-${i % 30}` } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } });
  }
  const server = await serve({ cluster });
  const dir = mkdtempSync(join(tmpdir(), 'crucible-bench-serve-'));
  const config = join(dir, 'kubeconfig');
  writeFileSync(config, kubeconfig(server.url, 'admin-token', server.caPem));
  const kubectl = (...args: string[]) =>
    new Promise<number>((done, fail) => {
      const start = performance.now();
      execFile('kubectl', ['--kubeconfig', config, ...args], { maxBuffer: 64 * 1024 * 1024 }, (e) => (e ? fail(e) : done(performance.now() - start)));
    });
  await kubectl('get', 'ns'); // warm discovery cache and the JIT
  let best = Infinity;
  for (let i = 0; i < 5; i++) best = Math.min(best, await kubectl('get', 'pods', '-A'));
  figure('serve kubectl get pods -A (3,000 pods, end to end)', best, 'ms');
  let version = Infinity;
  for (let i = 0; i < 5; i++) version = Math.min(version, await kubectl('version'));
  figure('serve kubectl version (process start + one request, for scale)', version, 'ms');
  const manifests = Array.from({ length: 100 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: cm-${i} }\ndata: { i: "${i}" }\n`).join('---\n');
  const file = join(dir, 'objects.yaml');
  writeFileSync(file, manifests);
  figure('serve kubectl apply -f (100 objects, created)', await kubectl('apply', '-f', file), 'ms');
  figure('serve kubectl apply -f (100 objects, unchanged)', await kubectl('apply', '-f', file), 'ms');
  await server.close();
}
