import type { KubeObject, ResourceType } from '../../api/registry/index.js';
import type { Cluster } from '../../cluster/cluster.js';
import { annotationsMultiline, describeEvents, DescribeWriter, L0, labelsMultiline } from './format.js';
import { describePod } from './pod.js';

/** kubectl describe for one object: the kind's own describer, or the generic one (name, labels, annotations, events). */
export function describeObject(_cluster: Cluster, type: ResourceType, o: KubeObject, events: KubeObject[], nowMs: number): string {
  if (type.resource === 'pods' && type.group === '') return describePod(o, events, nowMs);
  const w = new DescribeWriter();
  const m = (o.metadata ?? {}) as { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  w.write(L0, `Name:\t${m.name}\n`);
  if (type.namespaced) w.write(L0, `Namespace:\t${m.namespace}\n`);
  labelsMultiline(w, 'Labels', m.labels);
  annotationsMultiline(w, m.annotations);
  describeEvents(w, events, nowMs);
  return w.toString();
}
