import type { Container, ContainerStatus, PodSpec } from 'kubernetes-types/core/v1.js';

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

const statusOf = (statuses: readonly ContainerStatus[], name: string): ContainerStatus | undefined => statuses.find((s) => s.name === name);
const isSidecar = (c: Container): boolean => c.restartPolicy === 'Always';

/** upstream kubecontainer.HasAnyRegularContainerStarted. */
function anyRegularContainerStarted(spec: PodSpec, statuses: readonly ContainerStatus[]): boolean {
  return spec.containers.some((c) => {
    const s = statusOf(statuses, c.name);
    return s !== undefined && (s.state?.running !== undefined || s.state?.terminated !== undefined || s.lastState?.terminated !== undefined);
  });
}

/**
 * The pod phase from its containers (upstream pkg/kubelet/kubelet_pods.go
 * getPhase, v1.32): init containers must finish (sidecars must have started)
 * before the pod leaves Pending; a failed init container fails the pod only
 * when it will not be restarted; Running while any container runs; with all
 * stopped, the restart policy decides between Running (restarting),
 * Succeeded and Failed.
 */
export function podPhase(spec: PodSpec, initStatuses: readonly ContainerStatus[], statuses: readonly ContainerStatus[], podIsTerminal = false): PodPhase {
  let pendingInitialization = 0;
  let failedInitialization = 0;
  for (const c of spec.initContainers ?? []) {
    const s = statusOf(initStatuses, c.name);
    if (s === undefined) {
      pendingInitialization++;
      continue;
    }
    if (isSidecar(c)) {
      if (s.state?.running !== undefined) {
        if (!s.started) pendingInitialization++;
      } else if (s.state?.terminated !== undefined) {
        // ignored: a stopped sidecar does not hold the pod back
      } else if (s.state?.waiting !== undefined) {
        if (s.lastState?.terminated === undefined) pendingInitialization++;
      } else pendingInitialization++;
      continue;
    }
    if (s.state?.running !== undefined) pendingInitialization++;
    else if (s.state?.terminated !== undefined) {
      if (s.state.terminated.exitCode !== 0) failedInitialization++;
    } else if (s.state?.waiting !== undefined) {
      if (s.lastState?.terminated !== undefined) {
        if (s.lastState.terminated.exitCode !== 0) failedInitialization++;
      } else pendingInitialization++;
    } else pendingInitialization++;
  }

  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.containers) {
    const s = statusOf(statuses, c.name);
    if (s === undefined) unknown++;
    else if (s.state?.running !== undefined) running++;
    else if (s.state?.terminated !== undefined) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting !== undefined) {
      if (s.lastState?.terminated !== undefined) stopped++;
      else waiting++;
    } else unknown++;
  }

  const restartPolicy = spec.restartPolicy ?? 'Always';
  if (failedInitialization > 0 && restartPolicy === 'Never') return 'Failed';
  if ((pendingInitialization > 0 && !anyRegularContainerStarted(spec, statuses)) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}
