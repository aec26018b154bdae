import { PassThrough } from 'node:stream';
import { AppsV1Api, CoreV1Api, Exec, KubeConfig, Log, PatchStrategy, setHeaderOptions, Watch, type V1Status } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../cluster/cluster.js';
import { kubeconfig, serve, type RunningServer } from './http-server.js';

/** @kubernetes/client-node (the official JavaScript client) against `crucible serve`: list, watch, patch, log, exec. */
let server: RunningServer;
let kc: KubeConfig;
const ns = 'default';

const collect = (s: PassThrough) => {
  let text = '';
  s.on('data', (d: Buffer) => (text += d.toString()));
  return () => text;
};

describe('@kubernetes/client-node against crucible serve', () => {
  beforeAll(async () => {
    server = await serve({ cluster: Cluster.create({ seed: 'client-node', nodes: 2 }, { epochMs: Date.now() }) });
    kc = new KubeConfig();
    kc.loadFromString(kubeconfig(server.url, 'admin-token', server.caPem));
  });
  afterAll(async () => server?.close());

  it('creates, reads and lists with the typed APIs; a missing object is an ApiException with the Status', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const created = await apps.createNamespacedDeployment({ namespace: ns, body: { metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } } });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.spec?.strategy?.rollingUpdate?.maxSurge).toBe('25%');
    for (let i = 0; i < 100; i++) {
      const d = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
      if (d.status?.availableReplicas === 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=web' });
    expect(pods.items).toHaveLength(2);
    expect(pods.items.every((p) => p.status?.phase === 'Running' && p.spec?.nodeName?.startsWith('node-'))).toBe(true);
    const page = await core.listNamespacedPod({ namespace: ns, limit: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.metadata?._continue).toBeTruthy();
    const missing = await core.readNamespacedPod({ name: 'nope', namespace: ns }).then(() => undefined, (e: { code?: number; body?: string }) => e);
    expect(missing?.code).toBe(404);
    expect(JSON.parse(missing!.body!)).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'pods "nope" not found' });
  });

  it('patches with all three patch types', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    await apps.patchNamespacedDeployment({ name: 'web', namespace: ns, body: { metadata: { labels: { tier: 'front' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await apps.patchNamespacedDeployment({ name: 'web', namespace: ns, body: [{ op: 'add', path: '/metadata/annotations/owner', value: 'sre' }] }, setHeaderOptions('Content-Type', PatchStrategy.JsonPatch));
    const d = await apps.patchNamespacedDeployment({ name: 'web', namespace: ns, body: { spec: { template: { spec: { containers: [{ name: 'nginx', env: [{ name: 'A', value: '1' }] }] } } } } }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
    expect(d.metadata?.labels).toMatchObject({ tier: 'front' });
    expect(d.metadata?.annotations).toMatchObject({ owner: 'sre' });
    expect(d.spec?.template.spec?.containers).toEqual([expect.objectContaining({ name: 'nginx', image: 'nginx:1.27', env: [{ name: 'A', value: '1' }] })]);
  });

  it('watches: ADDED, MODIFIED and DELETED as they happen', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const seen: string[] = [];
    const watching = await new Watch(kc).watch(`/api/v1/namespaces/${ns}/configmaps`, { labelSelector: 'watched=yes' }, (type, obj: { metadata: { name: string } }) => seen.push(`${type} ${obj.metadata.name}`), () => {});
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'w', labels: { watched: 'yes' } }, data: { a: '1' } } });
    await core.patchNamespacedConfigMap({ name: 'w', namespace: ns, body: { data: { a: '2' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await core.deleteNamespacedConfigMap({ name: 'w', namespace: ns });
    for (let i = 0; i < 50 && seen.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    watching.abort();
    expect(seen).toEqual(['ADDED w', 'MODIFIED w', 'DELETED w']);
  });

  it('reads logs and runs a command with exec (WebSocket, v5.channel.k8s.io)', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedPod({ namespace: ns, body: { metadata: { name: 'box' }, spec: { containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'echo started; echo hello > /tmp/x; sleep 3600'] }] } } });
    for (let i = 0; i < 100; i++) {
      const p = await core.readNamespacedPod({ name: 'box', namespace: ns });
      if (p.status?.containerStatuses?.[0]?.state?.running !== undefined) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const logStream = new PassThrough();
    const logs = collect(logStream);
    const ended = new Promise((done) => logStream.on('end', done));
    await new Log(kc).log(ns, 'box', 'main', logStream, { timestamps: false });
    await ended;
    expect(logs()).toBe('started\n');
    const stdout = new PassThrough();
    const out = collect(stdout);
    const status = await new Promise<V1Status>((done) => void new Exec(kc).exec(ns, 'box', 'main', ['cat', '/tmp/x'], stdout, null, null, false, done));
    expect(status.status).toBe('Success');
    expect(out()).toBe('hello\n');
    const failed = await new Promise<V1Status>((done) => void new Exec(kc).exec(ns, 'box', 'main', ['sh', '-c', 'exit 7'], null, null, null, false, done));
    expect(failed).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '7' }] } });
  });
});
