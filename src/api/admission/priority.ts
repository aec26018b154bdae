import type { Pod } from 'kubernetes-types/core/v1.js';
import { apiErrors } from '../errors/status.js';
import type { AdmissionContext } from './types.js';

/** The built-in classes (upstream pkg/apis/scheduling SystemPriorityClasses). */
export const SYSTEM_PRIORITY_CLASSES = [
  { name: 'system-node-critical', value: 2000001000, description: 'Used for system critical pods that must not be moved from their current node.' },
  { name: 'system-cluster-critical', value: 2000000000, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
];

/**
 * Priority admission (upstream plugin/pkg/admission/priority): resolve
 * priorityClassName to spec.priority and preemptionPolicy; without a class,
 * the globalDefault class applies, else priority 0.
 */
export function admitPriority(ctx: AdmissionContext): void {
  const pod = ctx.object as Pod;
  const spec = pod.spec;
  if (spec === undefined) return;
  const classes = ctx.store.list('priorityclasses.scheduling.k8s.io').items;
  const chosen = spec.priorityClassName ? classes.find((c) => c.metadata?.name === spec.priorityClassName) : classes.find((c) => c['globalDefault'] === true);
  if (spec.priorityClassName && chosen === undefined) {
    throw apiErrors.forbidden({ group: '', resource: 'pods' }, String(pod.metadata?.name ?? ''), `no PriorityClass with name ${spec.priorityClassName} was found`);
  }
  if (chosen !== undefined && !spec.priorityClassName) spec.priorityClassName = String(chosen.metadata?.name);
  const value = chosen === undefined ? 0 : Number(chosen['value']);
  if (spec.priority !== undefined && spec.priority !== value) {
    throw apiErrors.forbidden({ group: '', resource: 'pods' }, String(pod.metadata?.name ?? ''), 'the integer value of priority must not be provided in pod spec; priority admission controller computed ' + value + ' from the given PriorityClass name');
  }
  spec.priority = value;
  spec.preemptionPolicy ??= (chosen?.['preemptionPolicy'] as 'PreemptLowerPriority' | 'Never' | undefined) ?? 'PreemptLowerPriority';
}
