import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { SchedulingAlgorithm } from './algorithm.js';
import { NodeInfo, PodInfo } from './node-info.js';
import { Nominator } from './nominator.js';
import { DEFAULT_PLUGINS } from './plugins/index.js';
import { fakeNode } from './testing.js';

const pod = (name: string, cpu: string, priority = 0, nominatedNodeName?: string): Pod => ({
  metadata: { name, namespace: 'default', uid: name },
  spec: { priority, containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu } } }] },
  ...(nominatedNodeName !== undefined && { status: { nominatedNodeName } }),
});

function world() {
  const node = new NodeInfo('node-1', fakeNode({ name: 'node-1', cpu: '1' }) as Node);
  const nominator = new Nominator();
  const algorithm = new SchedulingAlgorithm(DEFAULT_PLUGINS, () => 0.5);
  algorithm.nominator = nominator;
  return { node, nominator, algorithm };
}

describe('nominated pods in filters (upstream RunFilterPluginsWithNominatedPods, addGENominatedPods)', () => {
  it('a node keeps the room for its nominated pod against pods of lower or equal priority', () => {
    const { node, nominator, algorithm } = world();
    nominator.set(pod('high', '800m', 1000), 'node-1');
    const outcome = algorithm.schedule(new PodInfo(pod('late', '800m', 0)), [node]);
    expect('node' in outcome).toBe(false);
    expect([...(outcome as any).diagnosis.nodeToStatus.values()][0].reasons).toEqual(['Insufficient cpu']);
    // Equal priority is held back too; the nominated pod itself is not counted twice.
    expect('node' in algorithm.schedule(new PodInfo(pod('peer', '800m', 1000)), [node])).toBe(false);
    expect(algorithm.schedule(new PodInfo(pod('high', '800m', 1000, 'node-1')), [node])).toMatchObject({ node: 'node-1' });
  });

  it('a pod of higher priority than the nominated one ignores the nomination; without nominations nothing changes', () => {
    const { node, nominator, algorithm } = world();
    nominator.set(pod('mid', '800m', 100), 'node-1');
    expect(algorithm.schedule(new PodInfo(pod('top', '800m', 1000)), [node])).toMatchObject({ node: 'node-1' });
    nominator.delete('default/mid');
    expect(algorithm.schedule(new PodInfo(pod('late', '800m', 0)), [node])).toMatchObject({ node: 'node-1' });
  });

  it('a bound pod or a cleared nomination leaves the nominator', () => {
    const { nominator } = world();
    nominator.set(pod('a', '1', 0), 'node-1');
    expect(nominator.size).toBe(1);
    nominator.set({ ...pod('a', '1', 0), spec: { ...pod('a', '1').spec!, nodeName: 'node-1' } }, 'node-1');
    expect(nominator.size).toBe(0);
    nominator.set(pod('b', '1', 0), 'node-1');
    nominator.set(pod('b', '1', 0), undefined);
    expect(nominator.size).toBe(0);
  });
});
