import type { ResultsManager } from './results.js';
import { INITIAL_RESULT, type ProbeResult, type ProbeType } from './results.js';

export interface ProbeThresholds {
  initialDelaySeconds: number;
  successThreshold: number;
  failureThreshold: number;
}

/** What the worker sees of its pod and container each period. */
export interface ProbeTarget {
  podPhase: string;
  podDeleting: boolean;
  restartPolicy: string;
  container?: { containerID: string; runningSinceMs?: number; terminated: boolean; started: boolean };
}

/** Whether to run the probe now, skip this period, or stop the worker for good. */
export type ProbeStep = 'probe' | 'skip' | 'stop';

/**
 * One probe worker's state (upstream pkg/kubelet/prober/worker.go doProbe),
 * keyed by (pod, container, probe type), free of I/O: `step` decides what
 * this period does, `record` takes the probe's result. Results reach the
 * results manager only when a threshold is met, and it passes on changes
 * only.
 */
export class ProbeWorkerState {
  private containerID = '';
  private onHold = false;
  private lastResult: ProbeResult | undefined;
  private resultRun = 0;

  constructor(
    readonly type: ProbeType,
    private readonly spec: ProbeThresholds,
    private readonly results: ResultsManager,
  ) {}

  step(target: ProbeTarget, nowMs: number): ProbeStep {
    if (target.podPhase === 'Failed' || target.podPhase === 'Succeeded') return 'stop';
    const c = target.container;
    if (c === undefined || c.containerID === '') return 'skip';
    if (c.containerID !== this.containerID) {
      if (this.containerID !== '') this.results.remove(this.containerID);
      this.containerID = c.containerID;
      this.results.set(this.containerID, INITIAL_RESULT[this.type]);
      // A new container: resume probing.
      this.onHold = false;
    }
    if (this.onHold) return 'skip';
    if (c.runningSinceMs === undefined) {
      this.results.set(this.containerID, 'Failure');
      // Stop only if the container will not be restarted.
      return c.terminated && target.restartPolicy === 'Never' ? 'stop' : 'skip';
    }
    // Graceful shutdown: liveness and startup go quiet (k8s-rules.md Probes).
    if (target.podDeleting && (this.type === 'liveness' || this.type === 'startup')) {
      this.results.set(this.containerID, 'Success');
      return 'stop';
    }
    if (Math.floor((nowMs - c.runningSinceMs) / 1000) < this.spec.initialDelaySeconds) return 'skip';
    // Startup gates the others; once started, startup stops probing.
    if (c.started ? this.type === 'startup' : this.type !== 'startup') return 'skip';
    return 'probe';
  }

  /** Take a probe's outcome; 'error' (a prober error) changes nothing. */
  record(result: ProbeResult | 'error'): void {
    if (result === 'error') return;
    if (this.lastResult === result) this.resultRun++;
    else {
      this.lastResult = result;
      this.resultRun = 1;
    }
    if ((result === 'Failure' && this.resultRun < this.spec.failureThreshold) || (result === 'Success' && this.resultRun < this.spec.successThreshold)) return;
    this.results.set(this.containerID, result);
    if ((this.type === 'liveness' || this.type === 'startup') && result === 'Failure') {
      // The container will be restarted: hold until a new container appears.
      this.onHold = true;
      this.resultRun = 0;
    }
  }
}
