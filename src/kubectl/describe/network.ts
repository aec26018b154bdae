import type { KubeObject } from '../../api/registry/types.js';
import { annotationsMultiline, describeEvents, DescribeWriter, L0, L1, L2, labelsMultiline } from './format.js';

/** formatEndpointSlices: `10.244.1.2:80,10.244.2.2:80` for a port, the first three then `+ N more...`; `<none>`. */
function endpointsFor(slices: any[], portName: string | undefined): string {
  const list: string[] = [];
  for (const s of slices) {
    const port = (s.ports ?? []).find((p: any) => (p.name ?? '') === (portName ?? ''));
    if (port === undefined) continue;
    for (const e of s.endpoints ?? []) if (e.conditions?.ready !== false) for (const a of e.addresses ?? []) list.push(`${a}:${port.port}`);
  }
  if (list.length === 0) return '<none>';
  return list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.join(',');
}

/** describeService (kubectl 1.32). */
export function describeService(svc: any, slices: any[], events: KubeObject[], nowMs: number): string {
  const w = new DescribeWriter();
  const spec = svc.spec ?? {};
  w.write(L0, `Name:\t${svc.metadata.name}\n`);
  w.write(L0, `Namespace:\t${svc.metadata.namespace}\n`);
  labelsMultiline(w, 'Labels', svc.metadata.labels);
  annotationsMultiline(w, svc.metadata.annotations);
  const selector = Object.keys(spec.selector ?? {}).sort().map((k) => `${k}=${spec.selector[k]}`).join(',');
  w.write(L0, `Selector:\t${selector || '<none>'}\n`);
  w.write(L0, `Type:\t${spec.type ?? 'ClusterIP'}\n`);
  if (spec.ipFamilyPolicy !== undefined) w.write(L0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(L0, `IP Families:\t${(spec.ipFamilies ?? []).join(',') || '<none>'}\n`);
  w.write(L0, `IP:\t${spec.clusterIP ?? ''}\n`);
  w.write(L0, `IPs:\t${(spec.clusterIPs ?? []).join(',') || '<none>'}\n`);
  if ((spec.externalIPs ?? []).length > 0) w.write(L0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  for (const p of spec.ports ?? []) {
    const name = p.name || '<unset>';
    w.write(L0, `Port:\t${name}\t${p.port}/${p.protocol ?? 'TCP'}\n`);
    w.write(L0, `TargetPort:\t${p.targetPort ?? p.port}/${p.protocol ?? 'TCP'}\n`);
    if (p.nodePort) w.write(L0, `NodePort:\t${name}\t${p.nodePort}/${p.protocol ?? 'TCP'}\n`);
    w.write(L0, `Endpoints:\t${endpointsFor(slices, p.name)}\n`);
  }
  w.write(L0, `Session Affinity:\t${spec.sessionAffinity ?? 'None'}\n`);
  if (spec.externalTrafficPolicy) w.write(L0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(L0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  describeEvents(w, events, nowMs);
  return w.toString();
}

/** describeIngress (kubectl 1.32): rules with host, path and backend, each backend with its Service's endpoints. */
export function describeIngress(ing: any, slicesOf: (service: string) => any[] | undefined, events: KubeObject[], nowMs: number): string {
  const w = new DescribeWriter();
  const spec = ing.spec ?? {};
  w.write(L0, `Name:\t${ing.metadata.name}\n`);
  labelsMultiline(w, 'Labels', ing.metadata.labels);
  w.write(L0, `Namespace:\t${ing.metadata.namespace}\n`);
  w.write(L0, `Address:\t${(ing.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip ?? i.hostname).join(',')}\n`);
  w.write(L0, `Ingress Class:\t${spec.ingressClassName ?? '<none>'}\n`);
  // describeBackendV1: `web:80 (10.244.1.2:80,…)`, or the error looking the Service's endpoints up.
  const backend = (b: any) => {
    if (b?.service === undefined) return b?.resource !== undefined ? `APIGroup: ${b.resource.apiGroup ?? ''}, Kind: ${b.resource.kind}, Name: ${b.resource.name}` : '';
    const port = b.service.port?.number ?? b.service.port?.name ?? '';
    const slices = slicesOf(b.service.name);
    if (slices === undefined) return `${b.service.name}:${port} (<error: services "${b.service.name}" not found>)`;
    const list: string[] = [];
    for (const sl of slices) for (const e of sl.endpoints ?? []) if (e.conditions?.ready !== false) for (const a of e.addresses ?? []) for (const p of sl.ports ?? []) list.push(`${a}:${p.port}`);
    const text = list.length === 0 ? '' : list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.join(',');
    return `${b.service.name}:${port} (${text})`;
  };
  w.write(L0, `Default backend:\t${spec.defaultBackend === undefined ? '<default>' : backend(spec.defaultBackend)}\n`);
  if ((spec.tls ?? []).length > 0) {
    w.write(L0, 'TLS:\n');
    for (const t of spec.tls) w.write(L1, `${t.secretName ?? 'SNI'} terminates ${(t.hosts ?? []).join(',')}\n`);
  }
  w.write(L0, 'Rules:\n  Host\tPath\tBackends\n');
  w.write(L1, '----\t----\t--------\n');
  for (const r of spec.rules ?? []) {
    w.write(L1, `${r.host ?? '*'}\t\n`);
    for (const p of r.http?.paths ?? []) w.write(L2, `\t${p.path ?? ''} \t${backend(p.backend)}\n`);
  }
  annotationsMultiline(w, ing.metadata.annotations);
  describeEvents(w, events, nowMs);
  return w.toString();
}

/** describePersistentVolumeClaim (kubectl 1.32). */
export function describePVC(pvc: any, usedBy: string[], events: KubeObject[], nowMs: number): string {
  const w = new DescribeWriter();
  const bound = pvc.status?.phase === 'Bound';
  w.write(L0, `Name:\t${pvc.metadata.name}\n`);
  w.write(L0, `Namespace:\t${pvc.metadata.namespace}\n`);
  w.write(L0, `StorageClass:\t${pvc.spec?.storageClassName ?? ''}\n`);
  w.write(L0, pvc.metadata.deletionTimestamp !== undefined ? 'Status:\tTerminating (lasts )\n' : `Status:\t${pvc.status?.phase ?? 'Pending'}\n`);
  w.write(L0, `Volume:\t${pvc.spec?.volumeName ?? ''}\n`);
  labelsMultiline(w, 'Labels', pvc.metadata.labels);
  annotationsMultiline(w, pvc.metadata.annotations);
  w.write(L0, `Finalizers:\t[${(pvc.metadata.finalizers ?? []).join(' ')}]\n`);
  w.write(L0, `Capacity:\t${bound ? (pvc.status?.capacity?.storage ?? '') : ''}\n`);
  const modes: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
  w.write(L0, `Access Modes:\t${bound ? (pvc.status?.accessModes ?? []).map((m: string) => modes[m] ?? m).join(',') : ''}\n`);
  w.write(L0, `VolumeMode:\t${pvc.spec?.volumeMode ?? 'Filesystem'}\n`);
  w.write(L0, `Used By:\t${usedBy.length === 0 ? '<none>' : usedBy.join('\n\t')}\n`);
  describeEvents(w, events, nowMs);
  return w.toString();
}
