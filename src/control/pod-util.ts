import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { cloneJson } from '../api/json-clone.js';
import { parseRfc3339 } from '../api/server/time.js';

/** upstream podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** When the pod became Ready (ms since the epoch), if it is. */
export function podReadySinceMs(pod: Pod): number | undefined {
  const c = pod.status?.conditions?.find((x) => x.type === 'Ready' && x.status === 'True');
  return c?.lastTransitionTime === undefined ? undefined : parseRfc3339(c.lastTransitionTime);
}

/** upstream podutil.IsPodAvailable: Ready for at least minReadySeconds (ready at all when 0). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds === 0) return true;
  const since = podReadySinceMs(pod);
  return since !== undefined && since + minReadySeconds * 1000 <= nowMs;
}

/** upstream controller.IsPodActive: not finished and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  return pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed' && pod.metadata?.deletionTimestamp === undefined;
}

export function controllerOf(o: { metadata?: { ownerReferences?: OwnerReference[] } }): OwnerReference | undefined {
  return o.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/**
 * A pod from a controller's template (upstream controller.GetPodFromTemplate):
 * the template's labels, annotations, finalizers and spec, named
 * `<owner>-<random>` by the API server, with the owner as controller.
 */
export function podFromTemplate(template: PodTemplateSpec | undefined, namespace: string, namePrefix: string, owner: OwnerReference): Pod {
  const meta = template?.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${namePrefix}-`,
      namespace,
      ...(meta.labels !== undefined && { labels: { ...meta.labels } }),
      ...(meta.annotations !== undefined && { annotations: { ...meta.annotations } }),
      ...(meta.finalizers !== undefined && { finalizers: [...meta.finalizers] }),
      ownerReferences: [{ ...owner, controller: true, blockOwnerDeletion: true }],
    },
    spec: cloneJson(template?.spec ?? { containers: [] }),
  };
}
