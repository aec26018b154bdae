import { describe, expect, it } from 'vitest';
import { adminCall, controlPlaneWorld } from '../client/testing.js';
import { ControllerManager } from './manager.js';

describe('ControllerManager under leader election (kube-controller-manager Lease)', () => {
  it('of two replicas only the leader acts; when it is cut off the other takes over and carries on', () => {
    const cp = controlPlaneWorld('kcm-ha', ['cp-1', 'cp-2']);
    const call = adminCall(cp);
    const managers = ['cp-1', 'cp-2'].map((h) => ({ host: h, kcm: new ControllerManager(cp.world.host(h), cp.client(h, 'kcm-token'), cp.gateway.api.registry, { identity: `${h}_kcm` }) }));
    for (const m of managers) m.kcm.start();
    cp.world.sim.advance(10_000);
    const leaders = managers.filter((m) => m.kcm.isLeader());
    expect(leaders).toHaveLength(1);
    const leader = leaders[0]!;
    const other = managers.find((m) => m !== leader)!;
    const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
    call({ verb: 'create', group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default', body: deploy });
    cp.world.sim.advance(5_000);
    const replicaSets = () => call({ verb: 'list', group: 'apps', version: 'v1', resource: 'replicasets', namespace: 'default' }).b.items;
    expect(replicaSets().map((r: any) => r.spec.replicas)).toEqual([2]);
    cp.world.faults.inject({ kind: 'partition', groups: [[leader.host], ['cp-0', other.host]] });
    cp.world.sim.advance(30_000);
    expect(leader.kcm.isLeader()).toBe(false);
    expect(other.kcm.isLeader()).toBe(true);
    call({ verb: 'patch', patchType: 'merge', group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default', name: 'web', body: { spec: { replicas: 5 } } });
    cp.world.sim.advance(5_000);
    expect(replicaSets().map((r: any) => r.spec.replicas)).toEqual([5]);
    const pods = call({ verb: 'list', group: '', version: 'v1', resource: 'pods', namespace: 'default' }).b.items;
    expect(pods).toHaveLength(5);
  });
});
