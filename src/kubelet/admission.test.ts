import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { admitPod, podRequest } from './admission.js';

const pod = (cpu: string, memory = '0', extra: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({ spec: { containers: [{ name: 'a', resources: { requests: { cpu, memory } } }], ...extra } });
const node = { allocatable: { cpu: '4', memory: '8Gi', pods: '3' }, labels: { 'kubernetes.io/hostname': 'node-1', disk: 'ssd' } };

describe('kubelet admission (upstream lifecycle/predicate.go)', () => {
  it('admits what fits and rejects what does not, with upstream texts', () => {
    expect(admitPod(pod('1'), [pod('2')], node)).toBeUndefined();
    expect(admitPod(pod('500m'), [pod('2'), pod('1800m')], node)).toEqual({ reason: 'OutOfcpu', message: "Node didn't have enough resource: cpu, requested: 500, used: 3800, capacity: 4000" });
    expect(admitPod(pod('0', '1Gi'), [pod('0', '7680Mi')], node)).toEqual({
      reason: 'OutOfmemory',
      message: "Node didn't have enough resource: memory, requested: 1073741824, used: 8053063680, capacity: 8589934592",
    });
    expect(admitPod(pod('0'), [pod('0'), pod('0'), pod('0')], node)).toEqual({ reason: 'OutOfpods', message: "Node didn't have enough resource: pods, requested: 1, used: 3, capacity: 3" });
    expect(admitPod(pod('0', '0', { nodeSelector: { disk: 'hdd' } }), [], node)).toEqual({ reason: 'NodeAffinity', message: 'Predicate NodeAffinity failed' });
  });

  it('a pod requests the larger of its containers and its biggest init container, plus overhead', () => {
    const p: Pod = {
      spec: {
        initContainers: [{ name: 'i', resources: { requests: { cpu: '3' } } }],
        containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }, { name: 'b', resources: { limits: { cpu: '1' } } }],
        overhead: { cpu: '250m' },
      },
    };
    expect(podRequest(p, 'cpu')).toBe(3.25);
  });
});
