import type { KubeObject } from '../../api/registry/types.js';
import { podQOSClass } from '../../api/kinds/qos.js';
import { humanDuration } from '../table.js';
import { parseRfc3339 } from '../../api/server/time.js';
import { annotationsMultiline, canonicalQuantity, controlledBy, describeEvents, DescribeWriter, L0, L1, L2, L3, labelsMultiline, rfc1123z, tolerationsMultiline } from './format.js';

/** DescribeProbe: `http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3`. */
export function describeProbe(p: any): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
  if (p.exec !== undefined) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet !== undefined) {
    const port = p.httpGet.port === undefined ? '' : String(p.httpGet.port);
    const host = port === '' ? (p.httpGet.host ?? '') : `${p.httpGet.host ?? ''}:${port}`;
    return `http-get ${String(p.httpGet.scheme ?? 'HTTP').toLowerCase()}://${host}${p.httpGet.path ?? ''} ${attrs}`;
  }
  if (p.tcpSocket !== undefined) return `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port} ${attrs}`;
  if (p.grpc !== undefined) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function describeState(w: DescribeWriter, name: string, state: any): void {
  if (state?.running !== undefined) {
    w.write(L2, `${name}:\tRunning\n`);
    w.write(L3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state?.waiting !== undefined) {
    w.write(L2, `${name}:\tWaiting\n`);
    if (state.waiting.reason) w.write(L3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state?.terminated !== undefined) {
    const t = state.terminated;
    w.write(L2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(L3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(L3, `Message:\t${t.message}\n`);
    w.write(L3, `Exit Code:\t${t.exitCode}\n`);
    if (t.signal > 0) w.write(L3, `Signal:\t${t.signal}\n`);
    w.write(L3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(L3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else w.write(L2, `${name}:\tWaiting\n`);
}

/** describeContainers: one block per container, as kubectl 1.32 prints it (`space` indents a pod template's). */
export function describeContainers(w: DescribeWriter, label: string, containers: any[], statuses: any[] | undefined, space = ''): void {
  w.write(L0, `${space}${label}:\n`);
  for (const c of containers) {
    const s = (statuses ?? []).find((x) => x.name === c.name);
    w.write(L1, `${space === '' ? '' : ' '}${c.name}:\n`);
    if (s !== undefined) w.write(L2, `Container ID:\t${s.containerID ?? ''}\n`);
    w.write(L2, `Image:\t${c.image}\n`);
    if (s !== undefined) w.write(L2, `Image ID:\t${s.imageID ?? ''}\n`);
    const ports = (c.ports ?? []).map((p: any) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
    w.write(L2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${ports || '<none>'}\n`);
    const hostPorts = (c.ports ?? []).map((p: any) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(', ');
    w.write(L2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || '<none>'}\n`);
    for (const [key, title] of [['command', 'Command'], ['args', 'Args']] as const) {
      if ((c[key] ?? []).length === 0) continue;
      w.write(L2, `${title}:\n`);
      for (const part of c[key]) for (const line of String(part).split('\n')) w.write(L3, `${line}\n`);
    }
    if (s !== undefined) {
      describeState(w, 'State', s.state);
      if (s.lastState?.terminated !== undefined) describeState(w, 'Last State', s.lastState);
      w.write(L2, `Ready:\t${s.ready ? 'True' : 'False'}\n`);
      w.write(L2, `Restart Count:\t${s.restartCount ?? 0}\n`);
    }
    for (const [key, title] of [['limits', 'Limits'], ['requests', 'Requests']] as const) {
      const r = c.resources?.[key] ?? {};
      if (Object.keys(r).length === 0) continue;
      w.write(L2, `${title}:\n`);
      for (const name of Object.keys(r).sort()) w.write(L3, `${name}:\t${canonicalQuantity(r[name])}\n`);
    }
    if (c.livenessProbe !== undefined) w.write(L2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
    if (c.readinessProbe !== undefined) w.write(L2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
    if (c.startupProbe !== undefined) w.write(L2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
    w.write(L2, `Environment:${(c.env ?? []).length === 0 ? '\t<none>' : ''}\n`);
    for (const e of c.env ?? []) {
      if (e.valueFrom === undefined) {
        String(e.value ?? '').split('\n').forEach((line, i) => w.write(L3, i === 0 ? `${e.name}:\t${line}\n` : `\t${line}\n`));
      } else if (e.valueFrom.fieldRef !== undefined) w.write(L3, `${e.name}:\t (${e.valueFrom.fieldRef.apiVersion ?? 'v1'}:${e.valueFrom.fieldRef.fieldPath})\n`);
      else if (e.valueFrom.resourceFieldRef !== undefined) w.write(L3, `${e.name}:\t (${e.valueFrom.resourceFieldRef.resource})\n`);
      else if (e.valueFrom.secretKeyRef !== undefined) w.write(L3, `${e.name}:\t<set to the key '${e.valueFrom.secretKeyRef.key}' in secret '${e.valueFrom.secretKeyRef.name}'>\tOptional: ${e.valueFrom.secretKeyRef.optional === true}\n`);
      else if (e.valueFrom.configMapKeyRef !== undefined) w.write(L3, `${e.name}:\t<set to the key '${e.valueFrom.configMapKeyRef.key}' of config map '${e.valueFrom.configMapKeyRef.name}'>\tOptional: ${e.valueFrom.configMapKeyRef.optional === true}\n`);
    }
    const mounts = [...(c.volumeMounts ?? [])].sort((a: any, b: any) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0));
    w.write(L2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
    for (const m of mounts) w.write(L3, `${m.mountPath} from ${m.name} (${[m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path=${JSON.stringify(m.subPath)}`] : [])].join(',')})\n`);
  }
}

/** describeVolumes. */
export function describeVolumes(w: DescribeWriter, volumes: any[] | undefined, space = ''): void {
  if ((volumes ?? []).length === 0) return w.write(L0, `${space}Volumes:\t<none>\n`);
  w.write(L0, `${space}Volumes:\n`);
  for (const v of volumes!) {
    w.write(L1, `${space === '' ? '' : ' '}${v.name}:\n`);
    if (v.emptyDir !== undefined) {
      w.write(L2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n`);
      w.write(L2, `SizeLimit:\t${v.emptyDir.sizeLimit ?? '<unset>'}\n`);
    } else if (v.configMap !== undefined) w.write(L2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name}\n    Optional:\t${v.configMap.optional === true}\n`);
    else if (v.secret !== undefined) w.write(L2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName}\n    Optional:\t${v.secret.optional === true}\n`);
    else if (v.persistentVolumeClaim !== undefined) w.write(L2, `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName}\n    ReadOnly:\t${v.persistentVolumeClaim.readOnly === true}\n`);
    else if (v.hostPath !== undefined) w.write(L2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type ?? ''}\n`);
    else if (v.projected !== undefined) {
      w.write(L2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
      for (const s of v.projected.sources ?? []) {
        if (s.secret !== undefined) w.write(L2, `SecretName:\t${s.secret.name}\n    SecretOptionalName:\t${s.secret.optional ?? '<nil>'}\n`);
        else if (s.downwardAPI !== undefined) w.write(L2, 'DownwardAPI:\ttrue\n');
        else if (s.configMap !== undefined) w.write(L2, `ConfigMapName:\t${s.configMap.name}\n    ConfigMapOptional:\t${s.configMap.optional ?? '<nil>'}\n`);
        else if (s.serviceAccountToken !== undefined) w.write(L2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 3600}\n`);
      }
    } else w.write(L1, '<unknown>\n');
  }
}

/** describePod (upstream staging/src/k8s.io/kubectl/pkg/describe/describe.go, v1.32). */
export function describePod(pod: any, events: KubeObject[] | undefined, nowMs: number): string {
  const w = new DescribeWriter();
  const m = pod.metadata ?? {};
  w.write(L0, `Name:\t${m.name}\n`);
  w.write(L0, `Namespace:\t${m.namespace}\n`);
  if (pod.spec?.priority !== undefined) w.write(L0, `Priority:\t${pod.spec.priority}\n`);
  if (pod.spec?.priorityClassName) w.write(L0, `Priority Class Name:\t${pod.spec.priorityClassName}\n`);
  if (pod.spec?.serviceAccountName) w.write(L0, `Service Account:\t${pod.spec.serviceAccountName}\n`);
  w.write(L0, pod.spec?.nodeName ? `Node:\t${pod.spec.nodeName}/${pod.status?.hostIP ?? ''}\n` : 'Node:\t<none>\n');
  if (pod.status?.startTime !== undefined) w.write(L0, `Start Time:\t${rfc1123z(pod.status.startTime)}\n`);
  labelsMultiline(w, 'Labels', m.labels);
  annotationsMultiline(w, m.annotations);
  const phase = pod.status?.phase ?? '';
  if (m.deletionTimestamp !== undefined && phase !== 'Failed' && phase !== 'Succeeded') {
    w.write(L0, `Status:\tTerminating (lasts ${humanDuration(nowMs - parseRfc3339(m.deletionTimestamp))})\n`);
    w.write(L0, `Termination Grace Period:\t${m.deletionGracePeriodSeconds ?? 0}s\n`);
  } else w.write(L0, `Status:\t${phase}\n`);
  if (pod.status?.reason) w.write(L0, `Reason:\t${pod.status.reason}\n`);
  if (pod.status?.message) w.write(L0, `Message:\t${pod.status.message}\n`);
  w.write(L0, `IP:\t${pod.status?.podIP ?? ''}\n`);
  const ips = pod.status?.podIPs ?? [];
  if (ips.length === 0) w.write(L0, 'IPs:\t<none>\n');
  else {
    w.write(L0, 'IPs:\n');
    for (const ip of ips) w.write(L1, `IP:\t${ip.ip}\n`);
  }
  const owner = controlledBy(pod);
  if (owner !== '') w.write(L0, `Controlled By:\t${owner}\n`);
  if (pod.status?.nominatedNodeName) w.write(L0, `NominatedNodeName:\t${pod.status.nominatedNodeName}\n`);
  if ((pod.spec?.initContainers ?? []).length > 0) describeContainers(w, 'Init Containers', pod.spec.initContainers, pod.status?.initContainerStatuses);
  describeContainers(w, 'Containers', pod.spec?.containers ?? [], pod.status?.containerStatuses);
  if ((pod.status?.conditions ?? []).length > 0) {
    w.write(L0, 'Conditions:\n  Type\tStatus\n');
    for (const c of pod.status.conditions) w.write(L1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(w, pod.spec?.volumes);
  w.write(L0, `QoS Class:\t${podQOSClass(pod.spec ?? { containers: [] })}\n`);
  labelsMultiline(w, 'Node-Selectors', pod.spec?.nodeSelector);
  tolerationsMultiline(w, 'Tolerations', pod.spec?.tolerations);
  describeEvents(w, events, nowMs);
  return w.toString();
}

/** DescribePodTemplate: the template of a Deployment, ReplicaSet, Job, … */
export function describePodTemplate(w: DescribeWriter, template: any): void {
  w.write(L0, 'Pod Template:\n');
  if (template === undefined) return w.write(L1, '<unset>');
  labelsMultiline(w, '  Labels', template.metadata?.labels);
  if (Object.keys(template.metadata?.annotations ?? {}).length > 0) labelsMultiline(w, '  Annotations', template.metadata.annotations, ': ');
  if (template.spec?.serviceAccountName) w.write(L1, `Service Account:\t${template.spec.serviceAccountName}\n`);
  if ((template.spec?.initContainers ?? []).length > 0) describeContainers(w, 'Init Containers', template.spec.initContainers, undefined, '  ');
  describeContainers(w, 'Containers', template.spec?.containers ?? [], undefined, '  ');
  describeVolumes(w, template.spec?.volumes, '  ');
  const selectors = Object.entries(template.spec?.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`).sort().join(',');
  w.write(L1, `Node-Selectors:\t${selectors || '<none>'}\n`);
  tolerationsMultiline(w, '  Tolerations', template.spec?.tolerations);
  if (template.spec?.priorityClassName) w.write(L1, `Priority Class Name:\t${template.spec.priorityClassName}\n`);
}
