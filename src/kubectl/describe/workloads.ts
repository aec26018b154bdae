import type { KubeObject } from '../../api/registry/types.js';
import { parseRfc3339 } from '../../api/server/time.js';
import { humanDuration } from '../table.js';
import { controlledBy, describeEvents, DescribeWriter, L0, L1, annotationsMultiline, labelsMultiline, rfc1123z } from './format.js';
import { describePodTemplate } from './pod.js';

/** metav1.FormatLabelSelector: `app=web,tier in (a,b)`; `<none>` for an empty selector. */
export function formatLabelSelector(sel: any): string {
  if (sel === undefined || sel === null) return '<none>';
  const parts = Object.keys(sel.matchLabels ?? {}).sort().map((k) => `${k}=${sel.matchLabels[k]}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'In' || e.operator === 'NotIn') parts.push(`${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${(e.values ?? []).join(',')})`);
    else parts.push(e.operator === 'Exists' ? e.key : `!${e.key}`);
  }
  return parts.length === 0 ? '<none>' : parts.join(',');
}

const rsList = (list: any[]) => (list.length === 0 ? '<none>' : list.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`).join(', '));

/** describeDeployment (kubectl 1.32): replicas, strategy, template, conditions, old and new ReplicaSets, events. */
export function describeDeployment(d: any, replicaSets: any[], events: KubeObject[], nowMs: number): string {
  const w = new DescribeWriter();
  w.write(L0, `Name:\t${d.metadata.name}\n`);
  w.write(L0, `Namespace:\t${d.metadata.namespace}\n`);
  w.write(L0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}\n`);
  labelsMultiline(w, 'Labels', d.metadata.labels);
  annotationsMultiline(w, d.metadata.annotations);
  w.write(L0, `Selector:\t${formatLabelSelector(d.spec?.selector)}\n`);
  const st = d.status ?? {};
  w.write(L0, `Replicas:\t${d.spec?.replicas ?? 1} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`);
  w.write(L0, `StrategyType:\t${d.spec?.strategy?.type ?? 'RollingUpdate'}\n`);
  w.write(L0, `MinReadySeconds:\t${d.spec?.minReadySeconds ?? 0}\n`);
  const ru = d.spec?.strategy?.rollingUpdate;
  if (ru !== undefined) w.write(L0, `RollingUpdateStrategy:\t${ru.maxUnavailable ?? '25%'} max unavailable, ${ru.maxSurge ?? '25%'} max surge\n`);
  describePodTemplate(w, d.spec?.template);
  if ((st.conditions ?? []).length > 0) {
    w.write(L0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(L1, '----\t------\t------\n');
    for (const c of st.conditions) w.write(L1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  // deploymentutil: the new ReplicaSet has the template's hash; the others are old.
  const owned = replicaSets.filter((rs) => (rs.metadata?.ownerReferences ?? []).some((r: any) => r.controller === true && r.uid === d.metadata.uid));
  const revision = d.metadata.annotations?.['deployment.kubernetes.io/revision'];
  const newRS = owned.find((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] === revision);
  const old = owned.filter((rs) => rs !== newRS && ((rs.spec?.replicas ?? 0) > 0 || (rs.status?.replicas ?? 0) > 0));
  if (owned.length > 0) {
    w.write(L0, `OldReplicaSets:\t${rsList(old)}\n`);
    w.write(L0, `NewReplicaSet:\t${rsList(newRS === undefined ? [] : [newRS])}\n`);
  }
  describeEvents(w, events, nowMs);
  return w.toString();
}

/** describeReplicaSet (kubectl 1.32). */
export function describeReplicaSet(rs: any, pods: any[], events: KubeObject[], nowMs: number): string {
  const w = new DescribeWriter();
  w.write(L0, `Name:\t${rs.metadata.name}\n`);
  w.write(L0, `Namespace:\t${rs.metadata.namespace}\n`);
  w.write(L0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`);
  labelsMultiline(w, 'Labels', rs.metadata.labels);
  annotationsMultiline(w, rs.metadata.annotations);
  const owner = controlledBy(rs);
  if (owner !== '') w.write(L0, `Controlled By:\t${owner}\n`);
  w.write(L0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 1} desired\n`);
  const count = (phase: string) => pods.filter((p) => p.status?.phase === phase).length;
  w.write(L0, `Pods Status:\t${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed\n`);
  describePodTemplate(w, rs.spec?.template);
  describeEvents(w, events, nowMs);
  return w.toString();
}

/** describeJob (kubectl 1.32). */
export function describeJob(job: any, events: KubeObject[], nowMs: number): string {
  const w = new DescribeWriter();
  const st = job.status ?? {};
  w.write(L0, `Name:\t${job.metadata.name}\n`);
  w.write(L0, `Namespace:\t${job.metadata.namespace}\n`);
  w.write(L0, `Selector:\t${formatLabelSelector(job.spec?.selector)}\n`);
  labelsMultiline(w, 'Labels', job.metadata.labels);
  annotationsMultiline(w, job.metadata.annotations);
  const owner = controlledBy(job);
  if (owner !== '') w.write(L0, `Controlled By:\t${owner}\n`);
  w.write(L0, `Parallelism:\t${job.spec?.parallelism ?? 1}\n`);
  w.write(L0, job.spec?.completions === undefined ? 'Completions:\t<unset>\n' : `Completions:\t${job.spec.completions}\n`);
  w.write(L0, `Completion Mode:\t${job.spec?.completionMode ?? 'NonIndexed'}\n`);
  w.write(L0, `Suspend:\t${job.spec?.suspend === true}\n`);
  w.write(L0, `Backoff Limit:\t${job.spec?.backoffLimit ?? 6}\n`);
  if (job.spec?.ttlSecondsAfterFinished !== undefined) w.write(L0, `TTL Seconds After Finished:\t${job.spec.ttlSecondsAfterFinished}\n`);
  if (st.startTime !== undefined) w.write(L0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  if (st.completionTime !== undefined) {
    w.write(L0, `Completed At:\t${rfc1123z(st.completionTime)}\n`);
    w.write(L0, `Duration:\t${humanSeconds(st.startTime, st.completionTime)}\n`);
  }
  if (job.spec?.activeDeadlineSeconds !== undefined) w.write(L0, `Active Deadline Seconds:\t${job.spec.activeDeadlineSeconds}s\n`);
  // status.ready is a pointer upstream: "(N Ready)" only when it is set.
  w.write(L0, `Pods Statuses:\t${st.active ?? 0} Active${st.ready !== undefined ? ` (${st.ready} Ready)` : ''} / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`);
  if (job.spec?.completionMode === 'Indexed') w.write(L0, `Completed Indexes:\t${st.completedIndexes || '<none>'}\n`);
  describePodTemplate(w, job.spec?.template);
  describeEvents(w, events, nowMs);
  return w.toString();
}

const humanSeconds = (from: string | undefined, to: string) => (from === undefined ? '<unknown>' : humanDuration(parseRfc3339(to) - parseRfc3339(from)));
