import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../scheduler/scheduler.js';
import { testCluster } from '../testing.js';
import { PersistentVolumeController, SIMULATED_PROVISIONER } from '../volume/pv-controller.js';
import { StatefulSetController } from './controller.js';

function cluster(seed: string) {
  const c = testCluster(seed);
  const host = c.world.host('cp-0');
  new Scheduler(host, c.kcm).start();
  new StatefulSetController(host, c.kcm).start();
  new PersistentVolumeController(host, c.kcm).start();
  c.call({ verb: 'create', group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', body: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: SIMULATED_PROVISIONER, volumeBindingMode: 'Immediate' } as any });
  const sts = (replicas: number, policy = 'OrderedReady') =>
    c.call({
      verb: 'create', group: 'apps', version: 'v1', resource: 'statefulsets', namespace: 'default',
      body: {
        metadata: { name: 'web', namespace: 'default' },
        spec: {
          replicas, serviceName: 'web', podManagementPolicy: policy, selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'cat /data/who 2>/dev/null || echo $HOSTNAME > /data/who; sleep 3600'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }] } },
          volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
        },
      } as any,
    });
  const pod = (name: string) => c.get('pods', name, 'default');
  return { ...c, sts, pod };
}

describe('StatefulSet controller (upstream pkg/controller/statefulset)', () => {
  it('OrderedReady: web-0, web-1, web-2 in order, each after the one before is Ready, each with its own provisioned claim', () => {
    const c = cluster('sts-ordered');
    const created = c.sts(3);
    if (created.error) throw created.error;
    c.world.sim.advance(60_000);
    const pods = [0, 1, 2].map((i) => c.pod(`web-${i}`));
    for (const [i, p] of pods.entries()) {
      expect(p.spec).toMatchObject({ hostname: `web-${i}`, subdomain: 'web' });
      expect(p.metadata.labels).toMatchObject({ 'statefulset.kubernetes.io/pod-name': `web-${i}`, 'apps.kubernetes.io/pod-index': String(i) });
      expect(p.spec.volumes.find((v: any) => v.name === 'data').persistentVolumeClaim.claimName).toBe(`data-web-${i}`);
      expect(c.get('persistentvolumeclaims', `data-web-${i}`, 'default').status.phase).toBe('Bound');
    }
    const readyAt = (p: any) => Date.parse(p.status.conditions.find((x: any) => x.type === 'Ready').lastTransitionTime);
    expect(Date.parse(pods[1].metadata.creationTimestamp)).toBeGreaterThanOrEqual(readyAt(pods[0]));
    expect(Date.parse(pods[2].metadata.creationTimestamp)).toBeGreaterThanOrEqual(readyAt(pods[1]));
    const events = c.events('web').map((e: any) => e.message);
    expect(events).toContain('create Claim data-web-0 Pod web-0 in StatefulSet web success');
    expect(events).toContain('create Pod web-0 in StatefulSet web successful');
    const status = (c.call({ verb: 'get', group: 'apps', version: 'v1', resource: 'statefulsets', namespace: 'default', name: 'web' }).body as any).status;
    expect(status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 3, updatedReplicas: 3 });
    expect(status.currentRevision).toBe(status.updateRevision);
  });

  it('stable identity: a deleted pod comes back with its name and its data; scaling down keeps the claims', () => {
    const c = cluster('sts-identity');
    c.sts(2);
    c.world.sim.advance(60_000);
    const before = c.pod('web-1');
    c.call({ verb: 'delete', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'web-1', query: { gracePeriodSeconds: 0 } });
    c.world.sim.advance(30_000);
    const after = c.pod('web-1');
    expect(after.metadata.uid).not.toBe(before.metadata.uid);
    const logs = c.call({ verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'web-1', subresource: 'log' }).body as any;
    // The new pod reads what the first web-1 wrote on its claim.
    expect(logs.text).toBe('web-1\n');
    c.call({ verb: 'patch', patchType: 'merge', group: 'apps', version: 'v1', resource: 'statefulsets', namespace: 'default', name: 'web', body: { spec: { replicas: 1 } } });
    c.world.sim.advance(60_000);
    expect(c.call({ verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'web-1' }).error).toMatchObject({ code: 404 });
    expect(c.get('persistentvolumeclaims', 'data-web-1', 'default').status.phase).toBe('Bound');
  });
});
