import type { Pod } from 'kubernetes-types/core/v1.js';
import { tryParseQuantity } from '../../api/quantity.js';
import type { ContainerSlot, PodWorker } from '../pod-worker.js';
import type { EvictionResource } from './manager.js';
import type { PodUsageView } from './rank.js';

/** Processes every pod has besides its containers: the sandbox's pause process. */
const SANDBOX_PROCESSES = 1;

const request = (slot: ContainerSlot, resource: string): number => tryParseQuantity(slot.spec.resources?.requests?.[resource])?.value ?? 0;

/** A container's writable layer and logs, in bytes (stats Rootfs + Logs). */
function containerDisk(s: ContainerSlot): number {
  return s.current === undefined ? 0 : (s.current.running ? s.current.fs.usedBytes() : 0) + s.current.logBytes;
}

/** A container's inodes: its files, and one per log file. */
function containerInodes(s: ContainerSlot): number {
  return s.current === undefined ? 0 : (s.current.running ? s.current.fs.inodesUsed() : 0) + 1;
}

/** The pod's disk-backed emptyDirs (local ephemeral volumes). */
function localVolumes(pod: Pod, worker: PodWorker, measure: 'bytes' | 'inodes'): number {
  let n = 0;
  for (const v of pod.spec?.volumes ?? []) {
    if (v.emptyDir === undefined || v.emptyDir.medium === 'Memory') continue;
    const fs = worker.volume(v.name);
    n += fs === undefined ? 0 : measure === 'bytes' ? fs.usedBytes() : fs.inodesUsed();
  }
  return n;
}

/**
 * Disk a pod holds on the node: its running containers' writable layers, its
 * containers' logs (current and previous instances) and its disk-backed
 * emptyDirs. A dead container's layer is the runtime's to reclaim (container
 * garbage collection), so it does not count.
 */
export function podDiskBytes(pod: Pod, worker: PodWorker): number {
  let n = localVolumes(pod, worker, 'bytes');
  for (const s of worker.slots) n += containerDisk(s) + (s.previousInstance?.logBytes ?? 0);
  return n;
}

/** Processes in the pod now: the sandbox and each running container's. */
export function podProcesses(worker: PodWorker): number {
  let n = SANDBOX_PROCESSES;
  for (const s of worker.slots) if (s.current?.running) n += s.current.main?.processes?.() ?? 1;
  return n;
}

/** Inodes the pod holds on the node: containers' files and logs, and local volumes. */
export function podInodes(pod: Pod, worker: PodWorker): number {
  let n = localVolumes(pod, worker, 'inodes');
  for (const s of worker.slots) {
    n += containerInodes(s);
    if (s.previousInstance !== undefined) n += 1;
  }
  return n;
}

/**
 * A pod's requests and use of a resource as the eviction rankings see them
 * (upstream helpers.go: memory working set; disk as rootfs + logs + local
 * volumes; inodes likewise, compared with no request but ranked after
 * subtracting the ephemeral-storage request, as upstream's `disk` does;
 * processes for pids).
 */
export function podUsage(pod: Pod, worker: PodWorker, resource: EvictionResource): PodUsageView {
  const meta = pod.metadata ?? {};
  const base = { name: meta.name ?? '', namespace: meta.namespace ?? '', priority: pod.spec?.priority ?? 0 };
  switch (resource) {
    case 'memory':
      return { ...base, containers: worker.slots.map((s) => ({ name: s.spec.name, requestBytes: request(s, 'memory'), usageBytes: s.current?.main?.memoryBytes() ?? 0 })) };
    case 'ephemeral-storage':
      return { ...base, containers: worker.slots.map((s) => ({ name: s.spec.name, requestBytes: request(s, 'ephemeral-storage'), usageBytes: containerDisk(s) })), volumesUsage: localVolumes(pod, worker, 'bytes') };
    case 'inodes':
      return {
        ...base,
        containers: worker.slots.map((s) => ({ name: s.spec.name, requestBytes: 0, usageBytes: containerInodes(s) })),
        volumesUsage: localVolumes(pod, worker, 'inodes'),
        request: 0,
        rankingRequest: worker.slots.reduce((n, s) => n + request(s, 'ephemeral-storage'), 0),
      };
    case 'pids':
      return { ...base, containers: [], processes: podProcesses(worker) };
  }
}
