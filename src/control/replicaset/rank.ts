import type { Pod } from 'kubernetes-types/core/v1.js';
import { parseRfc3339 } from '../../api/server/time.js';
import { isPodActive, isPodReady, podReadySinceMs } from '../pod-util.js';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

const deletionCost = (p: Pod): number => {
  const v = p.metadata?.annotations?.['controller.kubernetes.io/pod-deletion-cost'];
  const n = v === undefined ? 0 : Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : 0;
};

const maxRestarts = (p: Pod): number => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount));

/** upstream logarithmicRankDiff: compare ages by their power-of-two bucket (in ns), so pods of similar age count as equal. */
function logRankDiff(t1Ms: number, t2Ms: number, nowMs: number): number {
  const bucket = (t: number) => {
    const d = (nowMs - t) * 1e6;
    return d > 0 ? Math.floor(Math.log2(d)) : -1;
  };
  return bucket(t1Ms) - bucket(t2Ms);
}

/**
 * The order in which a ReplicaSet deletes its pods when scaling down,
 * first to go first (upstream controller_utils.go ActivePodsWithRanks with
 * LogarithmicScaleDown): unassigned before assigned; Pending < Unknown <
 * Running; not ready before ready; lower pod-deletion-cost; more of its
 * siblings ready on the same node; ready for less time; more restarts;
 * newer; then by uid.
 */
export function compareForDeletion(a: Pod, b: Pod, rankA: number, rankB: number, nowMs: number): number {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const pa = PHASE_ORDINAL[a.status?.phase ?? 'Pending'] ?? 0;
  const pb = PHASE_ORDINAL[b.status?.phase ?? 'Pending'] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca - cb;
  if (rankA !== rankB) return rankB - rankA;
  const uid = () => ((a.metadata?.uid ?? '') < (b.metadata?.uid ?? '') ? -1 : (a.metadata?.uid ?? '') > (b.metadata?.uid ?? '') ? 1 : 0);
  if (ra && rb) {
    const ta = podReadySinceMs(a);
    const tb = podReadySinceMs(b);
    if (ta !== tb) {
      if (ta === undefined || tb === undefined) return ta === undefined ? -1 : 1;
      const d = logRankDiff(ta, tb, nowMs);
      return d === 0 ? uid() : d;
    }
  }
  const xa = maxRestarts(a);
  const xb = maxRestarts(b);
  if (xa !== xb) return xb - xa;
  const ta = a.metadata?.creationTimestamp;
  const tb = b.metadata?.creationTimestamp;
  if (ta !== tb) {
    if (ta === undefined || tb === undefined) return ta === undefined ? -1 : 1;
    const d = logRankDiff(parseRfc3339(ta), parseRfc3339(tb), nowMs);
    return d === 0 ? uid() : d;
  }
  return 0;
}

/**
 * The pods to delete (upstream getPodsToDelete,
 * getPodsRankedByRelatedPodsOnSameNode): ranked by how many of the related
 * pods (this ReplicaSet's and its siblings') are active on the same node,
 * then by compareForDeletion.
 */
export function podsToDelete(pods: readonly Pod[], related: readonly Pod[], count: number, nowMs: number): Pod[] {
  if (count >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of related) {
    const n = p.spec?.nodeName ?? '';
    if (isPodActive(p)) onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  const rank = (p: Pod) => onNode.get(p.spec?.nodeName ?? '') ?? 0;
  return pods
    .map((p) => ({ p, r: rank(p) }))
    .sort((x, y) => compareForDeletion(x.p, y.p, x.r, y.r, nowMs))
    .slice(0, count)
    .map((x) => x.p);
}
