import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject, ResourceType } from '../../api/registry/index.js';
import type { Cluster } from '../../cluster/cluster.js';
import { annotationsMultiline, describeEvents, DescribeWriter, L0, labelsMultiline } from './format.js';
import { describeIngress, describePVC, describeService } from './network.js';
import { describeNode } from './node.js';
import { describePod } from './pod.js';
import { describeDeployment, describeJob, describeReplicaSet } from './workloads.js';

const list = (cluster: Cluster, kind: string, namespace?: string, query: Record<string, string> = {}) => {
  const type = cluster.resource(kind);
  return ((cluster.request({ verb: 'list', group: type.group, version: type.version, resource: type.resource, ...(namespace !== undefined && type.namespaced && { namespace }), query })['items'] as KubeObject[]) ?? []) as any[];
};

/** kubectl describe for one object: the kind's own describer, or the generic one (name, labels, annotations, events). */
export function describeObject(cluster: Cluster, type: ResourceType, o: KubeObject, events: KubeObject[], nowMs: number): string {
  const ns = o.metadata?.namespace as string | undefined;
  const name = String(o.metadata?.name ?? '');
  const key = type.group === '' ? type.resource : `${type.resource}.${type.group}`;
  switch (key) {
    case 'pods':
      return describePod(o, events, nowMs);
    case 'deployments.apps':
      return describeDeployment(o, list(cluster, 'replicasets.apps', ns), events, nowMs);
    case 'replicasets.apps': {
      const pods = list(cluster, 'pods', ns).filter((p) => (p.metadata?.ownerReferences ?? []).some((r: any) => r.controller === true && r.uid === o.metadata?.['uid']));
      return describeReplicaSet(o, pods, events, nowMs);
    }
    case 'jobs.batch':
      return describeJob(o, events, nowMs);
    case 'services':
      return describeService(o, list(cluster, 'endpointslices.discovery.k8s.io', ns, { labelSelector: `kubernetes.io/service-name=${name}` }), events, nowMs);
    case 'ingresses.networking.k8s.io': {
      const slicesOf = (service: string) => (cluster.find('services', service, ns) === undefined ? undefined : list(cluster, 'endpointslices.discovery.k8s.io', ns, { labelSelector: `kubernetes.io/service-name=${service}` }));
      return describeIngress(o, slicesOf, events, nowMs);
    }
    case 'persistentvolumeclaims': {
      const usedBy = list(cluster, 'pods', ns).filter((p) => (p.spec?.volumes ?? []).some((v: any) => v.persistentVolumeClaim?.claimName === name)).map((p) => p.metadata.name);
      return describePVC(o, usedBy, events, nowMs);
    }
    case 'nodes': {
      const pods = list(cluster, 'pods', undefined, { fieldSelector: `spec.nodeName=${name}` }).filter((p: Pod) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
      const lease = cluster.find('leases.coordination.k8s.io', name, 'kube-node-lease');
      return describeNode(o, lease, pods, events, nowMs);
    }
    default: {
      const w = new DescribeWriter();
      const m = (o.metadata ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string> };
      w.write(L0, `Name:\t${name}\n`);
      if (type.namespaced) w.write(L0, `Namespace:\t${ns}\n`);
      labelsMultiline(w, 'Labels', m.labels);
      annotationsMultiline(w, m.annotations);
      describeEvents(w, events, nowMs);
      return w.toString();
    }
  }
}
