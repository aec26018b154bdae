import type { Pod, Probe } from 'kubernetes-types/core/v1.js';
import type { ContainerSlot, PodWorker } from '../pod-worker.js';
import type { RuntimeHost } from '../runtime/container.js';
import type { ProbeView } from '../status/pod-status.js';
import { runProbe } from './probe.js';
import { ResultsManager, type ProbeType } from './results.js';
import { ProbeWorkerState } from './worker-state.js';

export interface ProbeManagerDeps {
  host: Pick<RuntimeHost, 'after' | 'monotonic'>;
  podIP(): string;
  podPhase(): string;
  podDeleting(): boolean;
  record(type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void;
  changed(): void;
  /** How much a container's answers are slowed by CPU throttling (1 = not). */
  slowdown?(slot: ContainerSlot): number;
}

const TYPES: Array<[ProbeType, 'livenessProbe' | 'readinessProbe' | 'startupProbe', string]> = [
  ['startup', 'startupProbe', 'Startup'],
  ['liveness', 'livenessProbe', 'Liveness'],
  ['readiness', 'readinessProbe', 'Readiness'],
];

/**
 * The prober manager for one pod (upstream pkg/kubelet/prober
 * prober_manager.go and worker.go): one worker per container and probe type,
 * ticking every periodSeconds from the moment the pod is added; each failed
 * probe records `Warning Unhealthy "<Type> probe failed: <output>"`; a
 * liveness or startup result of Failure kills the container, which the pod
 * worker then restarts; readiness and startup results feed the status.
 */
export class ProbeManager {
  readonly results: Record<ProbeType, ResultsManager> = { liveness: new ResultsManager(), readiness: new ResultsManager(), startup: new ResultsManager() };
  private stopped = false;

  readonly view: ProbeView = {
    ready: (s) => (s.spec.readinessProbe === undefined ? true : this.results.readiness.get(s.current?.containerID ?? '') === 'Success'),
    started: (s) => (s.spec.startupProbe === undefined ? s.current?.running === true : this.results.startup.get(s.current?.containerID ?? '') === 'Success'),
  };

  constructor(
    private readonly pod: Pod,
    private readonly worker: PodWorker,
    private readonly deps: ProbeManagerDeps,
  ) {
    for (const type of ['liveness', 'startup'] as const) {
      this.results[type].onUpdate((id, result) => {
        if (result !== 'Failure') return;
        const slot = worker.slots.find((s) => s.current?.containerID === id);
        if (slot === undefined) return;
        const probe = (type === 'liveness' ? slot.spec.livenessProbe : slot.spec.startupProbe)!;
        // kubelet.go: "Container X failed liveness probe, will be restarted" (the suffix only when it will be)
        const willRestart = worker.restartPolicy !== 'Never' || slot.kind === 'sidecar';
        const grace = probe.terminationGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
        worker.killContainer(slot, grace * 1000, `Container ${slot.spec.name} failed ${type} probe${willRestart ? ', will be restarted' : ''}`);
      });
    }
    this.results.readiness.onUpdate(() => deps.changed());
    this.results.startup.onUpdate(() => deps.changed());
    for (const slot of worker.slots) {
      if (slot.kind === 'init') continue;
      for (const [type, field, label] of TYPES) {
        const probe = slot.spec[field];
        if (probe !== undefined) this.addWorker(slot, type, label, probe);
      }
    }
  }

  private addWorker(slot: ContainerSlot, type: ProbeType, label: string, probe: Probe): void {
    const state = new ProbeWorkerState(type, { initialDelaySeconds: probe.initialDelaySeconds ?? 0, successThreshold: probe.successThreshold ?? 1, failureThreshold: probe.failureThreshold ?? 3 }, this.results[type]);
    const periodMs = (probe.periodSeconds ?? 10) * 1000;
    const host = this.deps.host;
    const fieldPath = `spec.${slot.kind === 'regular' ? 'containers' : 'initContainers'}{${slot.spec.name}}`;
    const ports = new Map((slot.spec.ports ?? []).filter((p) => p.name !== undefined).map((p) => [p.name!, p.containerPort]));
    const tick = (): void => {
      if (this.stopped) return;
      const began = host.monotonic();
      const c = slot.current;
      const step = state.step(
        {
          podPhase: this.deps.podPhase(),
          podDeleting: this.deps.podDeleting(),
          restartPolicy: this.worker.restartPolicy,
          ...(c !== undefined && {
            container: { containerID: c.containerID, ...(c.running && { runningSinceMs: c.startedMonotonicMs }), terminated: !c.running, started: this.view.started(slot) },
          }),
        },
        began,
      );
      if (step === 'stop') return;
      const next = (): void => {
        // A ticker: the next tick is the first period boundary after this probe ends.
        const elapsed = host.monotonic() - began;
        host.after(periodMs * Math.max(1, Math.ceil(elapsed / periodMs)) - elapsed, tick);
      };
      if (step === 'skip' || c === undefined || !c.running || c.main === undefined) return next();
      const outcome = runProbe(probe, c.main, { podIP: this.deps.podIP(), ports, slowdown: this.deps.slowdown?.(slot) ?? 1 });
      host.after(outcome.tookMs, () => {
        if (this.stopped) return;
        if (slot.current === c && c.running) {
          if (outcome.result === 'Failure') this.deps.record('Warning', 'Unhealthy', `${label} probe failed: ${outcome.output}`, fieldPath);
          state.record(outcome.result);
        }
        next();
      });
    };
    tick();
  }

  /** Stop every worker (their pending ticks then do nothing). */
  stop(): void {
    this.stopped = true;
  }
}
