import { describe, expect, it } from 'vitest';
import { boundPod, kubeletCluster } from './testing-cluster.js';

describe('kubelet: disk faults surface as failed pulls and mounts, never as a crash', () => {
  it('a full disk fails image pulls with containerd\'s ENOSPC text, ErrImagePull then back-off; after healing the pull succeeds', () => {
    const c = kubeletCluster('kubelet-disk-full');
    c.world.sim.advance(2_000);
    const fault = c.world.faults.inject({ kind: 'disk-full', host: 'node-1' });
    c.createPod(boundPod('web', [{ name: 'nginx', image: 'nginx:1.27' }]));
    c.world.sim.advance(5_000);
    const failed = c.events('web').filter((e: any) => e.reason === 'Failed').map((e: any) => e.message);
    expect(failed[0]).toMatch(
      /^Failed to pull image "nginx:1\.27": rpc error: code = Unknown desc = failed to pull and unpack image "docker\.io\/library\/nginx:1\.27": failed to copy: write \/var\/lib\/containerd\/io\.containerd\.content\.v1\.content\/ingest\/[0-9a-f]{64}\/data: no space left on device$/,
    );
    expect(failed).toContain('Error: ErrImagePull');
    const waiting = () => (c.getPod('web').body as any).status.containerStatuses[0].state.waiting?.reason;
    expect(['ErrImagePull', 'ImagePullBackOff']).toContain(waiting());
    fault.heal();
    c.world.sim.advance(60_000);
    expect((c.getPod('web').body as any).status.phase).toBe('Running');
  });

  it('disk I/O errors fail an emptyDir mount with FailedMount until the disk recovers', () => {
    const c = kubeletCluster('kubelet-disk-eio');
    c.world.sim.advance(2_000);
    const fault = c.world.faults.inject({ kind: 'disk-eio', host: 'node-1', rate: 1 });
    const pod = c.createPod(boundPod('cache', [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'], volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }], { volumes: [{ name: 'scratch', emptyDir: {} }] })).body as any;
    c.world.sim.advance(5_000);
    const mounts = c.events('cache').filter((e: any) => e.reason === 'FailedMount').map((e: any) => e.message);
    expect(mounts[0]).toBe(`MountVolume.SetUp failed for volume "scratch" : mkdir /var/lib/kubelet/pods/${pod.metadata.uid}/volumes/kubernetes.io~empty-dir/scratch: input/output error`);
    expect((c.getPod('cache').body as any).status.containerStatuses[0].state.waiting.reason).toBe('ContainerCreating');
    fault.heal();
    c.world.sim.advance(60_000);
    expect((c.getPod('cache').body as any).status.phase).toBe('Running');
  });
});
