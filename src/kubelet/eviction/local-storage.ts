import type { Pod } from 'kubernetes-types/core/v1.js';
import { formatQuantity, tryParseQuantity } from '../../api/quantity.js';
import type { PodWorker } from '../pod-worker.js';

const bytes = (q: string | undefined): number | undefined => tryParseQuantity(q)?.value;

/** Whether any local-storage limit applies to the pod (most pods have none and need no accounting). */
export function hasLocalStorageLimits(pod: Pod): boolean {
  return (
    (pod.spec?.volumes ?? []).some((v) => v.emptyDir?.sizeLimit !== undefined) ||
    [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].some((c) => c.resources?.limits?.['ephemeral-storage'] !== undefined)
  );
}

/**
 * Why a pod must be evicted for local storage, if it must (upstream
 * eviction_manager.go localStorageEviction, in its order): an emptyDir over
 * its sizeLimit, the pod over the sum of its containers' ephemeral-storage
 * limits, a container over its own. Usage is a container's writable layer
 * plus its logs, and the pod's disk-backed emptyDirs. Messages are
 * upstream's, with their trailing space.
 */
export function localStorageViolation(pod: Pod, worker: PodWorker): string | undefined {
  const emptyDirs = (pod.spec?.volumes ?? []).filter((v) => v.emptyDir !== undefined && v.emptyDir.medium !== 'Memory');
  let volumesUsed = 0;
  for (const v of emptyDirs) {
    const used = worker.volume(v.name)?.usedBytes() ?? 0;
    volumesUsed += used;
    const limit = bytes(v.emptyDir!.sizeLimit);
    if (limit !== undefined && used > limit) return `Usage of EmptyDir volume "${v.name}" exceeds the limit "${v.emptyDir!.sizeLimit}". `;
  }
  const containers = worker.slots.filter((s) => s.kind !== 'init');
  const usage = (s: (typeof containers)[number]) => (s.current === undefined ? 0 : s.current.fs.usedBytes() + s.current.logBytes);
  const limits = containers.map((s) => bytes(s.spec.resources?.limits?.['ephemeral-storage']));
  if (limits.some((l) => l !== undefined)) {
    const podLimit = limits.reduce<number>((n, l) => n + (l ?? 0), 0);
    const podUsage = containers.reduce((n, s) => n + usage(s), volumesUsed);
    if (podUsage > podLimit) return `Pod ephemeral local storage usage exceeds the total limit of containers ${formatQuantity({ value: podLimit, format: 'BinarySI' })}. `;
  }
  for (const [i, s] of containers.entries()) {
    const limit = limits[i];
    if (limit !== undefined && usage(s) > limit) return `Container ${s.spec.name} exceeded its local ephemeral storage limit "${s.spec.resources!.limits!['ephemeral-storage']}". `;
  }
  return undefined;
}
