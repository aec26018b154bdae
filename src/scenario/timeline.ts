import type { ScenarioTarget } from './target.js';
import type { Timeline } from './result.js';

const MiB = 1024 * 1024;
/** Keep charts light: at most this many samples per scenario (longer runs are thinned evenly). */
const MAX_SAMPLES = 2_000;

/**
 * Samples the cluster for the report's charts as it runs: ready pods,
 * replicas per ReplicaSet, and each node's available memory against its
 * eviction threshold; fault windows are added by the runner. Reads the
 * store directly, so sampling costs no virtual time and changes nothing.
 */
export class TimelineRecorder {
  private readonly t: number[] = [];
  private readonly series = new Map<string, { group: Timeline['series'][number]['group']; values: Array<number | null> }>();
  private next = 0;
  readonly faults: Timeline['faults'] = [];

  constructor(
    private readonly cluster: ScenarioTarget,
    private readonly everyMs = 1_000,
  ) {}

  /** Take a sample if one is due (called after every simulation event). */
  maybeSample(): void {
    const now = this.cluster.now;
    if (now < this.next) return;
    this.next = (Math.floor(now / this.everyMs) + 1) * this.everyMs;
    this.sample(now);
  }

  private put(name: string, group: Timeline['series'][number]['group'], value: number): void {
    let s = this.series.get(name);
    if (s === undefined) this.series.set(name, (s = { group, values: new Array(this.t.length - 1).fill(null) }));
    s.values.push(value);
  }

  private sample(now: number): void {
    this.t.push(now);
    const pods = this.cluster.peekList('pods') as Array<{ metadata?: { namespace?: string }; status?: { conditions?: Array<{ type: string; status: string }> } }>;
    this.put('pods ready', 'pods', pods.filter((p) => p.metadata?.namespace !== 'kube-system' && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length);
    for (const rs of this.cluster.peekList('replicasets.apps') as Array<{ metadata?: { name?: string; namespace?: string }; status?: { replicas?: number } }>) {
      if (rs.metadata?.namespace === 'kube-system') continue;
      this.put(`rs ${rs.metadata?.name}`, 'replicasets', rs.status?.replicas ?? 0);
    }
    for (const m of this.cluster.memory()) this.put(`${m.node} memory available`, 'memory', Math.round((m.availableBytes / MiB) * 10) / 10);
    for (const s of this.series.values()) if (s.values.length < this.t.length) s.values.push(null);
  }

  finish(): Timeline {
    this.sample(this.cluster.now);
    const step = Math.max(1, Math.ceil(this.t.length / MAX_SAMPLES));
    const keep = (i: number) => i % step === 0 || i === this.t.length - 1;
    const thresholds = this.cluster.memory().flatMap((m) => (m.thresholdBytes === undefined ? [] : [{ node: m.node, mib: Math.round((m.thresholdBytes / MiB) * 10) / 10 }]));
    return {
      t: this.t.filter((_, i) => keep(i)),
      series: [...this.series].map(([name, s]) => ({ name, group: s.group, values: s.values.filter((_, i) => keep(i)) })),
      faults: this.faults,
      thresholds,
    };
  }
}
