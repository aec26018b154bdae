import { evictionMessage, memoryEvictionMessage, rankForMemoryPressure, type PodMemoryView } from './rank.js';

/** kubelet defaults: housekeeping every 10 s, hard threshold memory.available<100Mi, pressure-transition period 5 min. */
export const EVICTION_INTERVAL_MS = 10_000;
export const MEMORY_AVAILABLE_HARD_BYTES = 100 * 1024 * 1024;
export const PRESSURE_TRANSITION_MS = 300_000;
/** nodefs.available<10% (kubelet's default hard threshold). */
export const NODEFS_AVAILABLE_FRACTION = 0.1;

/** A pod the eviction manager may pick. */
export interface EvictionCandidate extends PodMemoryView {
  /** Kill the pod with no grace period (a hard threshold) and mark it Evicted with this message. */
  evict(message: string): void;
}

export interface EvictionDeps {
  after(ms: number, fn: () => void): void;
  monotonic(): number;
  /** Node memory capacity in bytes (the signal is computed against capacity, as cAdvisor's working set). */
  capacityBytes: number;
  /** Memory used outside pods (system daemons, kernel). */
  systemUsageBytes?: number;
  /** The active pods on the node with their usage now (asked for only when the threshold is met). */
  pods(): EvictionCandidate[];
  /** Memory used by the active pods now; computed from `pods()` when absent. */
  podsUsageBytes?(): number;
  /** MemoryPressure changed (the node condition follows). */
  pressureChanged(underPressure: boolean): void;
  /** An event on the node. */
  recordNode(type: 'Normal' | 'Warning', reason: string, message: string): void;
  thresholdBytes?: number;
  /** nodefs: capacity, what is used (images, container layers, logs, emptyDirs), the pods with their disk use, and image garbage collection. */
  disk?: {
    capacityBytes: number;
    usedBytes(): number;
    pods(): EvictionCandidate[];
    /** Delete images no container uses; returns the bytes freed. */
    reclaimImages(): number;
    pressureChanged(underPressure: boolean): void;
  };
  /** Pods over their local-storage limits, each with its message (evicted before any threshold is looked at). */
  localStorage?(): Array<{ pod: EvictionCandidate; message: string }>;
}

/**
 * The eviction manager for the memory.available signal (upstream
 * pkg/kubelet/eviction/eviction_manager.go synchronize): every 10 s it
 * observes available memory; below the hard threshold it reports
 * MemoryPressure, records `EvictionThresholdMet "Attempting to reclaim
 * memory"`, and evicts at most one pod per interval, chosen by
 * rankMemoryPressure. Pressure is reported until the signal has stayed
 * above the threshold for the pressure-transition period.
 */
export class EvictionManager {
  underPressure = false;
  diskPressure = false;
  private lastPressureAtMs = -Infinity;
  private lastDiskPressureAtMs = -Infinity;
  private stopped = false;
  /** Pods evicted so far, in order (for reports and tests). */
  readonly evicted: Array<{ namespace: string; name: string; message: string }> = [];

  constructor(private readonly deps: EvictionDeps) {}

  start(): void {
    this.deps.after(EVICTION_INTERVAL_MS, () => this.tick());
  }

  stop(): void {
    this.stopped = true;
  }

  private tick(): void {
    if (this.stopped) return;
    this.synchronize();
    this.deps.after(EVICTION_INTERVAL_MS, () => this.tick());
  }

  /** One housekeeping pass; returns the pod evicted, if any. */
  synchronize(): EvictionCandidate | undefined {
    const overLimit = this.deps.localStorage?.() ?? [];
    if (overLimit.length > 0) {
      for (const { pod, message } of overLimit) {
        this.evicted.push({ namespace: pod.namespace, name: pod.name, message });
        pod.evict(message);
      }
      return overLimit[0]!.pod;
    }
    const threshold = this.deps.thresholdBytes ?? MEMORY_AVAILABLE_HARD_BYTES;
    const podsUsage = this.deps.podsUsageBytes?.() ?? this.deps.pods().reduce((n, p) => n + p.containers.reduce((m, c) => m + c.usageBytes, 0), 0);
    const used = podsUsage + (this.deps.systemUsageBytes ?? 0);
    const available = this.deps.capacityBytes - used;
    const now = this.deps.monotonic();
    const met = available < threshold;
    if (met) this.lastPressureAtMs = now;
    const pressure = met || now - this.lastPressureAtMs < PRESSURE_TRANSITION_MS;
    if (pressure !== this.underPressure) {
      this.underPressure = pressure;
      this.deps.pressureChanged(pressure);
    }
    if (!met) return this.synchronizeDisk();
    this.deps.recordNode('Warning', 'EvictionThresholdMet', 'Attempting to reclaim memory');
    const victim = rankForMemoryPressure(this.deps.pods())[0];
    if (victim === undefined) return undefined;
    const message = memoryEvictionMessage(victim, threshold, Math.max(0, available));
    this.evicted.push({ namespace: victim.namespace, name: victim.name, message });
    victim.evict(message);
    return victim;
  }

  /**
   * nodefs.available below 10 % of capacity (upstream hard default): node
   * level reclaim first (unused images), then one pod by rankDiskPressure
   * (usage above ephemeral-storage requests, priority, usage).
   */
  private synchronizeDisk(): EvictionCandidate | undefined {
    const disk = this.deps.disk;
    if (disk === undefined) return undefined;
    const threshold = Math.floor(disk.capacityBytes * NODEFS_AVAILABLE_FRACTION);
    const now = this.deps.monotonic();
    let available = disk.capacityBytes - disk.usedBytes();
    const met = available < threshold;
    if (met) this.lastDiskPressureAtMs = now;
    const pressure = met || now - this.lastDiskPressureAtMs < PRESSURE_TRANSITION_MS;
    if (pressure !== this.diskPressure) {
      this.diskPressure = pressure;
      disk.pressureChanged(pressure);
    }
    if (!met) return undefined;
    this.deps.recordNode('Warning', 'EvictionThresholdMet', 'Attempting to reclaim ephemeral-storage');
    available += disk.reclaimImages();
    if (available >= threshold) return undefined;
    const victim = rankForMemoryPressure(disk.pods())[0];
    if (victim === undefined) return undefined;
    const message = evictionMessage(victim, 'ephemeral-storage', threshold, Math.max(0, available));
    this.evicted.push({ namespace: victim.namespace, name: victim.name, message });
    victim.evict(message);
    return victim;
  }
}
