import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Scheduler } from '../../scheduler/scheduler.js';
import { testCluster } from '../testing.js';
import { ReplicaSetController } from './controller.js';
import { podsToDelete } from './rank.js';

function cluster(seed: string) {
  const c = testCluster(seed);
  new Scheduler(c.world.host('cp-0'), c.kcm).start();
  const rsc = new ReplicaSetController(c.world.host('cp-0'), c.kcm);
  rsc.start();
  const rs = (name: string, replicas: number, labels = { app: name }) =>
    c.call({ verb: 'create', group: 'apps', version: 'v1', resource: 'replicasets', namespace: 'default', body: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'default' }, spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } } as any });
  const pods = (app: string) => ((c.call({ verb: 'list', group: '', version: 'v1', resource: 'pods', namespace: 'default', query: { labelSelector: `app=${app}` } }).body as any).items as Pod[]).filter((p) => p.metadata?.deletionTimestamp === undefined);
  const scale = (name: string, replicas: number) => c.call({ verb: 'patch', patchType: 'merge', group: 'apps', version: 'v1', resource: 'replicasets', namespace: 'default', name, body: { spec: { replicas } } });
  const get = (name: string) => c.call({ verb: 'get', group: 'apps', version: 'v1', resource: 'replicasets', namespace: 'default', name }).body as any;
  return { ...c, rs, pods, scale, getRs: get, rsc };
}

describe('ReplicaSet controller (upstream pkg/controller/replicaset)', () => {
  it('creates pods to the replica count, reports status, scales up and down', () => {
    const c = cluster('rs-basic');
    c.rs('web', 3);
    c.world.sim.advance(20_000);
    expect(c.pods('web')).toHaveLength(3);
    expect(c.pods('web').every((p) => p.metadata?.name?.startsWith('web-') && p.metadata.ownerReferences?.[0]?.kind === 'ReplicaSet')).toBe(true);
    expect(c.getRs('web').status).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    const events = c.events('web').map((e: any) => e.reason);
    expect(events.filter((r: string) => r === 'SuccessfulCreate')).toHaveLength(3);
    c.scale('web', 5);
    c.world.sim.advance(20_000);
    expect(c.pods('web')).toHaveLength(5);
    c.scale('web', 1);
    c.world.sim.advance(40_000);
    expect(c.pods('web')).toHaveLength(1);
    expect(c.getRs('web').status).toMatchObject({ replicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 3 });
    expect(c.events('web').filter((e: any) => e.reason === 'SuccessfulDelete').map((e: any) => e.message).every((m: string) => m.startsWith('Deleted pod: web-'))).toBe(true);
  });

  it('replaces a deleted pod; adopts a matching orphan; releases a pod whose labels change', () => {
    const c = cluster('rs-claim');
    c.createPod('orphan', 'node-1', { containers: [{ name: 'web', image: 'nginx:1.27' }] });
    c.call({ verb: 'patch', patchType: 'merge', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'orphan', body: { metadata: { labels: { app: 'api' } } } });
    c.rs('api', 2);
    c.world.sim.advance(20_000);
    const pods = c.pods('api');
    expect(pods).toHaveLength(2);
    expect(pods.find((p) => p.metadata?.name === 'orphan')?.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: 'api', controller: true });
    const other = pods.find((p) => p.metadata?.name !== 'orphan')!;
    c.call({ verb: 'delete', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: other.metadata!.name! });
    c.world.sim.advance(20_000);
    expect(c.pods('api')).toHaveLength(2);
    c.call({ verb: 'patch', patchType: 'merge', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'orphan', body: { metadata: { labels: { app: 'debug' } } } });
    c.world.sim.advance(20_000);
    expect(c.pods('api')).toHaveLength(2);
    expect(c.get('pods', 'orphan', 'default').metadata.ownerReferences ?? []).toEqual([]);
  });
});

describe('ReplicaSet scale-down order (upstream ActivePodsWithRanks; k8s-rules.md Deployments)', () => {
  const now = Date.parse('2026-01-01T01:00:00Z');
  const pod = (name: string, o: { node?: string; phase?: string; ready?: boolean; readySince?: string; restarts?: number; created?: string; cost?: string } = {}): Pod => ({
    metadata: { name, uid: name, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z', ...(o.cost !== undefined && { annotations: { 'controller.kubernetes.io/pod-deletion-cost': o.cost } }) },
    spec: { containers: [], ...(o.node !== undefined && { nodeName: o.node }) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: o.readySince ?? '2026-01-01T00:10:00Z' }],
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0, ready: true, image: '', imageID: '' }],
    },
  });
  it.each([
    ['unassigned before assigned', [pod('a', { node: 'n1' }), pod('b')], 'b'],
    ['Pending before Running', [pod('a', { node: 'n1' }), pod('b', { node: 'n1', phase: 'Pending' })], 'b'],
    ['not ready before ready', [pod('a', { node: 'n1' }), pod('b', { node: 'n2', ready: false })], 'b'],
    ['lower deletion cost first', [pod('a', { node: 'n1', cost: '10' }), pod('b', { node: 'n2', cost: '-5' })], 'b'],
    ['doubled up on a node first', [pod('a', { node: 'n1' }), pod('b', { node: 'n2' }), pod('c', { node: 'n2' })], 'b'],
    ['ready for less time first (log buckets)', [pod('a', { node: 'n1', readySince: '2026-01-01T00:00:00Z' }), pod('b', { node: 'n2', readySince: '2026-01-01T00:59:00Z' })], 'b'],
    ['more restarts first', [pod('a', { node: 'n1' }), pod('b', { node: 'n2', restarts: 4 })], 'b'],
  ])('%s', (_rule, pods, first) => {
    expect(podsToDelete(pods, pods, 1, now).map((p) => p.metadata?.name)).toEqual([first]);
  });
});
