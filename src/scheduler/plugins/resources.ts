import { MAX_NODE_SCORE, unschedulable, type CycleState, type Plugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';

/**
 * upstream plugins/noderesources Fit: the pod's requests (max of the
 * containers' sum and any init container, plus overhead) must fit in what
 * the node's pods leave of allocatable; every shortfall is a reason
 * ("Insufficient cpu", "Insufficient memory", "Too many pods", …).
 */
export const nodeResourcesFit: Plugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  filter(state: CycleState, node: NodeInfo) {
    const r = state.pod.requests;
    // The common case first, without allocating.
    if (
      node.pods.size + 1 <= node.allowedPodNumber &&
      (r.milliCPU === 0 || r.milliCPU <= node.allocatable.milliCPU - node.requested.milliCPU) &&
      (r.memory === 0 || r.memory <= node.allocatable.memory - node.requested.memory) &&
      (r.ephemeralStorage === 0 || r.ephemeralStorage <= node.allocatable.ephemeralStorage - node.requested.ephemeralStorage) &&
      r.scalar.size === 0
    ) {
      return undefined;
    }
    const reasons: string[] = [];
    if (node.pods.size + 1 > node.allowedPodNumber) reasons.push('Too many pods');
    if (r.milliCPU > 0 && r.milliCPU > node.allocatable.milliCPU - node.requested.milliCPU) reasons.push('Insufficient cpu');
    if (r.memory > 0 && r.memory > node.allocatable.memory - node.requested.memory) reasons.push('Insufficient memory');
    if (r.ephemeralStorage > 0 && r.ephemeralStorage > node.allocatable.ephemeralStorage - node.requested.ephemeralStorage) reasons.push('Insufficient ephemeral-storage');
    for (const [name, v] of r.scalar) if (v > 0 && v > (node.allocatable.scalar.get(name) ?? 0) - (node.requested.scalar.get(name) ?? 0)) reasons.push(`Insufficient ${name}`);
    return reasons.length === 0 ? undefined : unschedulable(...reasons);
  },
  /** LeastAllocated (the default scoring strategy): free share of cpu and memory after the pod, non-zero requests, weights 1:1. */
  score(state: CycleState, node: NodeInfo) {
    const least = (requested: number, capacity: number) => (capacity === 0 || requested > capacity ? 0 : Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity));
    const cpu = least(node.nonZeroMilliCPU + state.pod.nonZeroMilliCPU, node.allocatable.milliCPU);
    const mem = least(node.nonZeroMemory + state.pod.nonZeroMemory, node.allocatable.memory);
    return Math.trunc((cpu + mem) / 2);
  },
};

/**
 * upstream plugins/noderesources BalancedAllocation: nodes where cpu and
 * memory would be used in equal shares score higher: (1 − |cpu − mem| / 2) × 100,
 * from the requests themselves.
 */
export const nodeResourcesBalancedAllocation: Plugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  score(state: CycleState, node: NodeInfo) {
    const fractions: number[] = [];
    const add = (requested: number, allocatable: number) => {
      if (allocatable !== 0) fractions.push(Math.min(1, requested / allocatable));
    };
    add(node.requested.milliCPU + state.pod.requests.milliCPU, node.allocatable.milliCPU);
    add(node.requested.memory + state.pod.requests.memory, node.allocatable.memory);
    const std = fractions.length === 2 ? Math.abs((fractions[0]! - fractions[1]!) / 2) : 0;
    return Math.trunc((1 - std) * MAX_NODE_SCORE);
  },
};
