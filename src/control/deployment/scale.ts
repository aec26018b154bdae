import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { cleanup, scaleReplicaSet, split, syncNewReplicaSet, type Plan, type View, type Write } from './plan.js';
import { calculateStatus } from './progress.js';
import { DESIRED_REPLICAS, isRollingUpdate, maxSurge, MAX_REPLICAS, replicasOf, rsReplicas, specReplicas } from './util.js';

const created = (rs: ReplicaSet) => rs.metadata?.creationTimestamp ?? '';

/** upstream isScalingEvent: an active ReplicaSet was sized for another replica count. */
export function isScalingEvent(view: View): boolean {
  const want = String(replicasOf(view.d));
  return view.rss.some((rs) => rsReplicas(rs) > 0 && rs.metadata?.annotations?.[DESIRED_REPLICAS] !== undefined && rs.metadata.annotations[DESIRED_REPLICAS] !== want);
}

/** upstream getReplicaSetFraction: this ReplicaSet's share of the new size, from the max-replicas it was sized for. */
function fraction(rs: ReplicaSet, d: Deployment): number {
  if (replicasOf(d) === 0) return -rsReplicas(rs);
  const max = replicasOf(d) + maxSurge(d);
  let before = Number.parseInt(rs.metadata?.annotations?.[MAX_REPLICAS] ?? '', 10);
  if (!Number.isFinite(before) || before === 0) before = d.status?.replicas ?? 0;
  if (before === 0) return 0;
  // integer.RoundToInt32: round half away from zero.
  const size = (rsReplicas(rs) * max) / before;
  return Math.sign(size) * Math.round(Math.abs(size)) - rsReplicas(rs);
}

/**
 * Scaling without a rollout (upstream sync.go scale): one active (or the
 * newest) ReplicaSet takes the whole count; a saturated new ReplicaSet
 * leaves none to the old ones; during a rolling update the change is
 * shared in proportion to each ReplicaSet's size — biggest first, newer
 * first when scaling up and older first when scaling down, leftovers to
 * the first.
 */
export function scaleDeployment(view: View, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Write[] {
  const d = view.d;
  const want = replicasOf(d);
  const activeAll = [...oldRSs, ...(newRS ? [newRS] : [])].filter((rs) => rsReplicas(rs) > 0);
  // FindActiveOrLatest
  let only: ReplicaSet | undefined;
  if (activeAll.length === 1) only = activeAll[0];
  else if (activeAll.length === 0) only = newRS ?? [...oldRSs].sort((a, b) => (created(a) < created(b) ? 1 : -1))[0];
  if (only !== undefined) {
    const s = scaleReplicaSet(view, only, want);
    return s.write === undefined || rsReplicas(only) === want ? [] : [s.write];
  }
  // IsSaturated
  if (newRS !== undefined && rsReplicas(newRS) === want && newRS.metadata?.annotations?.[DESIRED_REPLICAS] === String(want) && (newRS.status?.availableReplicas ?? 0) === want) {
    return oldRSs.filter((rs) => rsReplicas(rs) > 0).flatMap((rs) => scaleReplicaSet(view, rs, 0).write ?? []);
  }
  if (!isRollingUpdate(d)) return [];
  const allowed = want > 0 ? want + maxSurge(d) : 0;
  const toAdd = allowed - specReplicas(activeAll);
  const ordered = [...activeAll].sort((a, b) => rsReplicas(b) - rsReplicas(a) || (toAdd > 0 ? (created(a) < created(b) ? 1 : -1) : created(a) < created(b) ? -1 : 1));
  const sizes = new Map<ReplicaSet, number>();
  let added = 0;
  for (const rs of ordered) {
    if (toAdd === 0 || rsReplicas(rs) === 0 || toAdd === added) {
      sizes.set(rs, rsReplicas(rs));
      continue;
    }
    const f = fraction(rs, d);
    const allowedNow = toAdd - added;
    const p = toAdd > 0 ? Math.min(f, allowedNow) : Math.max(f, allowedNow);
    sizes.set(rs, rsReplicas(rs) + p);
    added += p;
  }
  if (toAdd !== 0 && ordered.length > 0) sizes.set(ordered[0]!, Math.max(0, sizes.get(ordered[0]!)! + toAdd - added));
  return ordered.flatMap((rs) => scaleReplicaSet(view, rs, sizes.get(rs)!).write ?? []);
}

/** upstream sync(): a scaling event or a paused Deployment — scale, trim history when paused, post status. */
export function syncScaleOnly(view: View, status: DeploymentStatus): Plan {
  const { newRS: found, oldRSs, maxOldRevision } = split(view);
  const pre = syncNewReplicaSet(view, oldRSs, maxOldRevision, found, false, status);
  if (pre.writes.length > 0 && pre.writes[0]!.request.verb === 'update') return { writes: pre.writes, status };
  const writes = [...pre.writes, ...scaleDeployment(view, found, oldRSs)];
  if (view.d.spec?.paused === true) writes.push(...cleanup(view, oldRSs));
  return { writes, status: calculateStatus(view, [...oldRSs, ...(found ? [found] : [])], found, status) };
}
