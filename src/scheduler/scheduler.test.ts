import { describe, expect, it } from 'vitest';
import { backoffMs } from './queue.js';
import { numFeasibleNodesToFind } from './algorithm.js';
import { schedulerWorld } from './testing.js';

const requests = (cpu: string, memory = '64Mi') => ({ containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu, memory } } }] });
const failed = (w: ReturnType<typeof schedulerWorld>, name: string) => w.events(name).filter((e: any) => e.reason === 'FailedScheduling').map((e: any) => e.message);

describe('scheduler: binding (upstream schedule_one.go)', () => {
  it('binds a pending pod to a node, with the Scheduled event and PodScheduled', () => {
    const w = schedulerWorld('sched-bind', [{ name: 'node-1' }, { name: 'node-2' }]);
    w.pod('web');
    w.advance(1_000);
    const p = w.get('web');
    expect(['node-1', 'node-2']).toContain(p.spec.nodeName);
    expect(p.status.conditions.find((c: any) => c.type === 'PodScheduled').status).toBe('True');
    expect(w.events('web').map((e: any) => `${e.type} ${e.reason} ${e.message} ${e.source.component}`)).toEqual([`Normal Scheduled Successfully assigned default/web to ${p.spec.nodeName} default-scheduler`]);
  });

  it('leaves pods for other schedulers alone', () => {
    const w = schedulerWorld('sched-other', [{ name: 'node-1' }]);
    w.pod('custom', { schedulerName: 'my-scheduler' });
    w.advance(1_000);
    expect(w.get('custom').spec.nodeName).toBeUndefined();
  });
});

describe('scheduler: FailedScheduling messages (upstream FitError; k8s-rules.md Scheduler)', () => {
  it('insufficient resources everywhere, nothing to preempt', () => {
    const w = schedulerWorld('sched-cpu', [{ name: 'node-1', cpu: '1' }, { name: 'node-2', cpu: '1' }, { name: 'node-3', cpu: '1' }]);
    w.pod('big', requests('2'));
    w.advance(1_000);
    const message = '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..';
    expect(failed(w, 'big')).toEqual([message]);
    expect(w.get('big').status.conditions).toEqual([expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message })]);
  });

  it('a taint on one node, too little memory on the others', () => {
    const w = schedulerWorld('sched-mixed', [
      { name: 'cp', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
      { name: 'node-1', memory: '1Gi' },
      { name: 'node-2', memory: '1Gi' },
    ]);
    w.pod('hungry', requests('100m', '2Gi'));
    w.advance(1_000);
    expect(failed(w, 'hungry')).toEqual([
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..',
    ]);
  });

  it('node affinity and selector, cordoned nodes, and several shortfalls on one node', () => {
    const w = schedulerWorld('sched-affinity', [{ name: 'node-1', cpu: '1', memory: '1Gi' }, { name: 'node-2', unschedulable: true }, { name: 'node-3', labels: { disk: 'hdd' } }]);
    w.pod('picky', { ...requests('2', '2Gi'), nodeSelector: { disk: 'ssd' } });
    w.pod('heavy', requests('2', '2Gi'), {});
    w.advance(1_000);
    expect(failed(w, 'picky')).toEqual([
      "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..",
    ]);
    expect(w.get('heavy').spec.nodeName).toBe('node-3');
  });
});

describe('scheduler: queue (upstream scheduling_queue.go)', () => {
  it('an unschedulable pod is retried when a node that fits joins', () => {
    const w = schedulerWorld('sched-retry', [{ name: 'node-1', cpu: '1' }]);
    w.pod('big', requests('2'));
    w.advance(2_000);
    expect(w.get('big').spec.nodeName).toBeUndefined();
    w.call({ verb: 'create', group: '', version: 'v1', resource: 'nodes', body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-2' }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } } as any });
    w.advance(12_000);
    expect(w.get('big').spec.nodeName).toBe('node-2');
  });

  it('back-off doubles from 1 s to a 10 s cap', () => {
    expect([1, 2, 3, 4, 5, 6].map(backoffMs)).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });

  it('higher priority pods are scheduled first (PrioritySort), whatever order they came in', () => {
    let leading = false;
    const w = schedulerWorld('sched-priority', [{ name: 'node-1', cpu: '1' }], { isLeader: () => leading });
    w.call({ verb: 'create', group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', body: { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 } as any });
    w.pod('low', requests('800m'));
    w.pod('high', { ...requests('800m'), priorityClassName: 'high', preemptionPolicy: 'Never' });
    w.advance(1_000);
    expect(w.get('low').spec.nodeName).toBeUndefined();
    leading = true;
    w.advance(2_000);
    expect(w.get('high').spec.nodeName).toBe('node-1');
    expect(w.get('low').spec.nodeName).toBeUndefined();
  });
});

describe('scheduler: preemption (upstream DefaultPreemption)', () => {
  it('a high-priority pod preempts the lower-priority pod, is nominated, then bound', () => {
    const w = schedulerWorld('sched-preempt', [{ name: 'node-1', cpu: '1' }]);
    w.call({ verb: 'create', group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', body: { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 } as any });
    w.pod('low', requests('800m'));
    w.advance(1_000);
    expect(w.get('low').spec.nodeName).toBe('node-1');
    const high = w.pod('high', { ...requests('800m'), priorityClassName: 'high' }).body as any;
    w.advance(1_000);
    expect(failed(w, 'high')[0]).toBe('0/1 nodes are available: 1 Insufficient cpu.');
    expect(w.get('high').status.nominatedNodeName).toBe('node-1');
    expect(w.events('low').map((e: any) => `${e.reason} ${e.message}`)).toContain(`Preempted Preempted by pod ${high.metadata.uid} on node node-1`);
    // Without a kubelet the victim stays Terminating; once gone, the nominated pod binds.
    const low = w.get('low');
    expect(low.metadata.deletionTimestamp).toBeDefined();
    expect(low.status.conditions).toContainEqual(expect.objectContaining({ type: 'DisruptionTarget', reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod' }));
    w.call({ verb: 'delete', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'low', query: { gracePeriodSeconds: 0 } });
    w.advance(12_000);
    expect(w.get('high').spec.nodeName).toBe('node-1');
  });
});

describe('scheduler: inter-pod affinity and topology spread', () => {
  it('required anti-affinity on hostname puts each replica on its own node; one too many fails', () => {
    const w = schedulerWorld('sched-anti', [{ name: 'node-1' }, { name: 'node-2' }, { name: 'node-3' }]);
    const anti = { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }] } } };
    for (let i = 0; i < 4; i++) {
      w.pod(`db-${i}`, anti, { labels: { app: 'db' } });
      w.advance(500);
    }
    const placed = [0, 1, 2].map((i) => w.get(`db-${i}`).spec.nodeName).sort();
    expect(placed).toEqual(['node-1', 'node-2', 'node-3']);
    expect(failed(w, 'db-3')[0]).toBe("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..");
  });

  it('required pod affinity follows the first pod of the group; the first may go anywhere', () => {
    const w = schedulerWorld('sched-affine', [{ name: 'node-1' }, { name: 'node-2' }, { name: 'node-3' }]);
    const affine = { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' }] } } };
    w.pod('cache-0', affine, { labels: { app: 'cache' } });
    w.advance(500);
    const first = w.get('cache-0').spec.nodeName;
    for (let i = 1; i < 4; i++) w.pod(`cache-${i}`, affine, { labels: { app: 'cache' } });
    w.advance(1_000);
    for (let i = 1; i < 4; i++) expect(w.get(`cache-${i}`).spec.nodeName).toBe(first);
    w.pod('follower', affine, { labels: { app: 'web' } });
    w.advance(500);
    expect(w.get('follower').spec.nodeName).toBe(first);
  });

  it('DoNotSchedule topology spread keeps zones within maxSkew; a node without the key is not used', () => {
    const zone = (z: string) => ({ 'topology.kubernetes.io/zone': z });
    const w = schedulerWorld('sched-spread', [{ name: 'a-1', labels: zone('a') }, { name: 'a-2', labels: zone('a') }, { name: 'b-1', labels: zone('b') }, { name: 'nolabel' }]);
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] };
    for (let i = 0; i < 6; i++) {
      w.pod(`web-${i}`, spread, { labels: { app: 'web' } });
      w.advance(300);
    }
    const zones = [0, 1, 2, 3, 4, 5].map((i) => w.get(`web-${i}`).spec.nodeName).map((n: string) => (n.startsWith('a') ? 'a' : n === 'b-1' ? 'b' : n));
    expect(zones.filter((z) => z === 'a')).toHaveLength(3);
    expect(zones.filter((z) => z === 'b')).toHaveLength(3);
  });
});

describe('scheduler: percentageOfNodesToScore (upstream numFeasibleNodesToFind)', () => {
  it.each([
    [50, 50],
    [100, 100],
    [1000, 420], // 50 - 1000/125 = 42 %
    [5000, 500], // 10 %
    [6000, 300], // floor at 5 %
    [100_000, 5000],
  ])('%i nodes → find %i feasible', (nodes, expected) => {
    expect(numFeasibleNodesToFind(nodes)).toBe(expected);
  });
});
