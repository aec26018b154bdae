import type { Pod } from 'kubernetes-types/core/v1.js';
import { parseRfc3339 } from '../../api/server/time.js';
import { milliValue, tryParseQuantity } from '../../api/quantity.js';

/** One pod's usage from metrics.k8s.io: milli-units, with the sample's time and window (upstream metricsclient.PodMetric). */
export interface PodMetric {
  value: number;
  timestampMs: number;
  windowMs: number;
}

export interface CalculatorOptions {
  /** --horizontal-pod-autoscaler-tolerance (0.1). */
  tolerance: number;
  /** --horizontal-pod-autoscaler-cpu-initialization-period (5 min). */
  cpuInitializationPeriodMs: number;
  /** --horizontal-pod-autoscaler-initial-readiness-delay (30 s). */
  delayOfInitialReadinessStatusMs: number;
}

export const DEFAULT_CALCULATOR_OPTIONS: CalculatorOptions = { tolerance: 0.1, cpuInitializationPeriodMs: 300_000, delayOfInitialReadinessStatusMs: 30_000 };

export interface ResourceReplicas {
  replicas: number;
  /** Average utilization, percent of request. */
  utilization: number;
  /** Average usage per pod, milli-units. */
  rawUtilization: number;
  timestampMs: number;
}

const time = (s: string | undefined): number | undefined => (s === undefined ? undefined : parseRfc3339(s));

/**
 * Sort the target's pods as upstream replica_calculator.go groupPods does:
 * deleted and failed pods are ignored; pending ones are unready; pods with no
 * metrics are missing; for CPU, a pod in its initialization period counts as
 * unready until it is Ready and a whole metric window has passed since, and
 * an older pod that was never Ready within the initial readiness delay is
 * unready too.
 */
export function groupPods(pods: readonly Pod[], metrics: ReadonlyMap<string, PodMetric>, resource: string, nowMs: number, options: CalculatorOptions) {
  let readyPodCount = 0;
  const unready = new Set<string>();
  const missing = new Set<string>();
  const ignored = new Set<string>();
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    if (pod.metadata?.deletionTimestamp !== undefined || pod.status?.phase === 'Failed') {
      ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (metric === undefined) {
      missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const condition = pod.status?.conditions?.find((c) => c.type === 'Ready');
      const start = time(pod.status?.startTime);
      const transition = time(condition?.lastTransitionTime) ?? 0;
      let isUnready: boolean;
      if (condition === undefined || start === undefined) isUnready = true;
      else if (start + options.cpuInitializationPeriodMs > nowMs) isUnready = condition.status === 'False' || metric.timestampMs < transition + metric.windowMs;
      else isUnready = condition.status === 'False' && start + options.delayOfInitialReadinessStatusMs > transition;
      if (isUnready) {
        unready.add(name);
        continue;
      }
    }
    readyPodCount++;
  }
  return { readyPodCount, unready, missing, ignored };
}

/** Each pod's request for the resource, milli-units; a container without one is an error (upstream calculateRequests). */
export function podRequests(pods: readonly Pod[], resource: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    for (const c of pod.spec?.containers ?? []) {
      const q = tryParseQuantity(c.resources?.requests?.[resource]);
      if (q === undefined) throw new Error(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata?.name ?? ''}`);
      sum += milliValue(q);
    }
    requests.set(pod.metadata?.name ?? '', sum);
  }
  return requests;
}

/** Usage over request for the pods with both (upstream metricsclient.GetResourceUtilizationRatio): integer percent, then the ratio to the target. */
export function utilizationRatio(metrics: ReadonlyMap<string, PodMetric>, requests: ReadonlyMap<string, number>, targetUtilization: number) {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [pod, metric] of metrics) {
    const request = requests.get(pod);
    if (request === undefined) continue;
    metricsTotal += metric.value;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / targetUtilization, utilization, rawUtilization: Math.trunc(metricsTotal / entries) };
}

/**
 * The desired replicas for a utilization target (upstream
 * ReplicaCalculator.GetResourceReplicas): ceil(ratio × ready pods) when
 * every pod is ready and measured and the ratio is outside the tolerance;
 * otherwise missing pods count as 100 % (scaling down) or 0 % (scaling
 * up), unready pods as 0 % when scaling up, and any change that would
 * flip direction or fall within the tolerance keeps the current count.
 */
export function resourceReplicas(
  currentReplicas: number,
  targetUtilization: number,
  resource: string,
  pods: readonly Pod[],
  podMetrics: ReadonlyMap<string, PodMetric>,
  nowMs: number,
  options: CalculatorOptions = DEFAULT_CALCULATOR_OPTIONS,
): ResourceReplicas {
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const metrics = new Map(podMetrics);
  const timestampMs = [...podMetrics.values()][0]?.timestampMs ?? nowMs;
  const { readyPodCount, unready, missing, ignored } = groupPods(pods, metrics, resource, nowMs, options);
  for (const name of [...ignored, ...unready]) metrics.delete(name);
  const requests = podRequests(pods, resource);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const { ratio, utilization, rawUtilization } = utilizationRatio(metrics, requests, targetUtilization);
  const result = (replicas: number): ResourceReplicas => ({ replicas, utilization, rawUtilization, timestampMs });
  const scaleUpWithUnready = unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && missing.size === 0) {
    if (Math.abs(1 - ratio) <= options.tolerance) return result(currentReplicas);
    return result(Math.ceil(ratio * readyPodCount));
  }
  if (missing.size > 0 && ratio !== 1) {
    // On a scale-down, missing pods use all of their request (or the target, when it is above 100 %); on a scale-up, none.
    const fallback = Math.max(100, targetUtilization);
    for (const name of missing) metrics.set(name, { value: ratio < 1 ? Math.trunc(((requests.get(name) ?? 0) * fallback) / 100) : 0, timestampMs, windowMs: 0 });
  }
  if (scaleUpWithUnready) for (const name of unready) metrics.set(name, { value: 0, timestampMs, windowMs: 0 });
  const next = utilizationRatio(metrics, requests, targetUtilization).ratio;
  if (Math.abs(1 - next) <= options.tolerance || (ratio < 1 && next > 1) || (ratio > 1 && next < 1)) return result(currentReplicas);
  const replicas = Math.ceil(next * metrics.size);
  if ((next < 1 && replicas > currentReplicas) || (next > 1 && replicas < currentReplicas)) return result(currentReplicas);
  return result(replicas);
}

/**
 * The desired replicas for an average-value target (upstream
 * GetRawResourceReplicas → calcPlainMetricReplicas): the same grouping,
 * with missing pods at the target value on a scale-down and at 0 on a scale-up.
 */
export function plainReplicas(
  currentReplicas: number,
  targetMilli: number,
  resource: string,
  pods: readonly Pod[],
  podMetrics: ReadonlyMap<string, PodMetric>,
  nowMs: number,
  options: CalculatorOptions = DEFAULT_CALCULATOR_OPTIONS,
): { replicas: number; rawUtilization: number; timestampMs: number } {
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const metrics = new Map(podMetrics);
  const timestampMs = [...podMetrics.values()][0]?.timestampMs ?? nowMs;
  const { readyPodCount, unready, missing, ignored } = groupPods(pods, metrics, resource, nowMs, options);
  for (const name of [...ignored, ...unready]) metrics.delete(name);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const average = (m: ReadonlyMap<string, PodMetric>) => [...m.values()].reduce((n, x) => n + x.value, 0) / m.size;
  const raw = average(metrics);
  const ratio = raw / targetMilli;
  const result = (replicas: number) => ({ replicas, rawUtilization: Math.trunc(raw), timestampMs });
  const scaleUpWithUnready = unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && missing.size === 0) {
    if (Math.abs(1 - ratio) <= options.tolerance) return result(currentReplicas);
    return result(Math.ceil(ratio * readyPodCount));
  }
  if (missing.size > 0) for (const name of missing) metrics.set(name, { value: ratio < 1 ? targetMilli : 0, timestampMs, windowMs: 0 });
  if (scaleUpWithUnready) for (const name of unready) metrics.set(name, { value: 0, timestampMs, windowMs: 0 });
  const next = average(metrics) / targetMilli;
  if (Math.abs(1 - next) <= options.tolerance || (ratio < 1 && next > 1) || (ratio > 1 && next < 1)) return result(currentReplicas);
  return result(Math.ceil(next * metrics.size));
}
