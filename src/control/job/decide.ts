import type { Job, JobCondition, JobStatus, PodFailurePolicyRule } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { parseRfc3339 } from '../../api/server/time.js';
import { isPodReady } from '../pod-util.js';

/** upstream DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff */
export const POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 360_000;
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

export type Finish = { type: 'Complete' | 'Failed'; reason: string; message: string };

export interface JobDecision {
  status: JobStatus;
  /** Pods to create (completion indexes for Indexed jobs, else undefined entries). */
  create: Array<number | undefined>;
  delete: Pod[];
  finish?: Finish;
  /** When to look again (back-off, deadline). */
  requeueAfterMs?: number;
}

const finishedAt = (p: Pod): number => {
  const times = (p.status?.containerStatuses ?? []).map((c) => c.state?.terminated?.finishedAt).filter((t): t is string => t !== undefined).map(parseRfc3339);
  return times.length > 0 ? Math.max(...times) : parseRfc3339(p.metadata?.creationTimestamp ?? '1970-01-01T00:00:00Z');
};
const indexOf = (p: Pod): number | undefined => {
  const v = p.metadata?.annotations?.[COMPLETION_INDEX];
  return v === undefined ? undefined : Number(v);
};

/** "0-2,4" (upstream Indexed completedIndexes). */
export function formatIndexes(indexes: readonly number[]): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** upstream podFailurePolicy matching: the first rule a failed pod matches, with its message. */
export function matchFailurePolicy(job: Job, pod: Pod): { rule: PodFailurePolicyRule; index: number; message: string } | undefined {
  const rules = job.spec?.podFailurePolicy?.rules ?? [];
  for (const [i, rule] of rules.entries()) {
    if (rule.onExitCodes !== undefined) {
      const { containerName, operator, values } = rule.onExitCodes;
      for (const c of pod.status?.containerStatuses ?? []) {
        if (containerName !== undefined && c.name !== containerName) continue;
        const code = c.state?.terminated?.exitCode;
        if (code === undefined || code === 0) continue;
        const hit = operator === 'In' ? values.includes(code) : !values.includes(code);
        if (hit) return { rule, index: i, message: `Container ${c.name} for pod ${pod.metadata?.namespace}/${pod.metadata?.name} failed with exit code ${code} matching ${rule.action} rule at index ${i}` };
      }
    }
    for (const pattern of rule.onPodConditions ?? []) {
      if ((pod.status?.conditions ?? []).some((c) => c.type === pattern.type && c.status === (pattern.status ?? 'True'))) {
        return { rule, index: i, message: `Pod ${pod.metadata?.namespace}/${pod.metadata?.name} has condition ${pattern.type} matching ${rule.action} rule at index ${i}` };
      }
    }
  }
  return undefined;
}

/**
 * One pass of the Job controller (upstream pkg/controller/job syncJob):
 * count succeeded and failed pods (Ignore'd failures do not count), fail
 * the Job past backoffLimit (restarts count with OnFailure), past
 * activeDeadlineSeconds or on a FailJob podFailurePolicy rule; complete it
 * when enough pods succeeded; otherwise keep `parallelism` pods running —
 * for Indexed jobs one per missing index — after the failure back-off
 * (10 s doubling to 6 min since the last failure).
 */
export function decideJob(job: Job, pods: readonly Pod[], nowMs: number): JobDecision {
  const spec = job.spec ?? { template: {} };
  const prev = job.status ?? {};
  const indexed = spec.completionMode === 'Indexed';
  const completions = spec.completions ?? undefined;
  const parallelism = spec.suspend === true ? 0 : (spec.parallelism ?? 1);
  const active = pods.filter((p) => p.metadata?.deletionTimestamp === undefined && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const succeededPods = pods.filter((p) => p.status?.phase === 'Succeeded');
  const failedPods = pods.filter((p) => p.status?.phase === 'Failed' || (p.metadata?.deletionTimestamp !== undefined && p.status?.phase !== 'Succeeded'));
  let failJob: Finish | undefined;
  const counted: Pod[] = [];
  for (const p of failedPods) {
    const m = p.status?.phase === 'Failed' ? matchFailurePolicy(job, p) : undefined;
    if (m?.rule.action === 'Ignore') continue;
    if (m?.rule.action === 'FailJob' && failJob === undefined) failJob = { type: 'Failed', reason: 'PodFailurePolicy', message: m.message };
    counted.push(p);
  }
  const succeededIndexes = indexed ? [...new Set(succeededPods.map(indexOf).filter((i): i is number => i !== undefined && i < (completions ?? 0)))] : [];
  const succeeded = Math.max(prev.succeeded ?? 0, indexed ? succeededIndexes.length : succeededPods.length);
  const failed = Math.max(prev.failed ?? 0, counted.length);
  const startTime = prev.startTime;
  const status: JobStatus = {
    ...prev,
    active: active.length,
    ready: active.filter(isPodReady).length,
    succeeded,
    failed,
    terminating: pods.filter((p) => p.metadata?.deletionTimestamp !== undefined && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length,
    ...(indexed && { completedIndexes: formatIndexes(succeededIndexes) }),
  };
  const restarts = active.reduce((n, p) => n + [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].reduce((m, c) => m + c.restartCount, 0), 0);
  const backoffLimit = spec.backoffLimit ?? 6;
  const onFailure = spec.template?.spec?.restartPolicy === 'OnFailure';
  if (failJob === undefined && (failed > backoffLimit || (onFailure && (backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit)))) failJob = { type: 'Failed', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
  const deadline = spec.activeDeadlineSeconds;
  if (failJob === undefined && deadline !== undefined && startTime !== undefined && nowMs - parseRfc3339(startTime) >= deadline * 1000) failJob = { type: 'Failed', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
  if (failJob !== undefined) return { status: { ...status, active: 0 }, create: [], delete: active, finish: failJob };
  const complete = completions === undefined ? succeededPods.length > 0 && active.length === 0 : succeeded >= completions;
  if (complete) return { status, create: [], delete: active, finish: { type: 'Complete', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' } };
  // How many more pods, and for which indexes.
  let want: Array<number | undefined>;
  if (indexed) {
    const busy = new Set([...active.map(indexOf), ...succeededIndexes]);
    want = [];
    for (let i = 0; i < (completions ?? 0) && want.length + active.length < parallelism; i++) if (!busy.has(i)) want.push(i);
  } else {
    const remaining = completions === undefined ? (succeededPods.length > 0 ? 0 : parallelism) : Math.min(parallelism, completions - succeeded);
    want = Array.from({ length: Math.max(0, remaining - active.length) }, () => undefined);
  }
  const excess = !indexed && active.length > (completions === undefined ? parallelism : Math.min(parallelism, completions - succeeded)) ? active.slice(completions === undefined ? parallelism : Math.min(parallelism, completions - succeeded)) : [];
  // upstream backoff record: failures since the last success, from the last failure.
  const lastSuccess = Math.max(0, ...succeededPods.map(finishedAt));
  const failuresAfter = counted.filter((p) => finishedAt(p) > lastSuccess);
  let requeueAfterMs: number | undefined;
  if (want.length > 0 && failuresAfter.length > 0) {
    let backoff = POD_FAILURE_BACKOFF_MS;
    for (let i = 1; i < failuresAfter.length && backoff < MAX_POD_FAILURE_BACKOFF_MS; i++) backoff *= 2;
    backoff = Math.min(backoff, MAX_POD_FAILURE_BACKOFF_MS);
    const elapsed = nowMs - Math.max(...failuresAfter.map(finishedAt));
    if (elapsed < backoff) {
      requeueAfterMs = backoff - elapsed;
      want = [];
    }
  }
  if (deadline !== undefined && startTime !== undefined) {
    const left = parseRfc3339(startTime) + deadline * 1000 - nowMs;
    requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, Math.max(1, left));
  }
  return { status: { ...status, active: active.length - excess.length }, create: want, delete: excess, ...(requeueAfterMs !== undefined && { requeueAfterMs }) };
}

/** The finished Job's condition (upstream newCondition: lastProbeTime and lastTransitionTime now). */
export function finishCondition(f: Finish, now: string): JobCondition {
  return { type: f.type, status: 'True', reason: f.reason, message: f.message, lastProbeTime: now, lastTransitionTime: now };
}
