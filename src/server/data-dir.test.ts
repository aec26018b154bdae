import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MVCCStore } from '../api/store/index.js';
import { DataDir, DataDirError } from './data-dir.js';
import { canSpawnServe, kubectlWith, spawnServe } from './testing/spawn-serve.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'crucible-data-'));
const cm = (name: string, v: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { v } });

describe('DataDir: a write-ahead log and snapshots of the API store', () => {
  it('gives back every write made before an abrupt stop (no close), with resourceVersions, and the store goes on from there', () => {
    const dir = fresh();
    const store = new MVCCStore();
    new DataDir(dir).attach(store, { seed: 's', nodes: 1 });
    store.create('configmaps', 'default/a', cm('a', '1'));
    store.create('configmaps', 'default/b', cm('b', '1'));
    store.update('configmaps', 'default/a', cm('a', '2'));
    store.delete('configmaps', 'default/b');
    const saved = new DataDir(dir).load()!;
    expect(saved.cluster).toEqual({ seed: 's', nodes: 1 });
    expect(saved.revision).toBe(4);
    expect(saved.entries).toEqual([{ resource: 'configmaps', key: 'default/a', object: { ...cm('a', '2'), metadata: { name: 'a', namespace: 'default', resourceVersion: '3' } } }]);
    const again = new MVCCStore();
    again.restore(saved.entries, saved.revision);
    expect(again.get('configmaps', 'default/a')?.data).toEqual({ v: '2' });
    expect(again.create('configmaps', 'default/c', cm('c', '1')).metadata?.['resourceVersion']).toBe('5');
    // History before the restart is gone, as after a compaction: an old watch must relist.
    expect(() => again.watch('configmaps', { fromRevision: 2 }, () => {})).toThrow('too old resource version: 2 (4)');
  });

  it('drops a last line torn by a crash and keeps everything before it', () => {
    const dir = fresh();
    const store = new MVCCStore();
    new DataDir(dir).attach(store, { seed: 's', nodes: 1 });
    store.create('configmaps', 'default/a', cm('a', '1'));
    appendFileSync(join(dir, 'wal.jsonl'), '{"r":2,"t":"ADDED","res":"configmaps","k":"default/b","o":{"metad');
    const saved = new DataDir(dir).load()!;
    expect(saved.entries.map((e) => e.key)).toEqual(['default/a']);
    expect(readFileSync(join(dir, 'wal.jsonl'), 'utf8').endsWith('}\n')).toBe(true);
  });

  it('snapshots every 5,000 writes and starts the log again; the two together are the state', () => {
    const dir = fresh();
    const store = new MVCCStore();
    new DataDir(dir).attach(store, { seed: 's', nodes: 1 });
    for (let i = 0; i < 5_200; i++) store.create('configmaps', `default/c${i}`, cm(`c${i}`, String(i)));
    expect(readFileSync(join(dir, 'wal.jsonl'), 'utf8').trim().split('\n')).toHaveLength(200);
    const saved = new DataDir(dir).load()!;
    expect(saved.entries).toHaveLength(5_200);
    expect(saved.revision).toBe(5_200);
  });

  it('an unreadable saved cluster is a clear error naming the file', () => {
    const dir = fresh();
    new DataDir(dir).attach(new MVCCStore(), { seed: 's', nodes: 1 });
    appendFileSync(join(dir, 'snapshot.json'), 'garbage');
    expect(() => new DataDir(dir).load()).toThrow(DataDirError);
    expect(() => new DataDir(dir).load()).toThrow(`${join(dir, 'snapshot.json')}: cannot read the saved cluster`);
  });
});

// `crucible serve --data-dir` as its own process, killed with SIGKILL and started again. Needs kubectl and a built dist/.
let server: ChildProcess | undefined;
afterEach(() => server?.kill('SIGKILL'));

async function start(dir: string, kubeconfig: string, ...args: string[]): Promise<string> {
  const s = await spawnServe(kubeconfig, '--data-dir', dir, ...args);
  server = s.process;
  return s.banner;
}
const kubectl = kubectlWith;

describe.skipIf(!canSpawnServe)('crucible serve --data-dir survives kill -9', () => {
  it('resumes the acknowledged objects, with their uids, and refuses a different --nodes', async () => {
    const dir = join(fresh(), 'state');
    const kc = join(fresh(), 'kubeconfig');
    expect(await start(dir, kc, '--nodes', '2', '--seed', 'persist')).toContain(`state: ${dir} (new)`);
    expect((await kubectl(kc, 'create', 'configmap', 'keep', '--from-literal=a=b')).code).toBe(0);
    expect((await kubectl(kc, 'create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2')).code).toBe(0);
    const uid = (await kubectl(kc, 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.uid}')).stdout;
    const crd = join(dir, '..', 'crd.yaml');
    writeFileSync(crd, 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: { name: widgets.example.com }\nspec:\n  group: example.com\n  scope: Namespaced\n  names: { plural: widgets, kind: Widget }\n  versions: [{ name: v1, served: true, storage: true, schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } } }]\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w1, namespace: default }\nspec: { size: 3 }\n');
    for (let i = 0; i < 20 && (await kubectl(kc, 'apply', '-f', crd)).code !== 0; i++) await new Promise((r) => setTimeout(r, 100));
    const nodeCreated = (await kubectl(kc, 'get', 'node', 'node-1', '-o', 'jsonpath={.metadata.creationTimestamp}')).stdout;
    server!.kill('SIGKILL');
    await new Promise((r) => server!.once('exit', r));
    const banner = await start(dir, kc);
    expect(banner).toMatch(/crucible serve: 2 nodes \(seed persist\) ready in \d+ ms/);
    expect(banner).toMatch(/state: .* \(resumed: \d+ objects at resourceVersion \d+\)/);
    expect((await kubectl(kc, 'get', 'cm', 'keep', '-o', 'jsonpath={.data.a}')).stdout).toBe('b');
    expect((await kubectl(kc, 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.uid}')).stdout).toBe(uid);
    // Custom resources are served again after the restart, with their objects.
    expect((await kubectl(kc, 'get', 'widget', 'w1', '-o', 'jsonpath={.spec.size}')).stdout).toBe('3');
    expect((await kubectl(kc, 'get', 'node', 'node-1', '-o', 'jsonpath={.metadata.creationTimestamp}')).stdout).toBe(nodeCreated);
    expect((await kubectl(kc, 'rollout', 'status', 'deploy/web', '--timeout=30s')).stdout).toContain('successfully rolled out');
    server!.kill('SIGTERM');
    await new Promise((r) => server!.once('exit', r));
    const refused = await spawnServe(kc, '--data-dir', dir, '--nodes', '3');
    expect(await refused.exited).toBe(2);
    expect(refused.stderr()).toContain(`--data-dir ${dir}: it holds a cluster of 2 nodes (seed persist); drop --nodes/--topology/--scenario/--seed to resume it, or use another directory`);
  });
});
