import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import { isPodAvailable, isPodReady } from '../pod-util.js';

/**
 * A ReplicaSet's status from its active pods (upstream replica_set_utils.go
 * calculateStatus): replicas, fully labeled (the template's labels all
 * present), ready, available (ready for minReadySeconds), the generation
 * seen, and ReplicaFailure while creating or deleting fails. Counters that
 * are 0 are left out, as the API's omitempty does.
 */
export function replicaSetStatus(rs: ReplicaSet, pods: readonly Pod[], nowMs: number, failure: { reason: 'FailedCreate' | 'FailedDelete'; message: string } | undefined, nowText: string): ReplicaSetStatus {
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const p of pods) {
    const labels = p.metadata?.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, nowMs)) available++;
    }
  }
  let conditions: ReplicaSetCondition[] = (rs.status?.conditions ?? []).filter((c) => c.type !== 'ReplicaFailure');
  const existing = rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  if (failure !== undefined) conditions = [...conditions, existing ?? { type: 'ReplicaFailure', status: 'True', reason: failure.reason, message: failure.message, lastTransitionTime: nowText }];
  return {
    replicas: pods.length,
    ...(fullyLabeled > 0 && { fullyLabeledReplicas: fullyLabeled }),
    ...(ready > 0 && { readyReplicas: ready }),
    ...(available > 0 && { availableReplicas: available }),
    ...(rs.metadata?.generation !== undefined && { observedGeneration: rs.metadata.generation }),
    ...(conditions.length > 0 && { conditions }),
  };
}
