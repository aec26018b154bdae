import { describe, expect, it } from 'vitest';
import { ImageCatalog } from '../workloads/catalog.js';
import { boundPod, kubeletCluster } from './testing-cluster.js';

const condition = (node: any, type: string) => node.status.conditions.find((x: any) => x.type === type);

describe('kubelet: PID pressure (upstream eviction signal pid.available)', () => {
  it('a fork bomb drives pid.available under its threshold: PIDPressure, and the pod with most processes is evicted', () => {
    const catalog = new ImageCatalog({ 'example.com/forkbomb': { processes: { steady: 1, growthPerSecond: 50 } } });
    const c = kubeletCluster('kubelet-pids', { catalog, node: { pidMax: 2000 }, eviction: { hard: { 'pid.available': '500' } } });
    c.createPod(boundPod('quiet', [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'] }]));
    c.createPod(boundPod('bomb', [{ name: 'app', image: 'example.com/forkbomb:1' }]));
    c.world.sim.advance(60_000);
    const bomb = (c.getPod('bomb').body as any).status;
    expect(bomb).toMatchObject({ phase: 'Failed', reason: 'Evicted' });
    expect(bomb.message).toMatch(/^The node was low on resource: pids\. Threshold quantity: 500, available: \d+\. $/);
    expect((c.getPod('quiet').body as any).status.phase).toBe('Running');
    expect(condition(c.getNode(), 'PIDPressure')).toMatchObject({ status: 'True', reason: 'KubeletHasInsufficientPID', message: 'kubelet has insufficient PID available' });
    const nodeEvents = c.call({ verb: 'list', group: '', version: 'v1', resource: 'events', namespace: 'default' }).body as any;
    expect(nodeEvents.items.filter((e: any) => e.involvedObject.kind === 'Node').map((e: any) => e.reason)).toEqual(expect.arrayContaining(['NodeHasInsufficientPID', 'EvictionThresholdMet']));
  });
});

describe('kubelet: inode pressure (nodefs.inodesFree<5%)', () => {
  it('a container creating many small files exhausts inodes before bytes and is evicted', () => {
    const c = kubeletCluster('kubelet-inodes', { node: { inodes: 5000 } });
    c.createPod(boundPod('quiet', [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'] }]));
    c.createPod(boundPod('files', [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'i=0; while [ $i -lt 6000 ]; do touch /tmp/f$i; i=$((i+1)); done; sleep 3600'] }]));
    c.world.sim.advance(40_000);
    const files = (c.getPod('files').body as any).status;
    expect(files).toMatchObject({ phase: 'Failed', reason: 'Evicted' });
    // 5 % of 5000 as Go computes it (float32 percentage), printed as a plain number; no container line for inodes.
    expect(files.message).toMatch(/^The node was low on resource: inodes\. Threshold quantity: 250, available: \d+\. $/);
    expect((c.getPod('quiet').body as any).status.phase).toBe('Running');
    expect(condition(c.getNode(), 'DiskPressure')).toMatchObject({ status: 'True', reason: 'KubeletHasDiskPressure' });
  });
});

describe('kubelet: soft eviction thresholds', () => {
  it('evicts only after the grace period, and gives the pod min(evictionMaxPodGracePeriod, its own grace)', () => {
    const catalog = new ImageCatalog({ 'example.com/hog': { memory: { steadyMi: 700 }, shutdownSeconds: 100 } });
    const c = kubeletCluster('kubelet-soft', {
      memory: '1Gi',
      catalog,
      eviction: { hard: { 'memory.available': '100Mi' }, soft: { 'memory.available': '500Mi' }, softGracePeriod: { 'memory.available': '30s' }, maxPodGracePeriodSeconds: 10 },
    });
    c.createPod(boundPod('hog', [{ name: 'app', image: 'example.com/hog:1' }], { terminationGracePeriodSeconds: 60 }));
    c.world.sim.advance(25_000);
    expect(condition(c.getNode(), 'MemoryPressure')).toMatchObject({ status: 'True', reason: 'KubeletHasInsufficientMemory' });
    expect((c.getPod('hog').body as any).status.phase).toBe('Running');
    const entry = [...c.kubelet.pods.values()].find((e) => e.pod.metadata?.name === 'hog')!;
    c.world.sim.runUntil(() => entry.evicted !== undefined, { timeoutMs: 60_000 });
    const evictedAt = c.world.sim.now;
    // The pod had its grace: first soft pass at ≥ 30 s after pressure was first seen.
    expect(evictedAt).toBeGreaterThanOrEqual(40_000);
    expect(entry.evicted).toBe('The node was low on resource: memory. Threshold quantity: 500Mi, available: 324Mi. Container app was using 700Mi, request is 0, has larger consumption of memory. ');
    c.world.sim.advance(8_000);
    expect(entry.worker.slots[0]!.current!.running).toBe(true);
    c.world.sim.advance(3_000);
    expect(entry.worker.slots[0]!.current!.running).toBe(false);
  });
});

describe('kubelet: admission under node pressure (upstream eviction_manager.go Admit)', () => {
  it('under DiskPressure every new pod is rejected: Failed, reason Evicted', () => {
    const c = kubeletCluster('kubelet-admit-disk', { storage: '20Mi' });
    const fill = `i=0; while [ $i -lt 18432 ]; do echo ${'x'.repeat(1023)} >> /tmp/big; i=$((i+1)); done; sleep 3600`;
    c.createPod(boundPod('filler', [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', fill] }]));
    c.world.sim.advance(30_000);
    expect((c.getPod('filler').body as any).status.reason).toBe('Evicted');
    c.createPod(boundPod('late', [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'] }]));
    c.world.sim.advance(2_000);
    expect((c.getPod('late').body as any).status).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: 'Pod was rejected: The node had condition: [DiskPressure]. ' });
    expect(c.events('late').map((e: any) => `${e.type} ${e.reason} ${e.message}`)).toEqual(['Warning Evicted The node had condition: [DiskPressure]. ']);
  });

  it('under MemoryPressure alone only BestEffort pods are rejected, unless they tolerate the memory-pressure taint', () => {
    const catalog = new ImageCatalog({ 'example.com/hog': { memory: { steadyMi: 950 } } });
    const c = kubeletCluster('kubelet-admit-memory', { memory: '1Gi', catalog, eviction: { hard: { 'memory.available': '100Mi' } } });
    c.createPod(boundPod('hog', [{ name: 'app', image: 'example.com/hog:1' }]));
    c.world.sim.advance(15_000);
    expect(condition(c.getNode(), 'MemoryPressure').status).toBe('True');
    const sleeper = (resources: unknown) => [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'], resources }];
    c.createPod(boundPod('besteffort', sleeper({})));
    c.createPod(boundPod('burstable', sleeper({ requests: { memory: '10Mi' } })));
    c.createPod(boundPod('tolerant', sleeper({}), { tolerations: [{ key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' }] }));
    c.world.sim.advance(2_000);
    expect((c.getPod('besteffort').body as any).status).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: 'Pod was rejected: The node had condition: [MemoryPressure]. ' });
    expect((c.getPod('burstable').body as any).status.phase).toBe('Running');
    expect((c.getPod('tolerant').body as any).status.phase).toBe('Running');
  });
});
