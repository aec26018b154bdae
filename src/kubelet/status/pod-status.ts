import type { ContainerState, ContainerStatus, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../../api/server/time.js';
import type { ContainerSlot, PodWorker } from '../pod-worker.js';
import type { Terminated } from '../runtime/container.js';
import { podPhase } from './phase.js';

function terminatedState(t: Terminated): ContainerState {
  return {
    terminated: {
      exitCode: t.exitCode,
      reason: t.reason,
      ...(t.message !== undefined && { message: t.message }),
      startedAt: rfc3339(t.startedAtMs),
      finishedAt: rfc3339(t.finishedAtMs),
      containerID: t.containerID,
    },
  };
}

/** What probes say about a container (no probe: ready once running, started once running). */
export interface ProbeView {
  ready(slot: ContainerSlot): boolean;
  started(slot: ContainerSlot): boolean;
}

const NO_PROBES: ProbeView = { ready: () => true, started: () => true };

/**
 * A container's status as the kubelet reports it (kubelet_pods.go
 * convertToAPIContainerStatuses): a waiting reason wins (CrashLoopBackOff,
 * ErrImagePull…), then running, then terminated; before its first start it
 * waits as ContainerCreating, or PodInitializing behind init containers.
 * lastState is the instance before (or, while waiting to restart, the one
 * that just ended).
 */
export function containerStatus(s: ContainerSlot, defaultWaiting: string, probes: ProbeView = NO_PROBES): ContainerStatus {
  const c = s.current;
  const running = c?.running === true;
  let state: ContainerState;
  let lastState: ContainerState = s.previous === undefined ? {} : terminatedState(s.previous);
  if (s.waiting !== undefined) {
    state = { waiting: { reason: s.waiting.reason, ...(s.waiting.message !== undefined && { message: s.waiting.message }) } };
    if (c?.terminated !== undefined) lastState = terminatedState(c.terminated);
  } else if (c !== undefined && running) state = { running: { startedAt: rfc3339(c.startedAtMs) } };
  else if (c?.terminated !== undefined) state = terminatedState(c.terminated);
  else state = { waiting: { reason: defaultWaiting } };
  const started = running && probes.started(s);
  return {
    name: s.spec.name,
    state,
    lastState,
    ready: started && probes.ready(s),
    restartCount: s.restartCount,
    image: s.spec.image ?? '',
    imageID: s.image === undefined ? '' : `${s.image.reference.domain}/${s.image.reference.path}@sha256:${'0'.repeat(64)}`,
    ...(c !== undefined && { containerID: c.containerID }),
    started,
  };
}

/** `lastProbeTime: null`, as the kubelet writes it. */
const NEVER = null as unknown as string;

function condition(type: string, ok: boolean, reason: string, message: string, nowMs: number, previous: readonly PodCondition[]): PodCondition {
  const status = ok ? 'True' : 'False';
  const before = previous.find((p) => p.type === type);
  const lastTransitionTime = before !== undefined && before.status === status ? before.lastTransitionTime : rfc3339(nowMs);
  return { type, status, lastProbeTime: NEVER, lastTransitionTime, ...(ok ? {} : { reason, ...(message !== '' && { message }) }) };
}

/**
 * The pod's status from its worker (kubelet_pods.go generateAPIPodStatus):
 * container statuses, phase (getPhase) and the conditions
 * PodReadyToStartContainers, Initialized, ContainersReady and Ready, with
 * upstream's reasons and messages (pkg/kubelet/status/generate.go).
 */
export function podStatus(worker: PodWorker, nowMs: number, previous: PodStatus = {}, probes: ProbeView = NO_PROBES): Pick<PodStatus, 'phase' | 'conditions' | 'containerStatuses' | 'initContainerStatuses' | 'ephemeralContainerStatuses'> {
  const init = worker.slots.filter((s) => s.kind === 'init' || s.kind === 'sidecar');
  const ephemeral = worker.slots.filter((s) => s.kind === 'ephemeral');
  const regular = worker.slots.filter((s) => s.kind === 'regular');
  const initStatuses = init.map((s) => containerStatus(s, 'PodInitializing', probes));
  const statuses = regular.map((s) => containerStatus(s, init.length > 0 ? 'PodInitializing' : 'ContainerCreating', probes));
  const spec = { containers: regular.map((s) => s.spec), initContainers: init.map((s) => s.spec), restartPolicy: worker.restartPolicy };
  const phase = podPhase(spec, initStatuses, statuses);
  const prev = previous.conditions ?? [];
  // generate.go GeneratePodInitializedCondition: init containers done, sidecars started
  const incomplete = init.filter((s, i) => (s.kind === 'sidecar' ? !initStatuses[i]!.started : s.current?.terminated?.exitCode !== 0 || s.current?.running)).map((s) => s.spec.name);
  const unready = regular.filter((_, i) => !statuses[i]!.ready).map((s) => s.spec.name);
  const unreadySidecars = init.filter((s, i) => s.kind === 'sidecar' && !initStatuses[i]!.ready).map((s) => s.spec.name);
  const notReady = [...unreadySidecars, ...unready];
  // generate.go: a Succeeded pod's containers are not ready with reason PodCompleted.
  const done = phase === 'Succeeded';
  const readyMessage = done ? '' : `containers with unready status: [${notReady.join(' ')}]`;
  const conditions: PodCondition[] = [
    condition('PodReadyToStartContainers', true, '', '', nowMs, prev),
    condition('Initialized', incomplete.length === 0 || phase === 'Succeeded', 'ContainersNotInitialized', `containers with incomplete status: [${incomplete.join(' ')}]`, nowMs, prev),
    condition('Ready', notReady.length === 0 && phase !== 'Succeeded' && phase !== 'Failed', done ? 'PodCompleted' : 'ContainersNotReady', readyMessage, nowMs, prev),
    condition('ContainersReady', notReady.length === 0 && phase !== 'Succeeded' && phase !== 'Failed', done ? 'PodCompleted' : 'ContainersNotReady', readyMessage, nowMs, prev),
    ...prev.filter((p) => p.type === 'PodScheduled'),
  ];
  // Ephemeral containers have no part in the phase or readiness (kubelet_pods.go: their statuses only).
  const ephemeralStatuses = ephemeral.map((s) => containerStatus(s, init.length > 0 ? 'PodInitializing' : 'ContainerCreating', probes));
  return { phase, conditions, containerStatuses: statuses, ...(init.length > 0 && { initContainerStatuses: initStatuses }), ...(ephemeral.length > 0 && { ephemeralContainerStatuses: ephemeralStatuses }) };
}
