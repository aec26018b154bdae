import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodReady } from '../pod-util.js';
import { deploymentCluster } from './testing.js';

const cond = (d: any, type: string) => d.status?.conditions?.find((c: any) => c.type === type);
const active = (pods: Pod[]) => pods.filter((p) => p.metadata?.deletionTimestamp === undefined);

describe('Deployment controller (upstream pkg/controller/deployment; k8s-rules.md Deployments)', () => {
  it('creates a ReplicaSet named by the template hash, scales it up, and reports a complete rollout', () => {
    const c = deploymentCluster('deploy-basic');
    c.deploy('web', { replicas: 3 });
    c.world.sim.advance(30_000);
    const d = c.deployment('web') as any;
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(d.status.unavailableReplicas).toBeUndefined();
    const rs = c.live.replicaSets('web');
    expect(rs).toHaveLength(1);
    const hash = rs[0]!.metadata!.labels!['pod-template-hash']!;
    expect(rs[0]!.metadata!.name).toBe(`web-${hash}`);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs[0]!.metadata!.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    expect(cond(d, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    expect(cond(d, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "web-${hash}" has successfully progressed.` });
    expect(c.events('web').filter((e: any) => e.reason === 'ScalingReplicaSet').map((e: any) => e.message)).toEqual([`Scaled up replica set web-${hash} from 0 to 3`]);
  });

  it('rolling update of 10 replicas with maxSurge 3 / maxUnavailable 2: never more than 13 pods wanted, never fewer than 8 available, checked on every event', () => {
    const c = deploymentCluster('deploy-rolling', { nodes: ['node-1', 'node-2', 'node-3', 'node-4'] });
    c.deploy('web', { replicas: 10, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } });
    c.world.sim.advance(60_000);
    expect(c.deployment('web').status?.availableReplicas).toBe(10);
    c.setImage('web', 'nginx:1.26');
    let maxWanted = 0;
    let maxActive = 0;
    let minAvailable = Infinity;
    const done = c.world.sim.runUntil(
      () => {
        const rss = c.live.replicaSets('web');
        maxWanted = Math.max(maxWanted, rss.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0));
        const pods = active(c.live.pods('web'));
        maxActive = Math.max(maxActive, pods.length);
        minAvailable = Math.min(minAvailable, pods.filter(isPodReady).length);
        const d = c.live.replicaSets('web');
        return d.length === 2 && pods.length === 10 && pods.every((p) => p.spec?.containers[0]?.image === 'nginx:1.26' && isPodReady(p));
      },
      { timeoutMs: 600_000 },
    );
    expect(done).toBe(true);
    expect(maxWanted).toBeLessThanOrEqual(13);
    expect(maxWanted).toBe(13);
    expect(minAvailable).toBeGreaterThanOrEqual(8);
    expect(maxActive).toBeLessThanOrEqual(13);
    c.world.sim.advance(10_000);
    const d = c.deployment('web') as any;
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
    expect(d.status).toMatchObject({ replicas: 10, updatedReplicas: 10, availableReplicas: 10 });
    expect(c.live.replicaSets('web').map((rs) => rs.spec?.replicas).sort()).toEqual([0, 10]);
  });

  it('Recreate never runs old and new pods together', () => {
    const c = deploymentCluster('deploy-recreate');
    c.deploy('db', { replicas: 3, strategy: { type: 'Recreate' } });
    c.world.sim.advance(30_000);
    c.setImage('db', 'nginx:1.26');
    let together = false;
    const done = c.world.sim.runUntil(
      () => {
        const pods = c.live.pods('db');
        const images = new Set(pods.map((p) => p.spec?.containers[0]?.image));
        if (images.size > 1) together = true;
        return pods.length === 3 && pods.every((p) => p.spec?.containers[0]?.image === 'nginx:1.26' && isPodReady(p));
      },
      { timeoutMs: 600_000 },
    );
    expect(done).toBe(true);
    expect(together).toBe(false);
  });

  it('a bad image hits the progress deadline: Progressing False ProgressDeadlineExceeded; the old pods keep serving', () => {
    const c = deploymentCluster('deploy-deadline');
    c.deploy('api', { replicas: 3, progressDeadlineSeconds: 60 });
    c.world.sim.advance(30_000);
    c.setImage('api', 'nginx:9.9.9-does-not-exist');
    c.world.sim.advance(120_000);
    const d = c.deployment('api') as any;
    const newRs = c.live.replicaSets('api').find((rs) => rs.spec?.template?.spec?.containers[0]?.image === 'nginx:9.9.9-does-not-exist')!;
    expect(cond(d, 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${newRs.metadata!.name}" has timed out progressing.` });
    expect(cond(d, 'Available').status).toBe('True');
    expect(active(c.live.pods('api')).filter(isPodReady).length).toBeGreaterThanOrEqual(2);
  });

  it('scaling during a rollout is shared between the ReplicaSets in proportion (upstream scale)', () => {
    const c = deploymentCluster('deploy-proportional');
    c.deploy('web', { replicas: 10, strategy: { rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } });
    c.world.sim.advance(40_000);
    c.setImage('web', 'nginx:9.9.9-does-not-exist');
    c.world.sim.advance(20_000);
    const before = c.live.replicaSets('web').map((rs) => rs.spec?.replicas ?? 0);
    expect(before.reduce((a, b) => a + b, 0)).toBe(13);
    c.call({ verb: 'patch', patchType: 'merge', group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default', name: 'web', body: { spec: { replicas: 20 } } });
    c.world.sim.advance(5_000);
    const after = c.live.replicaSets('web').map((rs) => rs.spec?.replicas ?? 0);
    // 20 + maxSurge 3 = 23 wanted in all; the 8 old and 5 new grow in proportion to the 13 they were sized for:
    // 8 × 23/13 = 14.15 → 14, 5 × 23/13 = 8.85 → 9.
    expect(after.reduce((a, b) => a + b, 0)).toBe(23);
    expect(after.sort((a, b) => a - b)).toEqual([9, 14]);
  });
});
