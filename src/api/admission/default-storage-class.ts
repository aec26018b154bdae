import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { AdmissionContext } from './types.js';

const DEFAULT_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

/**
 * DefaultStorageClass admission (upstream plugin/pkg/admission/storage/storageclass/setdefault):
 * a PersistentVolumeClaim created without storageClassName gets the
 * StorageClass annotated as default — the newest if several are.
 */
export function admitDefaultStorageClass(ctx: AdmissionContext): void {
  const pvc = ctx.object as PersistentVolumeClaim;
  if (pvc.spec === undefined || pvc.spec.storageClassName !== undefined) return;
  const classes = ctx.store.list('storageclasses.storage.k8s.io').items.filter((c) => (c.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.[DEFAULT_ANNOTATION] === 'true');
  if (classes.length === 0) return;
  const created = (c: (typeof classes)[number]) => String((c.metadata as { creationTimestamp?: string } | undefined)?.creationTimestamp ?? '');
  const chosen = [...classes].sort((a, b) => (created(a) < created(b) ? 1 : created(a) > created(b) ? -1 : 0))[0]!;
  pvc.spec.storageClassName = String((chosen.metadata as { name?: string }).name);
}
