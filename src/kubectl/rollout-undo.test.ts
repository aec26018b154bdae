import { describe, expect, it } from 'vitest';
import { deploymentCluster } from '../control/deployment/testing.js';
import { rolloutUndo } from './rollout-undo.js';

const cond = (d: any, type: string) => d.status?.conditions?.find((c: any) => c.type === type);

describe('rollout undo (kubectl rollout undo) after a rollout that missed its deadline', () => {
  it('restores the previous ReplicaSet under a new revision, with revision-history', () => {
    const c = deploymentCluster('deploy-undo');
    c.deploy('api', { replicas: 3, progressDeadlineSeconds: 60 });
    c.world.sim.advance(30_000);
    const good = c.live.replicaSets('api')[0]!.metadata!.name!;
    c.setImage('api', 'nginx:9.9.9-does-not-exist');
    c.world.sim.advance(120_000);
    expect(cond(c.deployment('api'), 'Progressing').reason).toBe('ProgressDeadlineExceeded');
    let message: string | undefined;
    rolloutUndo(c.client('cp-0'), 'default', 'api', 0, (error, m) => (message = error ?? m));
    c.world.sim.runUntil(() => message !== undefined, { timeoutMs: 10_000 });
    expect(message).toBe('deployment.apps/api rolled back');
    c.world.sim.advance(60_000);
    const d = c.deployment('api') as any;
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    const rss = c.live.replicaSets('api');
    const restored = rss.find((rs) => rs.metadata?.name === good)!;
    expect(restored.spec?.replicas).toBe(3);
    expect(restored.metadata?.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect(rss.find((rs) => rs.metadata?.name !== good)!.spec?.replicas).toBe(0);
    expect(cond(d, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
  });
});
