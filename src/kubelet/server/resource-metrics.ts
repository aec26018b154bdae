import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodWorker } from '../pod-worker.js';

/** What metrics-server asks a kubelet for: GET /metrics/resource. */
export interface ResourceMetricsRequest {
  kind: 'resourceMetrics';
}

/** One sample, as /metrics/resource exposes it: a cumulative CPU counter and the memory working set, timestamped by the node's clock. */
export interface UsageSample {
  cpuUsageCoreNanoSeconds: number;
  memoryWorkingSetBytes: number;
  timestampMs: number;
}

export interface ContainerSample extends UsageSample {
  namespace: string;
  pod: string;
  container: string;
  /** container_start_time_seconds: a new start means a new counter. */
  startTimeMs: number;
}

/**
 * The kubelet's /metrics/resource (upstream
 * pkg/kubelet/metrics/collectors/resource_metrics.go): node_cpu_usage_seconds_total,
 * node_memory_working_set_bytes and, per running container,
 * container_cpu_usage_seconds_total, container_memory_working_set_bytes and
 * container_start_time_seconds. Containers that are not running are not reported.
 */
export interface ResourceMetricsResponse {
  kind: 'resourceMetrics';
  node: UsageSample;
  containers: ContainerSample[];
}

/** Collect the samples for the pods a kubelet runs (the node's CPU counter is kept by the kubelet, so it never goes back when a container ends), at the node's wall time `nowMs` (counters read at monotonic `monotonicMs`). */
export function resourceMetrics(pods: Iterable<{ pod: Pod; worker: PodWorker }>, nodeCpuCoreNanoSeconds: number, nowMs: number, monotonicMs: number): ResourceMetricsResponse {
  const containers: ContainerSample[] = [];
  let memory = 0;
  for (const { pod, worker } of pods) {
    for (const slot of worker.slots) {
      const c = slot.current;
      const process = c?.main;
      if (c === undefined || process === undefined) continue;
      const sample: ContainerSample = {
        namespace: pod.metadata?.namespace ?? '',
        pod: pod.metadata?.name ?? '',
        container: slot.spec.name,
        startTimeMs: c.startedAtMs,
        cpuUsageCoreNanoSeconds: c.cpu.usageCoreNanoSeconds(monotonicMs),
        memoryWorkingSetBytes: process.memoryBytes(),
        timestampMs: nowMs,
      };
      memory += sample.memoryWorkingSetBytes;
      containers.push(sample);
    }
  }
  return { kind: 'resourceMetrics', node: { cpuUsageCoreNanoSeconds: nodeCpuCoreNanoSeconds, memoryWorkingSetBytes: memory, timestampMs: nowMs }, containers };
}
