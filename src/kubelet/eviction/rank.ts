import { formatQuantity } from '../../api/quantity.js';

/** What the eviction manager knows of a pod on its node. */
export interface PodMemoryView {
  name: string;
  namespace: string;
  priority: number;
  containers: Array<{ name: string; requestBytes: number; usageBytes: number }>;
}

/** A pod's use of the resource being reclaimed, as the disk and PID rankings need it. */
export interface PodUsageView extends PodMemoryView {
  /** Use outside its containers: disk-backed local volumes (bytes or inodes). */
  volumesUsage?: number;
  /** What the ranking compares usage with; the containers' requests when absent. */
  request?: number;
  /** What the ranking subtracts from usage; `request` when absent (upstream's disk ranking always subtracts the ephemeral-storage request, even for inodes). */
  rankingRequest?: number;
  /** Processes running in the pod. */
  processes?: number;
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

const podUsage = (p: PodUsageView): number => usage(p) + (p.volumesUsage ?? 0);
const podRequest = (p: PodUsageView): number => p.request ?? request(p);

/**
 * The order for disk pressure, bytes or inodes (upstream helpers.go
 * rankDiskPressureFunc = orderedBy(exceedDiskRequests, priority, disk)):
 * pods using more than their request first, then lower priority, then the
 * largest use above the request. With one filesystem for images and
 * containers, use is writable layers, logs and local volumes together.
 */
export function rankForDiskPressure<T extends PodUsageView>(pods: readonly T[]): T[] {
  return pods
    .map((pod, i) => ({ pod, i, exceeds: podUsage(pod) > podRequest(pod), above: podUsage(pod) - (pod.rankingRequest ?? podRequest(pod)) }))
    .sort((a, b) => {
      if (a.exceeds !== b.exceeds) return a.exceeds ? -1 : 1;
      if (a.pod.priority !== b.pod.priority) return a.pod.priority - b.pod.priority;
      if (a.above !== b.above) return b.above - a.above;
      return a.i - b.i;
    })
    .map((x) => x.pod);
}

/** The order for PID pressure (upstream rankPIDPressure = orderedBy(priority, process)): lower priority first, then more processes. */
export function rankForPIDPressure<T extends PodUsageView>(pods: readonly T[]): T[] {
  return pods
    .map((pod, i) => ({ pod, i }))
    .sort((a, b) => a.pod.priority - b.pod.priority || (b.pod.processes ?? 0) - (a.pod.processes ?? 0) || a.i - b.i)
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
  return evictionMessage(pod, 'memory', bytes(thresholdBytes), bytes(availableBytes));
}

/**
 * The same message for any resource, given the threshold and what is
 * available as upstream prints them (a percentage threshold as BinarySI,
 * available inodes and pids as DecimalSI); containers are named only for
 * memory and ephemeral-storage.
 */
export function evictionMessage(pod: PodMemoryView, resource: string, threshold: string, available: string): string {
  let message = NODE_LOW(resource) + THRESHOLD_MET(threshold, available);
  if (resource !== 'memory' && resource !== 'ephemeral-storage') return message;
  for (const c of pod.containers) if (c.usageBytes > c.requestBytes) message += CONTAINER(c.name, bytes(c.usageBytes), bytes(c.requestBytes), resource);
  return message;
}
