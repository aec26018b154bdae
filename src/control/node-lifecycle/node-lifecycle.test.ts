import { describe, expect, it } from 'vitest';
import { testCluster } from '../testing.js';
import { TaintEvictionController } from '../taint-eviction.js';
import { NodeLifecycleController } from './controller.js';

function cluster(seed: string, options: Parameters<typeof testCluster>[1] = {}) {
  const c = testCluster(seed, options);
  new NodeLifecycleController(c.world.host('cp-0'), c.kcm).start();
  new TaintEvictionController(c.world.host('cp-0'), c.kcm).start();
  return c;
}

const condition = (node: any, type: string) => node.status.conditions.find((x: any) => x.type === type);
const taints = (node: any) => (node.spec.taints ?? []).map((t: any) => `${t.key}:${t.effect}`).sort();

describe('node lifecycle controller (upstream pkg/controller/nodelifecycle; k8s-rules.md Node lifecycle)', () => {
  it('a lost node: Ready Unknown after the 50 s grace, NodeNotReady, pods not Ready, unreachable taints, pods evicted at 300 s', () => {
    const c = cluster('nlc-lost');
    c.createPod('web', 'node-2');
    c.createPod('stays', 'node-2', { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }] });
    c.createPod('short', 'node-2', { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }] });
    c.world.sim.advance(30_000);
    expect(condition(c.get('pods', 'web', 'default'), 'Ready').status).toBe('True');
    const lostAt = c.world.sim.now;
    c.world.crash('node-2');

    c.world.sim.advance(45_000);
    expect(condition(c.get('nodes', 'node-2'), 'Ready').status).toBe('True');
    c.world.sim.advance(15_000);
    const node = c.get('nodes', 'node-2');
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      expect(condition(node, type)).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    }
    expect(c.events('node-2').map((e: any) => e.reason)).toContain('NodeNotReady');
    const web = c.get('pods', 'web', 'default');
    // k8s-rules.md: Ready turns False but ContainersReady stays True, so `kubectl get pods` still shows 1/1 Running.
    expect(condition(web, 'Ready').status).toBe('False');
    expect(condition(web, 'ContainersReady').status).toBe('True');
    expect(c.events('web').map((e: any) => `${e.type} ${e.reason} ${e.message}`)).toContain('Warning NodeNotReady Node is not ready');

    c.world.sim.advance(10_000);
    expect(taints(c.get('nodes', 'node-2'))).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    const taintedAt = c.world.sim.now;

    c.world.sim.advance(60_000);
    expect(c.get('pods', 'short', 'default').metadata.deletionTimestamp).toBeDefined();
    expect(c.get('pods', 'web', 'default').metadata.deletionTimestamp).toBeUndefined();
    c.world.sim.advance(300_000 - 60_000);
    const evicted = c.get('pods', 'web', 'default');
    // Default tolerations (DefaultTolerationSeconds admission): 300 s after the taint, the pod is marked for deletion…
    expect(evicted.metadata.deletionTimestamp).toBeDefined();
    expect(condition(evicted, 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' });
    expect(c.events('web').map((e: any) => `${e.reason} ${e.message}`)).toContain('TaintManagerEviction Marking for deletion Pod default/web');
    // …and stays Terminating while its kubelet is gone; a pod tolerating the taint forever stays.
    expect(c.get('pods', 'stays', 'default').metadata.deletionTimestamp).toBeUndefined();
    expect(taintedAt - lostAt).toBeLessThanOrEqual(75_000);
  });

  it('a node back in time keeps its pods: the taint goes and the scheduled deletion is cancelled', () => {
    const c = cluster('nlc-back');
    c.createPod('web', 'node-1');
    c.world.sim.advance(30_000);
    const fault = c.world.faults.inject({ kind: 'partition', groups: [['node-1'], ['cp-0']] });
    c.world.sim.advance(120_000);
    expect(taints(c.get('nodes', 'node-1'))).toContain('node.kubernetes.io/unreachable:NoExecute');
    fault.heal();
    c.world.sim.advance(30_000);
    expect(condition(c.get('nodes', 'node-1'), 'Ready').status).toBe('True');
    expect(taints(c.get('nodes', 'node-1'))).toEqual([]);
    c.world.sim.advance(300_000);
    expect(c.get('pods', 'web', 'default').metadata.deletionTimestamp).toBeUndefined();
    expect(c.events('web').map((e: any) => `${e.reason} ${e.message}`)).toContain('TaintManagerEviction Cancelling deletion of Pod default/web');
  });

  it('every node lost: master disruption mode, no NoExecute taint and no eviction', () => {
    const c = cluster('nlc-all', { nodes: ['node-1', 'node-2'] });
    c.createPod('web', 'node-1');
    c.world.sim.advance(30_000);
    c.world.crash('node-1');
    c.world.crash('node-2');
    c.world.sim.advance(600_000);
    for (const n of ['node-1', 'node-2']) {
      expect(condition(c.get('nodes', n), 'Ready').status).toBe('Unknown');
      expect(taints(c.get('nodes', n))).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    }
    expect(c.get('pods', 'web', 'default').metadata.deletionTimestamp).toBeUndefined();
  });

  it('node pressure conditions become NoSchedule taints, and go when the pressure does (upstream doNoScheduleTaintingPass)', () => {
    const c = cluster('nlc-pressure', { nodes: ['node-1'], memory: '1Gi', eviction: { hard: { 'memory.available': '100Mi' }, pressureTransitionPeriod: '30s' } });
    c.call({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: { metadata: { name: 'hog', namespace: 'default' }, spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'polinux/stress', command: ['stress'], args: ['--vm', '1', '--vm-bytes', '1000M', '--vm-hang', '1'] }] } } as any });
    c.world.sim.advance(20_000);
    expect(condition(c.get('nodes', 'node-1'), 'MemoryPressure').status).toBe('True');
    expect(taints(c.get('nodes', 'node-1'))).toEqual(['node.kubernetes.io/memory-pressure:NoSchedule']);
    c.world.sim.advance(60_000);
    expect(condition(c.get('nodes', 'node-1'), 'MemoryPressure').status).toBe('False');
    expect(taints(c.get('nodes', 'node-1'))).toEqual([]);
  });

  it('cordon adds the unschedulable taint', () => {
    const c = cluster('nlc-cordon', { nodes: ['node-1'] });
    c.world.sim.advance(5_000);
    c.call({ verb: 'patch', patchType: 'merge', group: '', version: 'v1', resource: 'nodes', name: 'node-1', body: { spec: { unschedulable: true } } });
    c.world.sim.advance(1_000);
    expect(taints(c.get('nodes', 'node-1'))).toEqual(['node.kubernetes.io/unschedulable:NoSchedule']);
    expect(c.get('nodes', 'node-1').spec.taints[0].timeAdded).toMatch(/^2026-/);
  });
});
