import { describe, expect, it } from 'vitest';
import { boundPod, kubeletCluster } from '../testing-cluster.js';

const claimPod = (name: string, script: string) =>
  boundPod(name, [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', script], volumeMounts: [{ name: 'data', mountPath: '/data' }] }], {
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
  });

describe('PersistentVolumeClaim volumes (upstream volumemanager desired_state_of_world_populator getPVCExtractPV)', () => {
  it('a missing, then unbound claim keeps the pod in ContainerCreating with FailedMount; once bound the pod runs and its data outlives it', () => {
    const c = kubeletCluster('kubelet-pvc');
    c.createPod(claimPod('writer', 'echo saved > /data/file; sleep 3600'));
    c.world.sim.advance(5_000);
    const waiting = (c.getPod('writer').body as any).status.containerStatuses[0].state.waiting;
    expect(waiting.reason).toBe('ContainerCreating');
    const failed = () => c.events('writer').filter((e: any) => e.reason === 'FailedMount').map((e: any) => e.message);
    expect(failed()).toEqual([
      'Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: error processing PVC default/data: failed to fetch PVC from API server: persistentvolumeclaims "data" not found',
    ]);

    const pvc = c.call({
      verb: 'create', group: '', version: 'v1', resource: 'persistentvolumeclaims', namespace: 'default',
      body: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } as any,
    }).body as any;
    c.world.sim.advance(30_000);
    expect(failed().at(-1)).toBe('Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: error processing PVC default/data: PVC is not bound');

    // Bind by hand, as the PV controller would: the PV's claimRef names the claim, the claim is Bound to the PV.
    c.call({
      verb: 'create', group: '', version: 'v1', resource: 'persistentvolumes',
      body: { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/mnt/pv-1' }, claimRef: { namespace: 'default', name: 'data', uid: pvc.metadata.uid } } } as any,
    });
    c.call({ verb: 'update', group: '', version: 'v1', resource: 'persistentvolumeclaims', namespace: 'default', name: 'data', body: { ...pvc, spec: { ...pvc.spec, volumeName: 'pv-1' } } });
    const latest = c.call({ verb: 'get', group: '', version: 'v1', resource: 'persistentvolumeclaims', namespace: 'default', name: 'data' }).body as any;
    c.call({ verb: 'update', group: '', version: 'v1', resource: 'persistentvolumeclaims', namespace: 'default', name: 'data', subresource: 'status', body: { ...latest, status: { phase: 'Bound' } } });
    c.world.sim.advance(30_000);
    expect((c.getPod('writer').body as any).status.phase).toBe('Running');

    c.call({ verb: 'delete', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'writer', query: { gracePeriodSeconds: 0 } });
    c.createPod(claimPod('reader', 'cat /data/file; sleep 3600'));
    c.world.sim.advance(10_000);
    const logs = c.call({ verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'reader', subresource: 'log' }).body as any;
    expect(logs.text).toBe('saved\n');
  });
});
