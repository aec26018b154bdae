import { describe, expect, it } from 'vitest';
import { LeaderElector } from '../client/leader-election.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { fakeNode } from '../scheduler/testing.js';
import { controlPlaneWorld } from '../client/testing.js';
import type { KubeObject } from '../api/registry/types.js';

describe('leader election (client-go leaderelection, LeaseLock; kube-scheduler defaults 15 s / 10 s / 2 s)', () => {
  it('two scheduler replicas across a partition: never two leaders at once, the survivor takes over, no pod bound twice', () => {
    const cp = controlPlaneWorld('ha-scheduler', ['cp-1', 'cp-2']);
    const admin = cp.client('cp-0');
    const call = (req: any) => {
      let done = false;
      admin.request(req, () => (done = true));
      cp.world.sim.runUntil(() => done, { timeoutMs: 60_000 });
    };
    for (const n of ['node-1', 'node-2']) call({ verb: 'create', group: '', version: 'v1', resource: 'nodes', body: fakeNode({ name: n }) });
    const replicas = ['cp-1', 'cp-2'].map((h) => {
      const elector = new LeaderElector(cp.world.host(h), cp.client(h), { name: 'kube-scheduler', identity: `${h}_scheduler` });
      const scheduler = new Scheduler(cp.world.host(h), cp.client(h), { isLeader: () => elector.isLeader() });
      elector.start();
      scheduler.start();
      return { host: h, elector, scheduler };
    });
    let both = 0;
    let pods = 0;
    const createPods = (n: number) => {
      for (let i = 0; i < n; i++) admin.request({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: { metadata: { name: `p-${pods++}` }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KubeObject }, () => {});
    };
    const watch = (ms: number) =>
      cp.world.sim.runUntil(
        () => {
          if (replicas.every((r) => r.elector.isLeader())) both++;
          return false;
        },
        { timeoutMs: ms },
      );
    watch(10_000);
    const leader = replicas.find((r) => r.elector.isLeader())!;
    const other = replicas.find((r) => r !== leader)!;
    expect(leader).toBeDefined();
    createPods(5);
    watch(5_000);
    expect(leader.scheduler.stats.bound).toBe(5);
    expect(other.scheduler.stats.attempts).toBe(0);
    // Cut the leader off from the API server: it must stop before the other may start.
    const fault = cp.world.faults.inject({ kind: 'partition', groups: [[leader.host], ['cp-0', other.host]] });
    createPods(5);
    watch(40_000);
    expect(leader.elector.isLeader()).toBe(false);
    expect(other.elector.isLeader()).toBe(true);
    fault.heal();
    watch(20_000);
    expect(both).toBe(0);
    expect(leader.scheduler.stats.bound + other.scheduler.stats.bound).toBe(10);
    const lease = cp.gateway.api.store.get('leases.coordination.k8s.io', 'kube-system/kube-scheduler') as any;
    expect(lease.spec).toMatchObject({ holderIdentity: `${other.host}_scheduler`, leaseDurationSeconds: 15, leaseTransitions: 1 });
  });
});
