import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { parseRfc3339 } from '../../api/server/time.js';
import type { View } from './plan.js';
import { nameOf } from './plan.js';
import {
  actualReplicas,
  availableReplicas,
  condition,
  deploymentComplete,
  getCondition,
  hasProgressDeadline,
  maxUnavailable,
  readyReplicas,
  Reasons,
  removeCondition,
  replicasOf,
  setCondition,
  specReplicas,
} from './util.js';

/**
 * A Deployment's status from its ReplicaSets (upstream sync.go
 * calculateStatus): replicas, updated, ready, available, unavailable (from
 * the ReplicaSets' sizes), and Available True "MinimumReplicasAvailable"
 * "Deployment has minimum availability." while available ≥ replicas −
 * maxUnavailable, else False "MinimumReplicasUnavailable".
 */
export function calculateStatus(view: View, all: readonly ReplicaSet[], newRS: ReplicaSet | undefined, base: DeploymentStatus): DeploymentStatus {
  const d = view.d;
  const available = availableReplicas(all);
  const unavailable = Math.max(0, specReplicas(all) - available);
  const status: DeploymentStatus = {
    ...(d.metadata?.generation !== undefined && { observedGeneration: d.metadata.generation }),
    replicas: actualReplicas(all),
    updatedReplicas: newRS === undefined ? 0 : actualReplicas([newRS]),
    readyReplicas: readyReplicas(all),
    availableReplicas: available,
    unavailableReplicas: unavailable,
    ...(d.status?.collisionCount !== undefined && { collisionCount: d.status.collisionCount }),
    conditions: [...(base.conditions ?? [])],
  };
  if (available >= replicasOf(d) - maxUnavailable(d)) setCondition(status, condition('Available', 'True', Reasons.MinimumReplicasAvailable, 'Deployment has minimum availability.', view.now));
  else setCondition(status, condition('Available', 'False', Reasons.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', view.now));
  return status;
}

/** Omit the counters that are 0, as the API's omitempty does. */
export function compact(s: DeploymentStatus): DeploymentStatus {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (v !== 0 && v !== undefined && !(Array.isArray(v) && v.length === 0)) out[k] = v;
  return out as DeploymentStatus;
}

/**
 * Status with progress (upstream progress.go syncRolloutStatus):
 * Progressing True "NewReplicaSetAvailable" 'ReplicaSet "X" has
 * successfully progressed.' when complete; True "ReplicaSetUpdated" 'ReplicaSet
 * "X" is progressing.' (lastUpdateTime moves) on any progress; False
 * "ProgressDeadlineExceeded" 'ReplicaSet "X" has timed out progressing.'
 * once progressDeadlineSeconds pass without; ReplicaFailure copied from the
 * ReplicaSets. Also when to look again for the deadline.
 */
export function rolloutStatus(view: View, all: readonly ReplicaSet[], newRS: ReplicaSet | undefined, base: DeploymentStatus): { status: DeploymentStatus; requeueAfterMs?: number } {
  const d = view.d;
  const status = calculateStatus(view, all, newRS, base);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const complete = status.replicas === status.updatedReplicas && current?.reason === Reasons.NewRSAvailable;
  const what = newRS === undefined ? `Deployment "${nameOf(d)}"` : `ReplicaSet "${nameOf(newRS)}"`;
  if (hasProgressDeadline(d) && !complete) {
    if (deploymentComplete(d, status)) setCondition(status, condition('Progressing', 'True', Reasons.NewRSAvailable, `${what} has successfully progressed.`, view.now));
    else if (progressing(d, status)) {
      const c = condition('Progressing', 'True', Reasons.ReplicaSetUpdated, `${what} is progressing.`, view.now);
      if (current?.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
      removeCondition(status, 'Progressing');
      setCondition(status, c);
    } else if (timedOut(view, status)) setCondition(status, condition('Progressing', 'False', Reasons.TimedOut, `${what} has timed out progressing.`, view.now));
  }
  const failure = (newRS === undefined ? [] : [newRS]).concat(all.filter((r) => r !== newRS)).flatMap((rs) => rs.status?.conditions?.filter((c) => c.type === 'ReplicaFailure' && c.status === 'True') ?? [])[0];
  if (failure !== undefined) setCondition(status, { type: 'ReplicaFailure', status: 'True', reason: failure.reason ?? '', message: failure.message ?? '', lastUpdateTime: view.now, lastTransitionTime: failure.lastTransitionTime ?? view.now });
  else removeCondition(status, 'ReplicaFailure');
  return { status, ...requeueStuck(view, status) };
}

/** upstream DeploymentProgressing: more updated, fewer old, more ready or more available pods. */
function progressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** upstream DeploymentTimedOut: progressDeadlineSeconds since the Progressing condition last moved. */
function timedOut(view: View, s: DeploymentStatus): boolean {
  const c = getCondition(s, 'Progressing');
  if (c === undefined || c.reason === Reasons.NewRSAvailable) return false;
  if (c.reason === Reasons.TimedOut) return true;
  const from = parseRfc3339(c.lastUpdateTime ?? view.now);
  return from + (view.d.spec?.progressDeadlineSeconds ?? 600) * 1000 < view.nowMs;
}

/** upstream requeueStuckDeployment: look again when the deadline would pass. */
function requeueStuck(view: View, s: DeploymentStatus): { requeueAfterMs?: number } {
  const c = getCondition(s, 'Progressing');
  if (c === undefined || c.reason === Reasons.NewRSAvailable || c.reason === Reasons.TimedOut || !hasProgressDeadline(view.d)) return {};
  if (deploymentComplete(view.d, s)) return {};
  const due = parseRfc3339(c.lastUpdateTime ?? view.now) + (view.d.spec?.progressDeadlineSeconds ?? 600) * 1000 + 1000;
  return { requeueAfterMs: Math.max(1000, due - view.nowMs) };
}
