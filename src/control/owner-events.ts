import type { KubeObject } from '../api/registry/types.js';
import type { EventHandler, WorkQueue } from '../client/index.js';
import type { Expectations } from './expectations.js';
import { controllerOf } from './pod-util.js';

const keyOf = (o: KubeObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/**
 * Informer handlers that send an object's events to its controlling owner
 * of `kind` (upstream resolveControllerRef then enqueue), noting creations
 * and deletions against the owner's expectations when it keeps them.
 */
export function ownerEvents(kind: string, queue: WorkQueue, expectations?: Expectations): EventHandler {
  const owner = (o: KubeObject): string | undefined => {
    const ref = controllerOf(o as Parameters<typeof controllerOf>[0]);
    return ref?.kind === kind ? `${o.metadata?.namespace ?? ''}/${ref.name}` : undefined;
  };
  return {
    onAdd: (o) => {
      const key = owner(o);
      if (key === undefined) return;
      expectations?.creationObserved(key);
      queue.add(key);
    },
    onUpdate: (_old, o) => {
      const key = owner(o);
      if (key === undefined) return;
      // A graceful deletion counts as observed once the deletionTimestamp appears (upstream updatePod → deletePod), not when the kubelet finally removes the pod.
      if (o.metadata?.['deletionTimestamp'] !== undefined) expectations?.deletionObserved(key, keyOf(o));
      queue.add(key);
    },
    onDelete: (o) => {
      const key = owner(o);
      if (key === undefined) return;
      expectations?.deletionObserved(key, keyOf(o));
      queue.add(key);
    },
  };
}
