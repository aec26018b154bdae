import type { KubeObject } from '../../api/registry/types.js';
import { parseRfc3339 } from '../../api/server/time.js';
import { humanDuration } from '../table.js';
import { podColumns } from './pod-status.js';
import { age, containers, images, mapText, none, selectorText, type PrintContext } from './format.js';
import { MORE_COLUMNS } from './more-columns.js';

export type { PrintContext } from './format.js';

export interface Columns {
  headers: string[];
  wide?: string[];
  row(o: any, ctx: PrintContext, wide: boolean): string[];
}

const workloadWide = (o: any) => [containers(o.spec?.template?.spec), images(o.spec?.template?.spec), selectorText(o.spec?.selector)];
const ACCESS: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
const accessModes = (modes: string[] | undefined) => (modes ?? []).map((m) => ACCESS[m] ?? m).join(',');

/** The last restart's time for RESTARTS "N (Xm ago)" (printPod's lastRestartDate). */
function lastRestart(pod: any): number | undefined {
  let last: number | undefined;
  for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const t = c.lastState?.terminated?.finishedAt;
    if (c.restartCount > 0 && t !== undefined) last = Math.max(last ?? 0, parseRfc3339(t));
  }
  return last;
}

/** Node STATUS: Ready/NotReady/Unknown, then SchedulingDisabled (printNode). */
function nodeStatus(node: any): string {
  const ready = (node.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  const parts = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : ready.status === 'False' ? 'NotReady' : 'Unknown'];
  if (node.spec?.unschedulable === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function servicePorts(svc: any): string {
  const ports = svc.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p: any) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function jobStatus(job: any): string {
  const conds: Array<{ type: string; status: string }> = job.status?.conditions ?? [];
  const has = (t: string) => conds.some((c) => c.type === t && c.status === 'True');
  if (has('Failed')) return 'Failed';
  if (has('Complete')) return 'Complete';
  if (has('Suspended')) return 'Suspended';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  if (job.metadata?.deletionTimestamp !== undefined) return 'Terminating';
  return 'Running';
}

function jobDuration(job: any, ctx: PrintContext): string {
  const start = job.status?.startTime;
  if (start === undefined) return '';
  const end = job.status?.completionTime;
  return humanDuration((end === undefined ? ctx.nowMs : parseRfc3339(end)) - parseRfc3339(start));
}

function endpointsText(ep: any): string {
  const list: string[] = [];
  for (const s of ep.subsets ?? []) for (const a of s.addresses ?? []) for (const p of s.ports ?? [{ port: undefined }]) list.push(p.port === undefined ? a.ip : `${a.ip}:${p.port}`);
  if (list.length === 0) return '<none>';
  return list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.join(',');
}

/** upstream pkg/printers/internalversion/printers.go column handlers (kubectl 1.32), by resource. */
export const COLUMNS: Record<string, Columns> = {
  ...MORE_COLUMNS,
  pods: {
    headers: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
    wide: ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
    row(p, ctx, wide) {
      const c = podColumns(p);
      const last = lastRestart(p);
      const restarts = last === undefined ? String(c.restarts) : `${c.restarts} (${humanDuration(ctx.nowMs - last)} ago)`;
      const cells = [p.metadata.name, c.ready, c.status, restarts, age(p, ctx)];
      if (!wide) return cells;
      const gates: any[] = p.spec?.readinessGates ?? [];
      const gatesText = gates.length === 0 ? '<none>' : `${gates.filter((g) => (p.status?.conditions ?? []).some((x: any) => x.type === g.conditionType && x.status === 'True')).length}/${gates.length}`;
      return [...cells, none(p.status?.podIP), none(p.spec?.nodeName), none(p.status?.nominatedNodeName), gatesText];
    },
  },
  deployments: {
    headers: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (d, ctx, wide) => [d.metadata.name, `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`, String(d.status?.updatedReplicas ?? 0), String(d.status?.availableReplicas ?? 0), age(d, ctx), ...(wide ? workloadWide(d) : [])],
  },
  replicasets: {
    headers: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (r, ctx, wide) => [r.metadata.name, String(r.spec?.replicas ?? 0), String(r.status?.replicas ?? 0), String(r.status?.readyReplicas ?? 0), age(r, ctx), ...(wide ? workloadWide(r) : [])],
  },
  statefulsets: {
    headers: ['NAME', 'READY', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES'],
    row: (s, ctx, wide) => [s.metadata.name, `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 0}`, age(s, ctx), ...(wide ? workloadWide(s).slice(0, 2) : [])],
  },
  daemonsets: {
    headers: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (d, ctx, wide) => [d.metadata.name, ...['desiredNumberScheduled', 'currentNumberScheduled', 'numberReady', 'updatedNumberScheduled', 'numberAvailable'].map((k) => String(d.status?.[k] ?? 0)), mapText(d.spec?.template?.spec?.nodeSelector), age(d, ctx), ...(wide ? workloadWide(d) : [])],
  },
  jobs: {
    headers: ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (j, ctx, wide) => [j.metadata.name, jobStatus(j), `${j.status?.succeeded ?? 0}/${j.spec?.completions ?? 1}`, jobDuration(j, ctx), age(j, ctx), ...(wide ? workloadWide(j) : [])],
  },
  cronjobs: {
    headers: ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (c, ctx, wide) => [
      c.metadata.name, c.spec?.schedule ?? '', none(c.spec?.timeZone), String(c.spec?.suspend ?? false), String((c.status?.active ?? []).length),
      c.status?.lastScheduleTime === undefined ? '<none>' : humanDuration(ctx.nowMs - parseRfc3339(c.status.lastScheduleTime)), age(c, ctx),
      ...(wide ? [containers(c.spec?.jobTemplate?.spec?.template?.spec), images(c.spec?.jobTemplate?.spec?.template?.spec), selectorText(c.spec?.jobTemplate?.spec?.selector)] : []),
    ],
  },
  services: {
    headers: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
    wide: ['SELECTOR'],
    row: (s, ctx, wide) => {
      const type = s.spec?.type ?? 'ClusterIP';
      const external = type === 'ExternalName' ? s.spec?.externalName : (s.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip ?? i.hostname).concat(s.spec?.externalIPs ?? []).join(',') || (type === 'LoadBalancer' ? '<pending>' : '<none>');
      return [s.metadata.name, type, none(s.spec?.clusterIP), external, servicePorts(s), age(s, ctx), ...(wide ? [mapText(s.spec?.selector)] : [])];
    },
  },
  endpoints: { headers: ['NAME', 'ENDPOINTS', 'AGE'], row: (e, ctx) => [e.metadata.name, endpointsText(e), age(e, ctx)] },
  nodes: {
    headers: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
    wide: ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
    row: (n, ctx, wide) => {
      const roles = Object.keys(n.metadata.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length)).sort();
      const addr = (t: string) => none((n.status?.addresses ?? []).find((a: any) => a.type === t)?.address);
      const info = n.status?.nodeInfo ?? {};
      return [n.metadata.name, nodeStatus(n), roles.length === 0 ? '<none>' : roles.join(','), age(n, ctx), info.kubeletVersion ?? '', ...(wide ? [addr('InternalIP'), addr('ExternalIP'), none(info.osImage), none(info.kernelVersion), none(info.containerRuntimeVersion)] : [])];
    },
  },
  namespaces: { headers: ['NAME', 'STATUS', 'AGE'], row: (n, ctx) => [n.metadata.name, n.status?.phase ?? 'Active', age(n, ctx)] },
  configmaps: { headers: ['NAME', 'DATA', 'AGE'], row: (c, ctx) => [c.metadata.name, String(Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length), age(c, ctx)] },
  secrets: { headers: ['NAME', 'TYPE', 'DATA', 'AGE'], row: (s, ctx) => [s.metadata.name, s.type ?? 'Opaque', String(Object.keys(s.data ?? {}).length), age(s, ctx)] },
  persistentvolumeclaims: {
    headers: ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE'],
    wide: ['VOLUMEMODE'],
    row: (c, ctx, wide) => {
      const bound = c.status?.phase === 'Bound';
      return [c.metadata.name, c.metadata.deletionTimestamp !== undefined ? 'Terminating' : (c.status?.phase ?? 'Pending'), c.spec?.volumeName ?? '', bound ? (c.status?.capacity?.storage ?? '') : '', bound ? accessModes(c.status?.accessModes) : '', none(c.spec?.storageClassName), none(c.spec?.volumeAttributesClassName), age(c, ctx), ...(wide ? [c.spec?.volumeMode ?? 'Filesystem'] : [])];
    },
  },
  persistentvolumes: {
    headers: ['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE'],
    wide: ['VOLUMEMODE'],
    row: (p, ctx, wide) => [
      p.metadata.name, p.spec?.capacity?.storage ?? '', accessModes(p.spec?.accessModes), p.spec?.persistentVolumeReclaimPolicy ?? 'Retain', p.metadata.deletionTimestamp !== undefined ? 'Terminating' : (p.status?.phase ?? ''),
      p.spec?.claimRef === undefined ? '' : `${p.spec.claimRef.namespace}/${p.spec.claimRef.name}`, p.spec?.storageClassName ?? '', none(p.spec?.volumeAttributesClassName), p.status?.reason ?? '', age(p, ctx), ...(wide ? [p.spec?.volumeMode ?? 'Filesystem'] : []),
    ],
  },
  ingresses: {
    headers: ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'],
    row: (i, ctx) => {
      const hosts = [...new Set((i.spec?.rules ?? []).map((r: any) => r.host ?? '*'))] as string[];
      const address = (i.status?.loadBalancer?.ingress ?? []).map((x: any) => x.ip ?? x.hostname).join(',');
      return [i.metadata.name, none(i.spec?.ingressClassName), hosts.length === 0 ? '*' : hosts.join(','), address, (i.spec?.tls ?? []).length > 0 ? '80, 443' : '80', age(i, ctx)];
    },
  },
  horizontalpodautoscalers: {
    headers: ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'],
    row: (h, ctx) => {
      const targets = (h.spec?.metrics ?? []).map((m: any, i: number) => {
        const cur = (h.status?.currentMetrics ?? [])[i]?.resource?.current;
        const t = m.resource?.target;
        if (t?.averageUtilization !== undefined) return `${m.resource.name}: ${cur?.averageUtilization !== undefined ? `${cur.averageUtilization}%` : '<unknown>'}/${t.averageUtilization}%`;
        return `${m.resource?.name ?? m.type}: ${cur?.averageValue ?? '<unknown>'}/${t?.averageValue ?? '?'}`;
      });
      return [h.metadata.name, `${h.spec?.scaleTargetRef?.kind}/${h.spec?.scaleTargetRef?.name}`, targets.join(', ') || '<none>', String(h.spec?.minReplicas ?? 1), String(h.spec?.maxReplicas ?? ''), String(h.status?.currentReplicas ?? 0), age(h, ctx)];
    },
  },
  events: {
    headers: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
    row: (e, ctx) => {
      const last = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
      return [last === undefined ? '<unknown>' : humanDuration(ctx.nowMs - parseRfc3339(last)), e.type ?? '', e.reason ?? '', `${String(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}`, String(e.message ?? '').trim()];
    },
  },
};

/** Resources without a printer of their own: NAME and AGE. */
export const DEFAULT_COLUMNS: Columns = { headers: ['NAME', 'AGE'], row: (o, ctx) => [o.metadata.name, age(o, ctx)] };
