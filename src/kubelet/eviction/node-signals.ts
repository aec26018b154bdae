import type { Pod } from 'kubernetes-types/core/v1.js';
import { tryParseQuantity } from '../../api/quantity.js';
import { DISK_ERROR_TEXT, type HostContext } from '../../faults/index.js';
import type { ImageManager } from '../images/manager.js';
import { DEFAULT_PID_MAX, nodeInodes, type NodeConfig } from '../node-status.js';
import type { PodWorker } from '../pod-worker.js';
import type { Observation } from './manager.js';
import { podDiskBytes, podInodes, podProcesses } from './pod-stats.js';
import type { Signal } from './thresholds.js';

/** Processes on a node outside pods: systemd, the kubelet, containerd and its shims (a modelled baseline). */
const SYSTEM_PROCESSES = 120;
/** Image files per byte of image: one inode per 32 KiB (a modelled average). */
const IMAGE_BYTES_PER_INODE = 32_768;

export interface SignalPod {
  pod: Pod;
  worker: PodWorker;
  evicted?: string;
}

/**
 * A node's eviction signals from its state (upstream summary stats):
 * memory is the active pods' working sets against capacity; one filesystem
 * holds images, writable layers, logs and emptyDirs, so nodefs and imagefs
 * are the same observation (made once per housekeeping pass, again after a
 * reclaim); pids count the system, sandboxes and containers. Also image
 * garbage collection, and whether the disk takes more bytes.
 */
export class NodeSignals {
  private readonly memoryBytes: number;
  private readonly storageBytes: number;
  private observed: { atMs: number; reclaims: number; bytes: Observation; inodes: Observation } | undefined;
  private reclaims = 0;

  constructor(
    private readonly host: HostContext,
    private readonly node: NodeConfig,
    private readonly images: ImageManager,
    private readonly pods: () => Iterable<SignalPod>,
    private readonly active: () => SignalPod[],
  ) {
    this.memoryBytes = tryParseQuantity(node.capacity.memory)?.value ?? 0;
    this.storageBytes = tryParseQuantity(node.capacity['ephemeral-storage'] ?? '100Gi')?.value ?? 0;
  }

  observe(signal: Signal): Observation | undefined {
    switch (signal) {
      case 'memory.available': {
        const used = this.active().reduce((n, e) => n + e.worker.slots.reduce((m, s) => m + (s.current?.main?.memoryBytes() ?? 0), 0), 0);
        return { capacity: this.memoryBytes, available: this.memoryBytes - used };
      }
      case 'nodefs.available':
      case 'imagefs.available':
        return this.filesystem().bytes;
      case 'nodefs.inodesFree':
      case 'imagefs.inodesFree':
        return this.filesystem().inodes;
      case 'pid.available': {
        const capacity = this.node.pidMax ?? DEFAULT_PID_MAX;
        let used = SYSTEM_PROCESSES;
        for (const e of this.pods()) if (e.evicted === undefined) used += podProcesses(e.worker);
        return { capacity, available: capacity - used };
      }
    }
  }

  private filesystem(): { bytes: Observation; inodes: Observation } {
    const now = this.host.clock.monotonic();
    const cached = this.observed;
    if (cached !== undefined && cached.atMs === now && cached.reclaims === this.reclaims) return cached;
    let bytes = 0;
    let inodes = 0;
    for (const i of this.images.images()) {
      bytes += i.sizeBytes;
      inodes += Math.ceil(i.sizeBytes / IMAGE_BYTES_PER_INODE);
    }
    for (const e of this.pods()) {
      if (e.evicted !== undefined) continue;
      bytes += podDiskBytes(e.pod, e.worker);
      inodes += podInodes(e.pod, e.worker);
    }
    const inodeCapacity = nodeInodes(this.node);
    this.observed = { atMs: now, reclaims: this.reclaims, bytes: { capacity: this.storageBytes, available: this.storageBytes - bytes }, inodes: { capacity: inodeCapacity, available: inodeCapacity - inodes } };
    return this.observed;
  }

  /** Whether the disk takes `bytes` more now: its own faults (full, I/O errors), then what the node holds. The errno text, if not. */
  diskWriteError(bytes: number): string | undefined {
    const code = this.host.disk.writeError(bytes);
    if (code !== undefined) return DISK_ERROR_TEXT[code];
    this.observed = undefined;
    return bytes > this.filesystem().bytes.available ? DISK_ERROR_TEXT.ENOSPC : undefined;
  }

  /** Image garbage collection: remove images no running container uses (upstream image_gc_manager freeSpace). */
  reclaimImages(): void {
    this.reclaims++;
    const inUse = new Set<string>();
    for (const e of this.pods()) for (const s of e.worker.slots) if (s.current?.running && s.image !== undefined) inUse.add(s.image.name);
    for (const image of this.images.images()) if (!inUse.has(image.name)) this.images.remove(image.name);
  }
}
