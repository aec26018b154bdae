import type { DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { isPodActive } from '../pod-util.js';
import { cleanup, newRSReplicas, scaleReplicaSet, sortByCreation, split, syncNewReplicaSet, type Plan, type View, type Write } from './plan.js';
import { rolloutStatus } from './progress.js';
import { availableReplicas, deploymentComplete, maxUnavailable, replicasOf, rsReplicas, specReplicas } from './util.js';

const active = (rss: readonly ReplicaSet[]) => rss.filter((rs) => rsReplicas(rs) > 0);

/**
 * RollingUpdate (upstream rolling.go rolloutRolling), one change per pass:
 * scale the new ReplicaSet up as far as maxSurge lets; else scale old ones
 * down as far as maxUnavailable lets — their unhealthy pods first
 * (cleanupUnhealthyReplicas), then by age (scaleDownOldReplicaSetsForRollingUpdate);
 * once complete, trim the history. Worked example (replicas 10, surge 3,
 * unavailable 2): new RS to 3 (13 pods), old RS down by up to
 * 13 − 8 − unavailable-new, and so on until new = 10, old = 0.
 */
export function rolloutRolling(view: View, status: DeploymentStatus): Plan {
  const d = view.d;
  const { oldRSs, maxOldRevision, newRS: found } = split(view);
  const synced = syncNewReplicaSet(view, oldRSs, maxOldRevision, found, true, status);
  if (synced.writes.length > 0 && (found === undefined || synced.writes[0]!.request.verb === 'update')) return { writes: synced.writes, status };
  const newRS = synced.newRS!;
  const writes = [...synced.writes];
  const all = [...oldRSs, newRS];
  // reconcileNewReplicaSet
  if (rsReplicas(newRS) !== replicasOf(d)) {
    const to = rsReplicas(newRS) > replicasOf(d) ? replicasOf(d) : newRSReplicas(d, all, newRS);
    const { write, rs } = scaleReplicaSet(view, newRS, to);
    if (write !== undefined && to !== rsReplicas(newRS)) {
      const after = [...oldRSs, rs];
      return { writes: [...writes, write], ...rolloutStatus(view, after, rs, status) };
    }
  }
  // reconcileOldReplicaSets
  const scaledDown = scaleDownOld(view, oldRSs, newRS);
  if (scaledDown.writes.length > 0) return { writes: [...writes, ...scaledDown.writes], ...rolloutStatus(view, [...scaledDown.oldRSs, newRS], newRS, status) };
  const result = rolloutStatus(view, all, newRS, status);
  if (deploymentComplete(d, result.status)) writes.push(...cleanup(view, oldRSs));
  return { writes, ...result };
}

function scaleDownOld(view: View, oldRSs: ReplicaSet[], newRS: ReplicaSet): { writes: Write[]; oldRSs: ReplicaSet[] } {
  const d = view.d;
  const writes: Write[] = [];
  let olds = sortByCreation(oldRSs);
  if (specReplicas(olds) === 0) return { writes, oldRSs };
  const all = [...olds, newRS];
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = rsReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = specReplicas(all) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return { writes, oldRSs };
  // cleanupUnhealthyReplicas: old pods that are not available go first, whatever availability says.
  let cleaned = 0;
  olds = olds.map((rs) => {
    if (cleaned >= maxScaledDown || rsReplicas(rs) === 0) return rs;
    const unhealthy = rsReplicas(rs) - (rs.status?.availableReplicas ?? 0);
    if (unhealthy <= 0) return rs;
    const n = Math.min(maxScaledDown - cleaned, unhealthy);
    const { write, rs: next } = scaleReplicaSet(view, rs, rsReplicas(rs) - n);
    if (write !== undefined) writes.push(write);
    cleaned += n;
    return next;
  });
  // scaleDownOldReplicaSetsForRollingUpdate: available pods above minAvailable.
  const available = availableReplicas([...olds, newRS]);
  if (available > minAvailable) {
    let total = 0;
    const budget = available - minAvailable;
    olds = olds.map((rs) => {
      if (total >= budget || rsReplicas(rs) === 0) return rs;
      const n = Math.min(rsReplicas(rs), budget - total);
      const { write, rs: next } = scaleReplicaSet(view, rs, rsReplicas(rs) - n);
      if (write !== undefined) writes.push(write);
      total += n;
      return next;
    });
  }
  return { writes, oldRSs: olds };
}

/**
 * Recreate (upstream recreate.go): scale every old ReplicaSet to 0, wait
 * until none of their pods is left (terminating ones count), then create
 * or scale the new ReplicaSet to the full count — old and new never run
 * together.
 */
export function rolloutRecreate(view: View, status: DeploymentStatus): Plan {
  const d = view.d;
  const { oldRSs, maxOldRevision, newRS: found } = split(view);
  const pre = syncNewReplicaSet(view, oldRSs, maxOldRevision, found, false, status);
  if (pre.writes.length > 0 && pre.writes[0]!.request.verb === 'update') return { writes: pre.writes, status };
  const writes: Write[] = [...pre.writes];
  const scaledOld = active(oldRSs).map((rs) => scaleReplicaSet(view, rs, 0));
  const downs = scaledOld.flatMap((s) => (s.write === undefined ? [] : [s.write]));
  if (downs.length > 0) return { writes: [...writes, ...downs], ...rolloutStatus(view, [...oldRSs.filter((r) => rsReplicas(r) === 0), ...scaledOld.map((s) => s.rs), ...(found ? [found] : [])], found, status) };
  const oldPodsRunning =
    oldRSs.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0) > 0 ||
    oldRSs.some((rs) => (view.podsByRs.get(rs.metadata?.uid ?? '') ?? []).some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded'));
  if (oldPodsRunning) return { writes, ...rolloutStatus(view, [...oldRSs, ...(found ? [found] : [])], found, status) };
  let newRS = found;
  if (newRS === undefined) {
    const created = syncNewReplicaSet(view, oldRSs, maxOldRevision, undefined, true, status);
    return { writes: [...writes, ...created.writes], status };
  }
  const up = scaleReplicaSet(view, newRS, replicasOf(d));
  if (up.write !== undefined) writes.push(up.write);
  newRS = up.rs;
  const result = rolloutStatus(view, [...oldRSs, newRS], newRS, status);
  if (deploymentComplete(d, d.status ?? {})) writes.push(...cleanup(view, oldRSs));
  return { writes, ...result };
}

export { isPodActive };
