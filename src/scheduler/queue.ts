import type { Pod } from 'kubernetes-types/core/v1.js';
import { Heap } from './heap.js';

/** upstream defaults: podInitialBackoffDuration 1 s, podMaxBackoffDuration 10 s, podMaxInUnschedulablePodsDuration 5 min. */
export const POD_INITIAL_BACKOFF_MS = 1_000;
export const POD_MAX_BACKOFF_MS = 10_000;
export const POD_MAX_IN_UNSCHEDULABLE_MS = 300_000;

interface QueuedPod {
  key: string;
  pod: Pod;
  /** When it entered the active queue (PrioritySort breaks priority ties by this). */
  timestampMs: number;
  attempts: number;
  /** When the last attempt failed. */
  failedAtMs: number;
  seq: number;
  /** Bumped each time it enters activeQ; heap entries of an older version are stale. */
  version: number;
}

interface HeapEntry {
  q: QueuedPod;
  version: number;
  priority: number;
  timestampMs: number;
  seq: number;
}

/** upstream PrioritySort: higher priority first, then earlier queued. */
const before = (a: HeapEntry, b: HeapEntry): boolean => a.priority > b.priority || (a.priority === b.priority && (a.timestampMs < b.timestampMs || (a.timestampMs === b.timestampMs && a.seq < b.seq)));

/** upstream isPodUpdated: a change other than status, resourceVersion, generation, managedFields or finalizers. */
function podUpdated(old: Pod, next: Pod): boolean {
  const strip = (p: Pod) => JSON.stringify({ ...p, status: undefined, metadata: { ...p.metadata, resourceVersion: undefined, generation: undefined, managedFields: undefined, finalizers: undefined } });
  return strip(old) !== strip(next);
}

/** upstream backoff: 1 s doubling per attempt, at most 10 s, from the last failure. */
export function backoffMs(attempts: number): number {
  let d = POD_INITIAL_BACKOFF_MS;
  for (let i = 1; i < attempts && d < POD_MAX_BACKOFF_MS; i++) d *= 2;
  return Math.min(d, POD_MAX_BACKOFF_MS);
}

/**
 * The scheduling queue (upstream pkg/scheduler/backend/queue
 * PriorityQueue): activeQ ordered by priority, then by time queued;
 * backoffQ for pods that failed and wait out their back-off; the
 * unschedulable pods, moved back when the cluster changes in a way that may
 * help (a node added or changed, a pod deleted, …) or after 5 minutes.
 */
export class SchedulingQueue {
  private readonly active = new Map<string, QueuedPod>();
  private readonly backoff = new Map<string, QueuedPod>();
  private readonly unschedulable = new Map<string, QueuedPod>();
  /** Pods handed out and not yet done (their attempts carry over). */
  private readonly inFlight = new Map<string, QueuedPod>();
  private readonly heap = new Heap<HeapEntry>(before);
  private seq = 0;

  constructor(private readonly now: () => number) {}

  get size(): number {
    return this.active.size + this.backoff.size + this.unschedulable.size;
  }

  counts(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size };
  }

  has(key: string): boolean {
    return this.active.has(key) || this.backoff.has(key) || this.unschedulable.has(key) || this.inFlight.has(key);
  }

  /** A new pending pod. */
  add(key: string, pod: Pod): void {
    if (this.has(key)) return this.update(key, pod);
    this.activate({ key, pod, timestampMs: this.now(), attempts: 0, failedAtMs: 0, seq: this.seq++, version: 0 });
  }

  /** A pending pod changed: keep its place, with the new object; an unschedulable pod gets another try if more than its status changed. */
  update(key: string, pod: Pod): void {
    for (const m of [this.backoff, this.inFlight]) {
      const q = m.get(key);
      if (q !== undefined) q.pod = pod;
    }
    const a = this.active.get(key);
    if (a !== undefined) {
      // A new priority needs a new place in the heap.
      a.pod = pod;
      this.activate(a);
    }
    const u = this.unschedulable.get(key);
    if (u !== undefined) {
      const changed = podUpdated(u.pod, pod);
      u.pod = pod;
      if (!changed) return;
      this.unschedulable.delete(key);
      this.requeue(u);
    }
  }

  delete(key: string): void {
    this.active.delete(key);
    this.backoff.delete(key);
    this.unschedulable.delete(key);
    this.inFlight.delete(key);
  }

  /** Move pods whose back-off is over into activeQ, and flush pods unschedulable for too long. */
  private flush(): void {
    const now = this.now();
    for (const [k, q] of this.backoff) {
      if (now >= q.failedAtMs + backoffMs(q.attempts)) {
        this.backoff.delete(k);
        this.activate(q);
      }
    }
    for (const [k, q] of this.unschedulable) {
      if (now - q.failedAtMs >= POD_MAX_IN_UNSCHEDULABLE_MS) {
        this.unschedulable.delete(k);
        this.requeue(q);
      }
    }
  }

  /** When the next pod in backoffQ is due (for the driver's timer); undefined when none waits. */
  nextBackoffDueMs(): number | undefined {
    let due: number | undefined;
    for (const q of this.backoff.values()) {
      const t = q.failedAtMs + backoffMs(q.attempts);
      if (due === undefined || t < due) due = t;
    }
    for (const q of this.unschedulable.values()) {
      const t = q.failedAtMs + POD_MAX_IN_UNSCHEDULABLE_MS;
      if (due === undefined || t < due) due = t;
    }
    return due;
  }

  /** The highest-priority, longest-waiting pod in activeQ (upstream PrioritySort queue sort). */
  pop(): { key: string; pod: Pod; attempts: number } | undefined {
    if (this.backoff.size > 0 || this.unschedulable.size > 0) this.flush();
    let best: QueuedPod | undefined;
    for (let e = this.heap.pop(); e !== undefined; e = this.heap.pop()) {
      if (this.active.get(e.q.key) === e.q && e.version === e.q.version) {
        best = e.q;
        break;
      }
    }
    if (best === undefined) return undefined;
    this.active.delete(best.key);
    best.attempts++;
    this.inFlight.set(best.key, best);
    return { key: best.key, pod: best.pod, attempts: best.attempts };
  }

  /** The attempt failed: unschedulable pods wait for a cluster event; errors back off. */
  failed(key: string, reason: 'unschedulable' | 'error'): void {
    const q = this.inFlight.get(key);
    if (q === undefined) return;
    this.inFlight.delete(key);
    q.failedAtMs = this.now();
    if (reason === 'unschedulable') this.unschedulable.set(key, q);
    else this.backoff.set(key, q);
  }

  /** The pod was bound (or is gone). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /** upstream MoveAllToActiveOrBackoffQueue: a cluster event may have made room. */
  moveAllToActiveOrBackoff(): void {
    for (const q of this.unschedulable.values()) this.requeue(q);
    this.unschedulable.clear();
  }

  private requeue(q: QueuedPod): void {
    if (this.now() < q.failedAtMs + backoffMs(q.attempts)) this.backoff.set(q.key, q);
    else {
      q.timestampMs = this.now();
      this.activate(q);
    }
  }

  private activate(q: QueuedPod): void {
    q.version++;
    this.active.set(q.key, q);
    this.heap.push({ q, version: q.version, priority: q.pod.spec?.priority ?? 0, timestampMs: q.timestampMs, seq: q.seq });
  }
}
