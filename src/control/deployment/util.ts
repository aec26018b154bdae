import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';

/** upstream apps/v1 DefaultDeploymentUniqueLabelKey and deployment_util.go annotation keys. */
export const POD_TEMPLATE_HASH = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const SKIPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS]);

/** Condition reasons (upstream deployment_util.go). */
export const Reasons = {
  NewReplicaSet: 'NewReplicaSetCreated',
  FoundNewRS: 'FoundNewReplicaSet',
  NewRSAvailable: 'NewReplicaSetAvailable',
  TimedOut: 'ProgressDeadlineExceeded',
  Paused: 'DeploymentPaused',
  Resumed: 'DeploymentResumed',
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  FailedRSCreate: 'ReplicaSetCreateError',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

export const replicasOf = (d: Deployment): number => d.spec?.replicas ?? 1;
export const rsReplicas = (rs: ReplicaSet): number => rs.spec?.replicas ?? 0;
export const isRollingUpdate = (d: Deployment): boolean => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

/** intstr GetScaledValueFromIntOrPercent */
export function scaled(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (m === null) return Number.parseInt(value, 10) || 0;
  const v = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(v) : Math.floor(v);
}

/** upstream ResolveFenceposts: surge rounds up, unavailable down; both 0 → unavailable 1. */
export function fenceposts(d: Deployment): { maxSurge: number; maxUnavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate;
  const desired = replicasOf(d);
  const maxSurge = scaled(ru?.maxSurge ?? '25%', desired, true);
  let maxUnavailable = scaled(ru?.maxUnavailable ?? '25%', desired, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? fenceposts(d).maxSurge : 0;
}

export function maxUnavailable(d: Deployment): number {
  if (!isRollingUpdate(d) || replicasOf(d) === 0) return 0;
  return Math.min(fenceposts(d).maxUnavailable, replicasOf(d));
}

const sumSpec = (rss: readonly ReplicaSet[]) => rss.reduce((n, rs) => n + rsReplicas(rs), 0);
export const specReplicas = sumSpec;
export const actualReplicas = (rss: readonly ReplicaSet[]) => rss.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
export const readyReplicas = (rss: readonly ReplicaSet[]) => rss.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);
export const availableReplicas = (rss: readonly ReplicaSet[]) => rss.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);

/** A template without the pod-template-hash label, for comparison (upstream EqualIgnoreHash). */
function withoutHash(t: PodTemplateSpec | undefined): string {
  const labels = { ...(t?.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH];
  // A zero creationTimestamp is null or absent, the same Go value either way (apiequality.Semantic).
  const { creationTimestamp: _c, ...metadata } = t?.metadata ?? {};
  return canonical({ ...t, metadata: { ...metadata, labels } });
}

export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return withoutHash(a) === withoutHash(b);
}

/** JSON with sorted keys (a stable text of an object). */
export function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
}

/**
 * The pod-template-hash (upstream controller.ComputeHash): FNV-32a over the
 * template (and the collision count), written with
 * rand.SafeEncodeString's alphabet. Upstream hashes Go's printing of the
 * struct; this hashes canonical JSON, so values differ from a real cluster's
 * while keeping their shape ("5d8b9c7f4").
 */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount: number | undefined): string {
  let h = 0x811c9dc5;
  const text = canonical(template) + (collisionCount === undefined ? '' : String(collisionCount));
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const alphanums = 'bcdfghjklmnpqrstvwxz2456789';
  return [...String(h >>> 0)].map((c) => alphanums[c.charCodeAt(0) % alphanums.length]).join('');
}

export const revisionOf = (o: { metadata?: { annotations?: Record<string, string> } }): number => {
  const v = Number.parseInt(o.metadata?.annotations?.[REVISION] ?? '', 10);
  return Number.isFinite(v) ? v : 0;
};

const byCreation = (a: ReplicaSet, b: ReplicaSet) => {
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  return ta < tb ? -1 : ta > tb ? 1 : (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1;
};
export const sortByCreation = (rss: readonly ReplicaSet[]) => [...rss].sort(byCreation);

/** upstream FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's. */
export function findNewReplicaSet(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSet | undefined {
  return sortByCreation(rss).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/**
 * The annotations of a Deployment's new ReplicaSet (upstream
 * SetNewReplicaSetAnnotations and SetReplicasAnnotations): the
 * Deployment's own annotations (but bookkeeping ones), the revision — an
 * older revision reused (a rollback) goes to revision-history — and the
 * desired and max replica counts — those only on a ReplicaSet about to be
 * created (scaling keeps them; proportional scaling reads them).
 */
export function newReplicaSetAnnotations(d: Deployment, rs: ReplicaSet | undefined, newRevision: number): Record<string, string> {
  const out: Record<string, string> = { ...(rs?.metadata?.annotations ?? {}) };
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) if (!SKIPPED_ANNOTATIONS.has(k)) out[k] = v;
  const old = revisionOf({ metadata: { annotations: out } });
  if (old < newRevision) {
    out[REVISION] = String(newRevision);
    if (rs !== undefined && old > 0) out[REVISION_HISTORY] = out[REVISION_HISTORY] === undefined ? String(old) : `${out[REVISION_HISTORY]},${old}`;
  }
  if (rs === undefined) {
    out[DESIRED_REPLICAS] = String(replicasOf(d));
    out[MAX_REPLICAS] = String(replicasOf(d) + maxSurge(d));
  }
  return out;
}

/** upstream NewDeploymentCondition */
export function condition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, now: string): DeploymentCondition {
  return { type, status, reason, message, lastUpdateTime: now, lastTransitionTime: now };
}

/** upstream SetDeploymentCondition: same status and reason → unchanged; same status → keep the transition time. */
export function setCondition(status: DeploymentStatus, c: DeploymentCondition): void {
  const current = status.conditions?.find((x) => x.type === c.type);
  if (current !== undefined && current.status === c.status && current.reason === c.reason) return;
  const next = current !== undefined && current.status === c.status ? { ...c, lastTransitionTime: current.lastTransitionTime } : c;
  status.conditions = [...(status.conditions ?? []).filter((x) => x.type !== c.type), next];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  if (status.conditions === undefined) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
}

export const getCondition = (status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined => status?.conditions?.find((c) => c.type === type);
export const hasProgressDeadline = (d: Deployment): boolean => (d.spec?.progressDeadlineSeconds ?? 600) !== 2_147_483_647;

/** upstream DeploymentComplete */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const want = replicasOf(d);
  return (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === want && (s.availableReplicas ?? 0) === want && (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}
