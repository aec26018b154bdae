import { formatQuantity } from '../../api/quantity.js';
import { evictionMessage, rankForDiskPressure, rankForMemoryPressure, rankForPIDPressure, type PodUsageView } from './rank.js';
import { formatThreshold, parseEvictionConfig, SIGNAL_CONDITION, SIGNAL_RESOURCE, thresholdAmount, type ParsedEvictionConfig, type PressureCondition, type Signal, type Threshold } from './thresholds.js';

/** kubelet default housekeeping interval (upstream eviction manager monitoringInterval 10 s). */
export const EVICTION_INTERVAL_MS = 10_000;
/** Default pressure-transition period (evictionPressureTransitionPeriod 5m). */
export const PRESSURE_TRANSITION_MS = 300_000;

export type EvictionResource = (typeof SIGNAL_RESOURCE)[Signal];

/** A signal observed now: what is available of what capacity (bytes, inodes or pids). */
export interface Observation {
  available: number;
  capacity: number;
}

/** A pod the eviction manager may pick. */
export interface EvictionCandidate {
  name: string;
  namespace: string;
  priority: number;
  terminationGracePeriodSeconds?: number;
  /** Its requests and use of a resource now. */
  usage(resource: EvictionResource): PodUsageView;
  /** Stop the pod with this grace period (0 for a hard threshold) and mark it Evicted with this message. */
  evict(message: string, gracePeriodSeconds: number): void;
}

export interface EvictionDeps {
  after(ms: number, fn: () => void): void;
  monotonic(): number;
  config?: ParsedEvictionConfig;
  /** Observe a signal now; undefined when the node cannot observe it. */
  observe(signal: Signal): Observation | undefined;
  /** The active pods on the node (asked for only when a threshold drives eviction). */
  pods(): EvictionCandidate[];
  /** Node-level reclaim for disk signals: remove dead containers and unused images (upstream containerGC, imageGC). */
  reclaimDisk?(): void;
  /** A pressure condition changed (the node condition follows). */
  conditionChanged(condition: PressureCondition, pressure: boolean): void;
  /** An event on the node. */
  recordNode(type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** Pods over their local-storage limits, each with its message (evicted before any threshold is looked at). */
  localStorage?(): Array<{ pod: EvictionCandidate; message: string }>;
}

const CONDITIONS: readonly PressureCondition[] = ['MemoryPressure', 'DiskPressure', 'PIDPressure'];

/**
 * The kubelet's eviction manager (upstream pkg/kubelet/eviction
 * eviction_manager.go synchronize), every 10 s: observe the signals; note
 * when each threshold was first met; report a pressure condition while its
 * signal is met and for the pressure-transition period after; evict only for
 * thresholds met for their grace period (none for hard ones), memory first;
 * try node-level reclaim for disk; then stop at most one pod, chosen by the
 * signal's ranking, with no grace for a hard threshold or
 * min(evictionMaxPodGracePeriod, the pod's) for a soft one.
 */
export class EvictionManager {
  readonly config: ParsedEvictionConfig;
  private readonly firstObservedAt = new Map<Threshold, number>();
  private readonly conditionLastObservedAt = new Map<PressureCondition, number>();
  private readonly pressure = new Set<PressureCondition>();
  private stopped = false;
  /** Pods evicted so far, in order (for reports and tests). */
  readonly evicted: Array<{ namespace: string; name: string; message: string }> = [];

  constructor(private readonly deps: EvictionDeps) {
    this.config = deps.config ?? parseEvictionConfig();
  }

  start(): void {
    this.stopped = false;
    this.deps.after(EVICTION_INTERVAL_MS, () => this.tick());
  }

  stop(): void {
    this.stopped = true;
  }

  /** The pressure conditions reported now, in upstream's order. */
  get conditions(): PressureCondition[] {
    return CONDITIONS.filter((c) => this.pressure.has(c));
  }

  private tick(): void {
    if (this.stopped) return;
    this.synchronize();
    this.deps.after(EVICTION_INTERVAL_MS, () => this.tick());
  }

  private observeAll(): Map<Signal, Observation> {
    const out = new Map<Signal, Observation>();
    for (const t of this.config.thresholds) {
      if (out.has(t.signal)) continue;
      const o = this.deps.observe(t.signal);
      if (o !== undefined) out.set(t.signal, o);
    }
    return out;
  }

  private met(observations: Map<Signal, Observation>): Threshold[] {
    return this.config.thresholds.filter((t) => {
      const o = observations.get(t.signal);
      return o !== undefined && thresholdAmount(t, o.capacity) > o.available;
    });
  }

  /** One housekeeping pass; returns the pod evicted, if any. */
  synchronize(): EvictionCandidate | undefined {
    const overLimit = this.deps.localStorage?.() ?? [];
    if (overLimit.length > 0) {
      for (const { pod, message } of overLimit) this.evictPod(pod, message, 0);
      return overLimit[0]!.pod;
    }
    const now = this.deps.monotonic();
    const observations = this.observeAll();
    const met = this.met(observations);
    for (const t of [...this.firstObservedAt.keys()]) if (!met.includes(t)) this.firstObservedAt.delete(t);
    for (const t of met) if (!this.firstObservedAt.has(t)) this.firstObservedAt.set(t, now);
    for (const t of met) this.conditionLastObservedAt.set(SIGNAL_CONDITION[t.signal], now);
    // upstream nodeConditionsObservedSince: a condition holds while observed within the transition period.
    for (const c of CONDITIONS) {
      const last = this.conditionLastObservedAt.get(c);
      const on = last !== undefined && now - last < this.config.pressureTransitionMs;
      if (on === this.pressure.has(c)) continue;
      if (on) this.pressure.add(c);
      else this.pressure.delete(c);
      this.deps.conditionChanged(c, on);
    }
    // upstream thresholdsMetGracePeriod: a hard threshold drives eviction at once, a soft one after its grace period.
    const due = met.filter((t) => now - this.firstObservedAt.get(t)! >= t.gracePeriodMs);
    if (due.length === 0) return undefined;
    // upstream byEvictionPriority: memory before everything else.
    const threshold = due.find((t) => t.signal === 'memory.available') ?? due[0]!;
    const resource = SIGNAL_RESOURCE[threshold.signal];
    this.deps.recordNode('Warning', 'EvictionThresholdMet', `Attempting to reclaim ${resource}`);
    if (resource !== 'memory' && resource !== 'pids' && this.deps.reclaimDisk !== undefined) {
      this.deps.reclaimDisk();
      // upstream reclaimNodeLevelResources: done if no threshold at all is met any more.
      if (this.met(this.observeAll()).length === 0) return undefined;
    }
    const victim = this.rank(resource, this.deps.pods())[0];
    if (victim === undefined) return undefined;
    // upstream getThresholdMetInfo: the first met threshold of the resource, with the observation made before reclaim.
    const shown = due.find((t) => SIGNAL_RESOURCE[t.signal] === resource)!;
    const o = observations.get(shown.signal)!;
    const available = formatQuantity({ value: Math.max(0, o.available), format: resource === 'inodes' || resource === 'pids' ? 'DecimalSI' : 'BinarySI' });
    const message = evictionMessage(victim.usage(resource), resource, formatThreshold(shown, o.capacity), available);
    const grace = threshold.hard ? 0 : Math.min(this.config.maxPodGracePeriodSeconds, victim.terminationGracePeriodSeconds ?? 30);
    this.evictPod(victim, message, grace);
    return victim;
  }

  private rank(resource: EvictionResource, pods: EvictionCandidate[]): EvictionCandidate[] {
    const views = new Map(pods.map((p) => [p.usage(resource), p]));
    const ranked = resource === 'memory' ? rankForMemoryPressure([...views.keys()]) : resource === 'pids' ? rankForPIDPressure([...views.keys()]) : rankForDiskPressure([...views.keys()]);
    return ranked.map((v) => views.get(v)!);
  }

  private evictPod(pod: EvictionCandidate, message: string, gracePeriodSeconds: number): void {
    this.evicted.push({ namespace: pod.namespace, name: pod.name, message });
    pod.evict(message, gracePeriodSeconds);
  }

  /**
   * Admission under pressure (upstream eviction_manager.go Admit): with only
   * MemoryPressure, pods other than BestEffort — and BestEffort pods
   * tolerating the memory-pressure taint — are admitted; any other pressure
   * rejects every pod. Returns the rejection message, if any.
   */
  admit(qos: 'Guaranteed' | 'Burstable' | 'BestEffort', toleratesMemoryPressure: boolean): string | undefined {
    const conditions = this.conditions;
    if (conditions.length === 0) return undefined;
    if (conditions.length === 1 && conditions[0] === 'MemoryPressure' && (qos !== 'BestEffort' || toleratesMemoryPressure)) return undefined;
    // Go prints the []NodeConditionType slice as [A B].
    return `The node had condition: [${conditions.join(' ')}]. `;
  }
}
