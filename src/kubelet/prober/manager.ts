import type { Pod, Probe } from 'kubernetes-types/core/v1.js';
import type { ContainerSlot, PodWorker } from '../pod-worker.js';
import type { RuntimeContainer, RuntimeHost } from '../runtime/container.js';
import type { ProbeView } from '../status/pod-status.js';
import { runProbe, type ProbeOutcome } from './probe.js';
import { ResultsManager, type ProbeType } from './results.js';
import { ProbeWorkerState, type ProbeTarget } from './worker-state.js';

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

/** Probes that take less than this are recorded when they are sent. */
const INLINE_PROBE_MS = 10;

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
    readonly deps: ProbeManagerDeps,
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
    new ProbeWorker(this, slot, state, label, probe).tick();
  }

  /** The pod as a probe worker sees it this period. */
  target(slot: ContainerSlot): ProbeTarget {
    const c = slot.current;
    return {
      podPhase: this.deps.podPhase(),
      podDeleting: this.deps.podDeleting(),
      restartPolicy: this.worker.restartPolicy,
      ...(c !== undefined && {
        container: { containerID: c.containerID, ...(c.running && { runningSinceMs: c.startedMonotonicMs }), terminated: !c.running, started: this.view.started(slot) },
      }),
    };
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Stop every worker (their pending ticks then do nothing). */
  stop(): void {
    this.stopped = true;
  }
}

/**
 * One probe's ticker (worker.go run/doProbe). A class rather than closures:
 * this runs for every probe of every pod each period, the hottest path of a
 * large simulation.
 */
class ProbeWorker {
  private readonly periodMs: number;
  private readonly fieldPath: string;
  private readonly ports: Map<string, number>;
  private began = 0;
  private probed: RuntimeContainer | undefined;
  private outcome: ProbeOutcome | undefined;
  readonly tick = (): void => this.run();
  private readonly finish = (): void => this.done();

  constructor(
    private readonly manager: ProbeManager,
    private readonly slot: ContainerSlot,
    private readonly state: ProbeWorkerState,
    private readonly label: string,
    private readonly probe: Probe,
  ) {
    this.periodMs = (probe.periodSeconds ?? 10) * 1000;
    this.fieldPath = `spec.${slot.kind === 'regular' ? 'containers' : 'initContainers'}{${slot.spec.name}}`;
    this.ports = new Map((slot.spec.ports ?? []).filter((p) => p.name !== undefined).map((p) => [p.name!, p.containerPort]));
  }

  private run(): void {
    const m = this.manager;
    if (m.isStopped) return;
    const host = m.deps.host;
    this.began = host.monotonic();
    const step = this.state.step(m.target(this.slot), this.began);
    if (step === 'stop') return;
    const c = this.slot.current;
    if (step === 'skip' || c === undefined || c.main === undefined) return this.next();
    this.probed = c;
    this.outcome = runProbe(this.probe, c.main, { podIP: m.deps.podIP(), ports: this.ports, slowdown: m.deps.slowdown?.(this.slot) ?? 1 });
    // A probe answered within a few ms is taken at once: one timer per period instead of two.
    if (this.outcome.tookMs < INLINE_PROBE_MS) this.done();
    else host.after(this.outcome.tookMs, this.finish);
  }

  private done(): void {
    const m = this.manager;
    if (m.isStopped) return;
    const c = this.probed;
    const outcome = this.outcome!;
    if (this.slot.current === c && c?.running) {
      if (outcome.result === 'Failure') m.deps.record('Warning', 'Unhealthy', `${this.label} probe failed: ${outcome.output}`, this.fieldPath);
      this.state.record(outcome.result);
    }
    this.next();
  }

  /** A ticker: the next tick is the first period boundary after this probe ends. */
  private next(): void {
    const host = this.manager.deps.host;
    const elapsed = host.monotonic() - this.began;
    host.after(this.periodMs * Math.max(1, Math.ceil(elapsed / this.periodMs)) - elapsed, this.tick);
  }
}
