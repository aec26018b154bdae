import { goDuration } from '../api/duration.js';

/** kubelet's crash-loop back-off: 10 s initial, 300 s cap (pkg/kubelet/kubelet.go backOffPeriod, MaxContainerBackOff). */
export const CRASH_BACKOFF_INITIAL_MS = 10_000;
export const CRASH_BACKOFF_MAX_MS = 300_000;

interface Entry {
  backoffMs: number;
  lastUpdateMs: number;
}

/**
 * client-go's flowcontrol.Backoff as the kubelet uses it for restarts
 * (pkg/kubelet/kuberuntime doBackOff): the first crash restarts at once and
 * starts the back-off at 10 s; each later crash waits the current back-off
 * after it finished, then doubles it up to 300 s. An entry not updated for
 * twice the cap (10 minutes) has expired: the next crash restarts at once
 * again and the back-off starts over.
 */
export class CrashLoopBackOff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly initialMs = CRASH_BACKOFF_INITIAL_MS,
    private readonly maxMs = CRASH_BACKOFF_MAX_MS,
  ) {}

  private expired(e: Entry, eventMs: number): boolean {
    return eventMs - e.lastUpdateMs > 2 * this.maxMs;
  }

  /**
   * Is the container (key) still backing off at `nowMs` for a crash that
   * finished at `finishedAtMs`? (flowcontrol IsInBackOffSince)
   */
  isInBackOffSince(key: string, finishedAtMs: number, nowMs: number): boolean {
    const e = this.entries.get(key);
    if (e === undefined || this.expired(e, finishedAtMs)) return false;
    return nowMs - finishedAtMs < e.backoffMs;
  }

  /** Is the key backing off at `nowMs`, counted from its last update? (flowcontrol IsInBackOffSinceUpdate, used for image pulls) */
  isInBackOffSinceUpdate(key: string, nowMs: number): boolean {
    const e = this.entries.get(key);
    if (e === undefined || this.expired(e, nowMs)) return false;
    return nowMs - e.lastUpdateMs < e.backoffMs;
  }

  /** When the container may start again: `finishedAtMs` plus the current back-off. */
  releaseAt(key: string, finishedAtMs: number): number {
    const e = this.entries.get(key);
    return e === undefined || this.expired(e, finishedAtMs) ? finishedAtMs : finishedAtMs + e.backoffMs;
  }

  /** Record a restart for a crash that finished at `finishedAtMs` (flowcontrol Next). */
  next(key: string, finishedAtMs: number): void {
    const e = this.entries.get(key);
    if (e === undefined || this.expired(e, finishedAtMs)) this.entries.set(key, { backoffMs: this.initialMs, lastUpdateMs: finishedAtMs });
    else {
      e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
      e.lastUpdateMs = finishedAtMs;
    }
  }

  /** The current back-off of a key (0 when none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /**
   * The waiting message kubectl shows (k8s-rules.md Restarts):
   * `back-off 40s restarting failed container=app pod=web_default(uid)`.
   */
  message(key: string, container: string, pod: string, namespace: string, uid: string): string {
    return `back-off ${goDuration(this.get(key))} restarting failed container=${container} pod=${pod}_${namespace}(${uid})`;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
