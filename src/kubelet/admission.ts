import type { Pod } from 'kubernetes-types/core/v1.js';
import { podResourceTotal } from '../api/kinds/pod-resources.js';
import { tryParseQuantity } from '../api/quantity.js';

export interface Rejection {
  /** status.reason: OutOfcpu, OutOfmemory, OutOfpods, NodeAffinity. */
  reason: string;
  /** The event message; the pod's status message is "Pod was rejected: " + this. */
  message: string;
}

const value = (q: string | undefined): number => tryParseQuantity(q)?.value ?? 0;

/** A pod's effective request (upstream PodRequests): see podResourceTotal. */
export function podRequest(pod: Pod, resource: string): number {
  return podResourceTotal(pod, 'requests', resource);
}

/** How upstream prints an amount: millicores for cpu, plain units otherwise. */
const amount = (resource: string, v: number): number => (resource === 'cpu' ? Math.round(v * 1000) : Math.round(v));

/**
 * The kubelet's admission of a pod bound to it (upstream
 * pkg/kubelet/lifecycle/predicate.go canAdmitPod with the scheduler's
 * GeneralPredicates): the node's labels must still match the pod's
 * nodeSelector, and the pod must fit in what the admitted pods leave of
 * allocatable cpu, memory and pods. A rejected pod ends Failed with the
 * reason and message below.
 */
export function admitPod(pod: Pod, admitted: readonly Pod[], node: { allocatable: Record<string, string>; labels: Record<string, string> }): Rejection | undefined {
  const selector = pod.spec?.nodeSelector ?? {};
  if (Object.entries(selector).some(([k, v]) => node.labels[k] !== v)) return { reason: 'NodeAffinity', message: 'Predicate NodeAffinity failed' };
  const podsCapacity = value(node.allocatable['pods'] ?? '110');
  if (admitted.length + 1 > podsCapacity) {
    return { reason: 'OutOfpods', message: `Node didn't have enough resource: pods, requested: 1, used: ${admitted.length}, capacity: ${podsCapacity}` };
  }
  for (const resource of ['cpu', 'memory', 'ephemeral-storage']) {
    const requested = podRequest(pod, resource);
    if (requested === 0) continue;
    const used = admitted.reduce((n, p) => n + podRequest(p, resource), 0);
    const capacity = value(node.allocatable[resource]);
    if (used + requested > capacity) {
      return { reason: `OutOf${resource}`, message: `Node didn't have enough resource: ${resource}, requested: ${amount(resource, requested)}, used: ${amount(resource, used)}, capacity: ${amount(resource, capacity)}` };
    }
  }
  return undefined;
}
