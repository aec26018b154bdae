import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerCondition } from 'kubernetes-types/autoscaling/v2.js';
import { rfc3339 } from '../../api/server/time.js';

/**
 * Set a condition (upstream horizontal.go setConditionInList): an existing
 * one keeps its place and its lastTransitionTime unless its status changes;
 * a new one is appended.
 */
export function setCondition(hpa: HorizontalPodAutoscaler, type: string, status: 'True' | 'False', reason: string, message: string, nowMs: number): void {
  const conditions: HorizontalPodAutoscalerCondition[] = (hpa.status ??= { desiredReplicas: 0 }).conditions ??= [];
  const existing = conditions.find((c) => c.type === type);
  if (existing === undefined) {
    conditions.push({ type, status, lastTransitionTime: rfc3339(nowMs), reason, message });
    return;
  }
  if (existing.status !== status) existing.lastTransitionTime = rfc3339(nowMs);
  existing.status = status;
  existing.reason = reason;
  existing.message = message;
}

/** The condition for a metric that could not be computed (getUnableComputeReplicaCountCondition). */
export const unableToCompute = (reason: string, error: string) => ({ type: 'ScalingActive', status: 'False' as const, reason, message: `the HPA was unable to compute the replica count: ${error}` });
