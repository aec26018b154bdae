import { formatQuantity } from '../../api/quantity.js';

/** What the eviction manager knows of a pod on its node. */
export interface PodMemoryView {
  name: string;
  namespace: string;
  priority: number;
  containers: Array<{ name: string; requestBytes: number; usageBytes: number }>;
}

const usage = (p: PodMemoryView): number => p.containers.reduce((n, c) => n + c.usageBytes, 0);
const request = (p: PodMemoryView): number => p.containers.reduce((n, c) => n + c.requestBytes, 0);

/**
 * The order in which pods are evicted for memory pressure (upstream
 * pkg/kubelet/eviction/helpers.go rankMemoryPressure =
 * orderedBy(exceedMemoryRequests, priority, memory)): pods using more than
 * they requested first, then lower priority first, then the largest usage
 * above request first. (k8s-rules.md Node-pressure eviction)
 */
export function rankForMemoryPressure<T extends PodMemoryView>(pods: readonly T[]): T[] {
  return pods
    .map((pod, i) => ({ pod, i, exceeds: usage(pod) > request(pod), above: usage(pod) - request(pod) }))
    .sort((a, b) => {
      if (a.exceeds !== b.exceeds) return a.exceeds ? -1 : 1;
      if (a.pod.priority !== b.pod.priority) return a.pod.priority - b.pod.priority;
      if (a.above !== b.above) return b.above - a.above;
      return a.i - b.i;
    })
    .map((x) => x.pod);
}

/** upstream helpers.go message fragments, verbatim with their trailing spaces. */
const NODE_LOW = (resource: string): string => `The node was low on resource: ${resource}. `;
const THRESHOLD_MET = (quantity: string, available: string): string => `Threshold quantity: ${quantity}, available: ${available}. `;
const CONTAINER = (name: string, used: string, requested: string, resource: string): string =>
  `Container ${name} was using ${used}, request is ${requested}, has larger consumption of ${resource}. `;

const bytes = (n: number): string => formatQuantity({ value: n, format: 'BinarySI' });

/**
 * The evicted pod's status message (upstream evictionMessage), e.g.
 * `The node was low on resource: memory. Threshold quantity: 100Mi,
 * available: 90Mi. Container app was using 500Mi, request is 0, has larger
 * consumption of memory. ` — only containers above their request are named.
 */
export function memoryEvictionMessage(pod: PodMemoryView, thresholdBytes: number, availableBytes: number): string {
  return evictionMessage(pod, 'memory', thresholdBytes, availableBytes);
}

/** The same message for any resource (`ephemeral-storage` for nodefs pressure). */
export function evictionMessage(pod: PodMemoryView, resource: string, thresholdBytes: number, availableBytes: number): string {
  let message = NODE_LOW(resource) + THRESHOLD_MET(bytes(thresholdBytes), bytes(availableBytes));
  for (const c of pod.containers) if (c.usageBytes > c.requestBytes) message += CONTAINER(c.name, bytes(c.usageBytes), bytes(c.requestBytes), resource);
  return message;
}
