import type { Pod } from 'kubernetes-types/core/v1.js';
import { podResourceTotal } from '../../api/kinds/pod-resources.js';
import { formatQuantity, tryParseQuantity } from '../../api/quantity.js';
import type { KubeObject } from '../../api/registry/types.js';
import { parseRfc3339 } from '../../api/server/time.js';
import { humanDuration } from '../table.js';
import { annotationsMultiline, canonicalQuantity, describeEvents, DescribeWriter, L0, L1, labelsMultiline, rfc1123z } from './format.js';

const RESOURCE_ORDER = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A quantity total as Quantity.String() prints it: cpu in cores or millicores, memory in binary units when exact. */
function quantityText(resource: string, value: number): string {
  if (value === 0) return '0';
  return formatQuantity({ value, format: resource === 'cpu' ? 'DecimalSI' : 'BinarySI' });
}

const percent = (value: number, allocatable: number) => (allocatable > 0 ? Math.trunc((value / allocatable) * 100) : 0);

/** describeNode (kubectl 1.32): identity, taints, lease, conditions, addresses, capacity, system info, pods and allocated resources. */
export function describeNode(node: any, lease: any, pods: Pod[], events: KubeObject[], nowMs: number): string {
  const w = new DescribeWriter();
  const m = node.metadata;
  const roles = Object.keys(m.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice(24)).sort();
  w.write(L0, `Name:\t${m.name}\n`);
  w.write(L0, `Roles:\t${roles.length === 0 ? '<none>' : roles.join(',')}\n`);
  labelsMultiline(w, 'Labels', m.labels);
  annotationsMultiline(w, m.annotations);
  w.write(L0, `CreationTimestamp:\t${rfc1123z(m.creationTimestamp)}\n`);
  const taints: any[] = node.spec?.taints ?? [];
  w.write(L0, 'Taints:\t');
  if (taints.length === 0) w.write(L0, '<none>\n');
  taints.forEach((t, i) => w.write(L0, `${i > 0 ? '\t' : ''}${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}\n`));
  w.write(L0, `Unschedulable:\t${node.spec?.unschedulable === true}\n`);
  if (lease !== undefined) {
    w.write(L0, 'Lease:\n');
    w.write(L1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? '<unset>'}\n`);
    w.write(L1, `AcquireTime:\t${lease.spec?.acquireTime === undefined ? '<unset>' : rfc1123z(lease.spec.acquireTime)}\n`);
    w.write(L1, `RenewTime:\t${lease.spec?.renewTime === undefined ? '<unset>' : rfc1123z(lease.spec.renewTime)}\n`);
  }
  const conditions: any[] = node.status?.conditions ?? [];
  if (conditions.length > 0) {
    w.write(L0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(L1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conditions) w.write(L1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
  }
  w.write(L0, 'Addresses:\n');
  for (const a of node.status?.addresses ?? []) w.write(L1, `${a.type}:\t${a.address}\n`);
  for (const [title, list] of [['Capacity', node.status?.capacity], ['Allocatable', node.status?.allocatable]] as const) {
    w.write(L0, `${title}:\n`);
    for (const k of Object.keys(list ?? {}).sort(RESOURCE_ORDER)) w.write(L1, `${k}:\t${canonicalQuantity(list[k])}\n`);
  }
  const info = node.status?.nodeInfo ?? {};
  w.write(L0, 'System Info:\n');
  for (const [label, key] of [['Machine ID', 'machineID'], ['System UUID', 'systemUUID'], ['Boot ID', 'bootID'], ['Kernel Version', 'kernelVersion'], ['OS Image', 'osImage'], ['Operating System', 'operatingSystem'], ['Architecture', 'architecture'], ['Container Runtime Version', 'containerRuntimeVersion'], ['Kubelet Version', 'kubeletVersion'], ['Kube-Proxy Version', 'kubeProxyVersion']]) {
    w.write(L0, `  ${label}:\t${info[key!] ?? ''}\n`);
  }
  if (node.spec?.podCIDR) w.write(L0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  if ((node.spec?.podCIDRs ?? []).length > 0) w.write(L0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`);
  const alloc = (r: string) => tryParseQuantity(node.status?.allocatable?.[r])?.value ?? 0;
  w.write(L0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(L1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(L1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const totals = { cpu: [0, 0], memory: [0, 0], 'ephemeral-storage': [0, 0] } as Record<string, [number, number]>;
  for (const p of pods) {
    const cells = (['cpu', 'memory'] as const).flatMap((r) => (['requests', 'limits'] as const).map((k) => {
      const v = podResourceTotal(p, k, r);
      return `${quantityText(r, v)} (${percent(v, alloc(r))}%)`;
    }));
    for (const r of Object.keys(totals)) {
      totals[r]![0] += podResourceTotal(p, 'requests', r);
      totals[r]![1] += podResourceTotal(p, 'limits', r);
    }
    w.write(L1, `${p.metadata?.namespace}\t${p.metadata?.name}\t\t${cells.join('\t')}\t${humanDuration(nowMs - parseRfc3339(p.metadata?.creationTimestamp ?? ''))}\n`);
  }
  w.write(L0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(L1, 'Resource\tRequests\tLimits\n');
  w.write(L1, '--------\t--------\t------\n');
  for (const [r, [req, lim]] of Object.entries(totals)) w.write(L1, `${r}\t${quantityText(r, req)} (${percent(req, alloc(r))}%)\t${quantityText(r, lim)} (${percent(lim, alloc(r))}%)\n`);
  describeEvents(w, events, nowMs);
  return w.toString();
}
