export type ProbeType = 'liveness' | 'readiness' | 'startup';
export type ProbeResult = 'Success' | 'Failure' | 'Unknown';

/** upstream pkg/kubelet/prober/worker.go newWorker: readiness starts failed, liveness succeeded, startup unknown. */
export const INITIAL_RESULT: Record<ProbeType, ProbeResult> = { readiness: 'Failure', liveness: 'Success', startup: 'Unknown' };

/**
 * upstream pkg/kubelet/prober/results: the latest result per container;
 * listeners hear only about changes.
 */
export class ResultsManager {
  private readonly results = new Map<string, ProbeResult>();
  private readonly listeners: Array<(containerID: string, result: ProbeResult) => void> = [];

  get(containerID: string): ProbeResult | undefined {
    return this.results.get(containerID);
  }

  set(containerID: string, result: ProbeResult): void {
    if (this.results.get(containerID) === result) return;
    this.results.set(containerID, result);
    for (const l of this.listeners) l(containerID, result);
  }

  remove(containerID: string): void {
    this.results.delete(containerID);
  }

  onUpdate(listener: (containerID: string, result: ProbeResult) => void): void {
    this.listeners.push(listener);
  }
}
