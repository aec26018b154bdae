import { jsonEqual } from '../../api/json-clone.js';
import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/registry/types.js';
import type { ClientRequest } from '../../client/index.js';
import {
  computeHash,
  condition,
  DESIRED_REPLICAS,
  findNewReplicaSet,
  getCondition,
  hasProgressDeadline,
  maxSurge,
  MAX_REPLICAS,
  newReplicaSetAnnotations,
  POD_TEMPLATE_HASH,
  Reasons,
  replicasOf,
  REVISION,
  revisionOf,
  rsReplicas,
  setCondition,
  sortByCreation,
  specReplicas,
} from './util.js';

/** A write the driver makes, with the event to record if it succeeds. */
export interface Write {
  request: ClientRequest;
  event?: { type: 'Normal' | 'Warning'; reason: string; message: string };
}

/** Everything a pass decides: writes in order, the status to post, when to look again. */
export interface Plan {
  writes: Write[];
  status?: DeploymentStatus;
  requeueAfterMs?: number;
}

/** What a pass sees: the Deployment, its ReplicaSets and their pods, and the controller's clock. */
export interface View {
  d: Deployment;
  rss: ReplicaSet[];
  podsByRs: Map<string, Pod[]>;
  nowMs: number;
  now: string;
}

export const ns = (o: { metadata?: { namespace?: string } }) => o.metadata?.namespace ?? '';
export const nameOf = (o: { metadata?: { name?: string } }) => o.metadata?.name ?? '';

/**
 * A ReplicaSet scaled to `to`, with the replica annotations brought up to
 * date (upstream scaleReplicaSet): the write, and the event
 * "Scaled up|down replica set X from M to N" when the size changes.
 */
export function scaleReplicaSet(view: View, rs: ReplicaSet, to: number): { write?: Write; rs: ReplicaSet } {
  const d = view.d;
  const from = rsReplicas(rs);
  const desired = String(replicasOf(d));
  const max = String(replicasOf(d) + maxSurge(d));
  const annotations = rs.metadata?.annotations ?? {};
  const annotationsNeedUpdate = annotations[DESIRED_REPLICAS] !== desired || annotations[MAX_REPLICAS] !== max;
  if (from === to && !annotationsNeedUpdate) return { rs };
  const next: ReplicaSet = { ...rs, metadata: { ...rs.metadata, annotations: { ...annotations, [DESIRED_REPLICAS]: desired, [MAX_REPLICAS]: max } }, spec: { ...rs.spec!, replicas: to } };
  const write: Write = { request: { verb: 'update', group: 'apps', version: 'v1', resource: 'replicasets', namespace: ns(rs), name: nameOf(rs), body: next as KubeObject } };
  if (from !== to) write.event = { type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled ${from < to ? 'up' : 'down'} replica set ${nameOf(rs)} from ${from} to ${to}` };
  return { write, rs: next };
}

/** The old ReplicaSets (every one but the new) and the highest revision among them. */
export function split(view: View): { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[]; maxOldRevision: number } {
  const newRS = findNewReplicaSet(view.d, view.rss);
  const oldRSs = view.rss.filter((rs) => rs !== newRS);
  return { newRS, oldRSs, maxOldRevision: Math.max(0, ...oldRSs.map(revisionOf)) };
}

/**
 * The new ReplicaSet kept in step, or created (upstream getNewReplicaSet):
 * an existing one gets the Deployment's annotations, revision and
 * minReadySeconds; a missing one is created named `<deployment>-<hash>`
 * with the hash in its labels and selector, at the size NewRSNewReplicas
 * allows, with `ScalingReplicaSet "Scaled up replica set X from 0 to N"` and
 * the Progressing condition NewReplicaSetCreated.
 */
export function syncNewReplicaSet(view: View, oldRSs: ReplicaSet[], maxOldRevision: number, newRS: ReplicaSet | undefined, create: boolean, status: DeploymentStatus): { writes: Write[]; newRS: ReplicaSet | undefined } {
  const d = view.d;
  const newRevision = maxOldRevision + 1;
  if (newRS !== undefined) {
    const annotations = newReplicaSetAnnotations(d, newRS, newRevision);
    const writes: Write[] = [];
    const minReady = d.spec?.minReadySeconds ?? 0;
    if (!jsonEqual(annotations, newRS.metadata?.annotations ?? {}) || (newRS.spec?.minReadySeconds ?? 0) !== minReady) {
      const next = { ...newRS, metadata: { ...newRS.metadata, annotations }, spec: { ...newRS.spec!, minReadySeconds: minReady } };
      writes.push({ request: { verb: 'update', group: 'apps', version: 'v1', resource: 'replicasets', namespace: ns(d), name: nameOf(newRS), body: next as KubeObject } });
      return { writes, newRS: next };
    }
    writes.push(...revisionWrites(d, annotations[REVISION] ?? String(newRevision)));
    if (hasProgressDeadline(d) && getCondition(status, 'Progressing') === undefined) {
      setCondition(status, condition('Progressing', 'True', Reasons.FoundNewRS, `Found new replica set "${nameOf(newRS)}"`, view.now));
    }
    return { writes, newRS };
  }
  if (!create) return { writes: [], newRS: undefined };
  const template = d.spec?.template ?? {};
  const hash = computeHash(template, d.status?.collisionCount);
  const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash };
  const selector = { ...d.spec?.selector, matchLabels: { ...(d.spec?.selector?.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash } };
  const draft: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `${nameOf(d)}-${hash}`, namespace: ns(d), labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: nameOf(d), uid: d.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }] },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template: { ...template, metadata: { ...template.metadata, labels } } },
  };
  const size = newRSReplicas(d, [...oldRSs, draft], draft);
  draft.spec!.replicas = size;
  draft.metadata!.annotations = newReplicaSetAnnotations(d, undefined, newRevision);
  const create_: Write = {
    request: { verb: 'create', group: 'apps', version: 'v1', resource: 'replicasets', namespace: ns(d), body: draft as KubeObject },
    ...(size > 0 && { event: { type: 'Normal' as const, reason: 'ScalingReplicaSet', message: `Scaled up replica set ${nameOf(draft)} from 0 to ${size}` } }),
  };
  if (hasProgressDeadline(d)) setCondition(status, condition('Progressing', 'True', Reasons.NewReplicaSet, `Created new replica set "${nameOf(draft)}"`, view.now));
  return { writes: [create_, ...revisionWrites(d, String(newRevision))], newRS: draft };
}

/** upstream SetDeploymentRevision: the Deployment carries its new ReplicaSet's revision. */
function revisionWrites(d: Deployment, revision: string): Write[] {
  if (d.metadata?.annotations?.[REVISION] === revision) return [];
  return [{ request: { verb: 'patch', patchType: 'merge', group: 'apps', version: 'v1', resource: 'deployments', namespace: ns(d), name: nameOf(d), body: { metadata: { annotations: { [REVISION]: revision } } } } }];
}

/** upstream NewRSNewReplicas: rolling — up to replicas + maxSurge pods in all, never past replicas; recreate — all at once. */
export function newRSReplicas(d: Deployment, all: readonly ReplicaSet[], newRS: ReplicaSet): number {
  if ((d.spec?.strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return replicasOf(d);
  const current = specReplicas(all);
  const maxTotal = replicasOf(d) + maxSurge(d);
  if (current >= maxTotal) return rsReplicas(newRS);
  return rsReplicas(newRS) + Math.min(maxTotal - current, replicasOf(d) - rsReplicas(newRS));
}

/** upstream cleanupDeployment: keep revisionHistoryLimit old ReplicaSets, deleting the oldest empty ones. */
export function cleanup(view: View, oldRSs: readonly ReplicaSet[]): Write[] {
  const limit = view.d.spec?.revisionHistoryLimit ?? 10;
  const alive = oldRSs.filter((rs) => rs.metadata?.deletionTimestamp === undefined);
  const diff = alive.length - limit;
  if (diff <= 0) return [];
  const byRevision = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || ((a.metadata?.creationTimestamp ?? '') < (b.metadata?.creationTimestamp ?? '') ? -1 : 1));
  const out: Write[] = [];
  for (const rs of byRevision.slice(0, diff)) {
    if ((rs.status?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0 || (rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    out.push({ request: { verb: 'delete', group: 'apps', version: 'v1', resource: 'replicasets', namespace: ns(rs), name: nameOf(rs) } });
  }
  return out;
}

export { sortByCreation };
