import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../scheduler/scheduler.js';
import { testCluster } from '../testing.js';
import { DaemonSetController } from './controller.js';

describe('DaemonSet controller (upstream pkg/controller/daemon)', () => {
  it('one pod per eligible node (taints, node selector), pinned by affinity and bound by the scheduler; a template change moves it to the newly eligible nodes only', () => {
    const c = testCluster('ds-basic', { nodes: ['node-1', 'node-2', 'node-3'], labels: { 'node-3': { disk: 'hdd' } } });
    new Scheduler(c.world.host('cp-0'), c.kcm).start();
    new DaemonSetController(c.world.host('cp-0'), c.kcm).start();
    c.world.sim.advance(5_000);
    c.call({ verb: 'patch', patchType: 'merge', group: '', version: 'v1', resource: 'nodes', name: 'node-2', body: { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } } });
    c.call({
      verb: 'create', group: 'apps', version: 'v1', resource: 'daemonsets', namespace: 'default',
      body: { metadata: { name: 'agent', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'nginx:1.27' }] } } } } as any,
    });
    c.world.sim.advance(20_000);
    const pods = () => ((c.call({ verb: 'list', group: '', version: 'v1', resource: 'pods', namespace: 'default', query: { labelSelector: 'app=agent' } }).body as any).items as any[]).filter((p) => !p.metadata.deletionTimestamp);
    expect(pods().map((p) => p.spec.nodeName).sort()).toEqual(['node-1', 'node-3']);
    expect(pods()[0].spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0]).toMatchObject({ key: 'metadata.name', operator: 'In' });
    expect(pods()[0].spec.tolerations).toContainEqual({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' });
    const ds = () => c.call({ verb: 'get', group: 'apps', version: 'v1', resource: 'daemonsets', namespace: 'default', name: 'agent' }).body as any;
    expect(ds().status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, numberAvailable: 2, updatedNumberScheduled: 2 });
    c.call({ verb: 'patch', patchType: 'merge', group: 'apps', version: 'v1', resource: 'daemonsets', namespace: 'default', name: 'agent', body: { spec: { template: { spec: { nodeSelector: { disk: 'hdd' } } } } } });
    c.world.sim.advance(40_000);
    expect(pods().map((p) => p.spec.nodeName)).toEqual(['node-3']);
    expect(ds().status).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 1 });
  });
});
