import type { Pod } from 'kubernetes-types/core/v1.js';

export interface PodColumns {
  /** READY: ready containers / containers (started sidecars count). */
  ready: string;
  /** STATUS, as kubectl prints it. */
  status: string;
  /** RESTARTS (the count; "(Xs ago)" is added by the table printer). */
  restarts: number;
}

/**
 * kubectl's READY, STATUS and RESTARTS for a pod (upstream
 * pkg/printers/internalversion/printers.go printPod, v1.32; k8s-rules.md
 * STATUS column): the phase, or status.reason (Evicted); SchedulingGated;
 * init containers give Init:<reason>, Init:ExitCode:N, Init:Signal:N or
 * Init:i/N; then containers from last to first: waiting reason, else
 * terminated reason, else ExitCode:N / Signal:N; Completed with a running
 * container shows Running (Ready) or NotReady; a deletion timestamp shows
 * Terminating, or Unknown for a pod on a lost node.
 */
export function podColumns(pod: Pod): PodColumns {
  const status = pod.status ?? {};
  const spec = pod.spec ?? { containers: [] };
  const sidecars = new Set((spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const total = spec.containers.length + sidecars.size;
  let ready = 0;
  let restarts = 0;
  let reason: string = status.reason || status.phase || '';
  if ((status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  let initializing = false;
  const inits = status.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i]!;
    restarts += c.restartCount ?? 0;
    const term = c.state?.terminated;
    if (term !== undefined && term.exitCode === 0) continue;
    if (sidecars.has(c.name) && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (term !== undefined) {
      reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
    } else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${c.state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  const initialized = (status.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = inits.filter((c) => sidecars.has(c.name)).reduce((n, c) => n + (c.restartCount ?? 0), 0);
    let hasRunning = false;
    const containers = status.containerStatuses ?? [];
    for (let i = containers.length - 1; i >= 0; i--) {
      const c = containers[i]!;
      restarts += c.restartCount ?? 0;
      const term = c.state?.terminated;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (term?.reason) reason = term.reason;
      else if (term !== undefined) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (c.ready && c.state?.running !== undefined) {
        hasRunning = true;
        ready++;
      }
    }
    // Some container is still running: the pod is not Completed.
    if (reason === 'Completed' && hasRunning) {
      reason = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  const deleting = pod.metadata?.deletionTimestamp !== undefined;
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';
  return { ready: `${ready}/${total}`, status: reason, restarts };
}
