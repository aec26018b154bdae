import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { tryParseQuantity } from '../api/quantity.js';
import { MemoryFs } from '../workloads/sh/fs.js';
import type { ResolvedImage } from '../workloads/catalog.js';
import type { CrashLoopBackOff } from './backoff.js';
import type { EnvResult } from './env.js';
import { MountFs } from './volumes/mount-fs.js';
import type { VolumeSetup } from './volumes/setup.js';
import type { ImageEvent, ImageManager } from './images/manager.js';
import { RuntimeContainer, type RuntimeHost, type Terminated } from './runtime/container.js';
import { runHook } from './runtime/hooks.js';

function memoryLimit(c: Container): number | undefined {
  const q = tryParseQuantity(c.resources?.limits?.['memory']);
  return q === undefined ? undefined : q.value;
}

export type ContainerKind = 'init' | 'sidecar' | 'regular' | 'ephemeral';

/** A container of the pod across its restarts. */
export interface ContainerSlot {
  spec: Container;
  kind: ContainerKind;
  current: RuntimeContainer | undefined;
  /** The instance before the current one (status lastState). */
  previous: Terminated | undefined;
  /** Its log, kept for `kubectl logs --previous`. */
  previousInstance: RuntimeContainer | undefined;
  restartCount: number;
  waiting: { reason: string; message?: string } | undefined;
  pulling: boolean;
  /** The container has exited but the PLEG has not relisted yet: the kubelet does not know. */
  exitUnseen: boolean;
  image: ResolvedImage | undefined;
}

export interface PodWorkerDeps {
  host: RuntimeHost;
  images: ImageManager;
  crashBackOff: CrashLoopBackOff;
  /** A draw in [0, 1) from the node's seeded stream (sync jitter). */
  random(): number;
  /** An event about the pod (fieldPath names the container). */
  record(type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void;
  /** Something in the pod's status changed. */
  changed(): void;
  /** The container's environment (ConfigMaps, Secrets, downward API); plain values only when absent. */
  env?(container: Container): EnvResult;
  /** Registries the pod's imagePullSecrets hold credentials for. */
  pullCredentials?(): ReadonlySet<string>;
  /** Set up the pod's volumes (those already set up are passed back to keep). */
  volumes?(existing: ReadonlyMap<string, MemoryFs>): VolumeSetup;
}

/** kubelet.go backOffPeriod: a pod whose sync failed is synced again after 10 s, jittered by up to 50 % (pod_workers.go). */
const SYNC_BACKOFF_MS = 10_000;
const SYNC_JITTER = 0.5;
/** How soon to look again when a ConfigMap or Secret the environment needs has not been read yet. */
const ENV_PENDING_RETRY_MS = 1_000;
/** The generic PLEG relists every second: a container's exit is noticed within 1 s. */
const PLEG_RELIST_MS = 1_000;

const newSlot = (spec: Container, kind: ContainerKind): ContainerSlot => ({ spec, kind, current: undefined, previous: undefined, previousInstance: undefined, restartCount: 0, waiting: undefined, pulling: false, exitUnseen: false, image: undefined });

/**
 * One pod on one node (upstream pod_workers.go with kuberuntime's
 * computePodActions): init containers in order (sidecars must have started
 * before the next one), then the regular containers; exited containers are
 * restarted as the restart policy says, through the crash-loop back-off;
 * images through the image manager.
 */
export class PodWorker {
  readonly slots: ContainerSlot[];
  private resync: { cancel(): void; atMs: number } | undefined;
  private terminating = false;
  /** An init container failed and will not be restarted. */
  initFailed = false;
  /** The pod's volumes once mounted (an emptyDir outlives container restarts). */
  private volumes: Map<string, MemoryFs> | undefined;

  constructor(
    private pod: Pod,
    private readonly deps: PodWorkerDeps,
  ) {
    this.slots = [
      ...(pod.spec?.initContainers ?? []).map((c) => newSlot(c, c.restartPolicy === 'Always' ? 'sidecar' : 'init')),
      ...(pod.spec?.containers ?? []).map((c) => newSlot(c, 'regular')),
      ...(pod.spec?.ephemeralContainers ?? []).map((c) => newSlot(c as Container, 'ephemeral')),
    ];
  }

  get restartPolicy(): string {
    return this.pod.spec?.restartPolicy ?? 'Always';
  }

  private fieldPath(s: ContainerSlot): string {
    return `spec.${s.kind === 'regular' ? 'containers' : s.kind === 'ephemeral' ? 'ephemeralContainers' : 'initContainers'}{${s.spec.name}}`;
  }

  private emit(s: ContainerSlot, events: readonly ImageEvent[]): void {
    for (const e of events) this.deps.record(e.type, e.reason, e.message, this.fieldPath(s));
  }

  /** Sync again after `ms` (the earliest request wins). */
  private syncAfter(ms: number): void {
    const at = this.deps.host.monotonic() + ms;
    if (this.resync !== undefined && this.resync.atMs <= at) return;
    this.resync?.cancel();
    const timer = this.deps.host.after(ms, () => {
      this.resync = undefined;
      this.sync();
    });
    this.resync = { cancel: () => timer.cancel(), atMs: at };
  }

  private syncAfterError(): void {
    this.syncAfter(Math.round(SYNC_BACKOFF_MS * (1 + SYNC_JITTER * this.deps.random())));
  }

  /** The whole of one sync: what to start or restart now. */
  sync(): void {
    if (this.terminating || this.initFailed) return;
    if (!this.mountVolumes()) return;
    const policy = this.restartPolicy;
    for (const s of this.slots) {
      if (s.kind === 'regular') break;
      if (s.exitUnseen) return;
      if (s.kind === 'sidecar') {
        if (s.current?.running) continue;
        this.startOrBackOff(s);
        return;
      }
      if (s.current?.running) return;
      const t = s.current?.terminated;
      if (t?.exitCode === 0) continue;
      if (t !== undefined && policy === 'Never') {
        this.initFailed = true;
        this.deps.changed();
        return;
      }
      this.startOrBackOff(s);
      return;
    }
    // Ephemeral containers start once and are never restarted (kuberuntime computePodActions).
    for (const s of this.slots) if (s.kind === 'ephemeral' && s.current === undefined && s.waiting?.reason !== 'CreateContainerConfigError') this.startOrBackOff(s);
    for (const s of this.slots) {
      if (s.kind !== 'regular' || s.current?.running || s.exitUnseen) continue;
      const t = s.current?.terminated;
      // kuberuntime ShouldContainerBeRestarted: Always, or OnFailure after a non-zero exit.
      if (t !== undefined && !(policy === 'Always' || (policy === 'OnFailure' && t.exitCode !== 0))) continue;
      this.startOrBackOff(s);
    }
  }

  /** kubelet syncPod WaitForAttachAndMount: no container starts before every volume is set up. */
  private mountVolumes(): boolean {
    if (this.volumes !== undefined) return true;
    const r: VolumeSetup = this.deps.volumes?.(new Map()) ?? { volumes: new Map() };
    if (r === 'pending') {
      this.syncAfter(ENV_PENDING_RETRY_MS);
      return false;
    }
    if ('failed' in r) {
      this.deps.record('Warning', 'FailedMount', `MountVolume.SetUp failed for volume ${JSON.stringify(r.failed.volume)} : ${r.failed.message}`);
      this.syncAfterError();
      return false;
    }
    if ('unprocessed' in r) {
      // kubelet.go SyncPod on WaitForAttachAndMount's error (volume_manager.go): Go prints the sorted name lists as [a b].
      const names = `[${r.unprocessed.map((u) => u.volume).sort().join(' ')}]`;
      this.deps.record('Warning', 'FailedMount', `Unable to attach or mount volumes: unmounted volumes=${names}, unattached volumes=[], failed to process volumes=${names}: ${r.unprocessed.map((u) => u.message).join('; ')}`);
      this.syncAfterError();
      return false;
    }
    this.volumes = r.volumes;
    return true;
  }

  private stableKey(s: ContainerSlot): string {
    const m = this.pod.metadata ?? {};
    return `${m.name}_${m.namespace}_${m.uid}_${s.spec.name}`;
  }

  private startOrBackOff(s: ContainerSlot): void {
    if (s.pulling) return;
    const host = this.deps.host;
    const prev = s.current?.terminated;
    if (prev !== undefined) {
      // kuberuntime_manager.go doBackOff
      const key = this.stableKey(s);
      const m = this.pod.metadata ?? {};
      if (this.deps.crashBackOff.isInBackOffSince(key, prev.finishedAtMs, host.now())) {
        s.waiting = { reason: 'CrashLoopBackOff', message: this.deps.crashBackOff.message(key, s.spec.name, m.name ?? '', m.namespace ?? '', m.uid ?? '') };
        this.deps.record('Warning', 'BackOff', `Back-off restarting failed container ${s.spec.name} in pod ${m.name}_${m.namespace}(${m.uid})`, this.fieldPath(s));
        this.deps.changed();
        this.syncAfterError();
        return;
      }
      this.deps.crashBackOff.next(key, prev.finishedAtMs);
    }
    const outcome = this.deps.images.ensure(this.pod.metadata?.uid ?? '', s.spec, host.now(), () => this.deps.pullCredentials?.() ?? new Set());
    this.emit(s, outcome.events);
    if (outcome.kind === 'pulling') {
      s.pulling = true;
      host.after(Math.max(0, outcome.doneAtMs - host.now()), () => {
        s.pulling = false;
        if (this.terminating) return;
        const done = outcome.finish();
        this.emit(s, done.events);
        // A failed pull ends this sync (the next comes after the sync back-off); a good one carries on.
        if (done.kind === 'error') return this.imageFailed(s, done);
        if (done.kind === 'ready') this.create(s, done.image);
        this.sync();
      });
      return;
    }
    if (outcome.kind === 'error') return this.imageFailed(s, outcome);
    this.create(s, outcome.image);
  }

  private imageFailed(s: ContainerSlot, e: { reason: string; message: string }): void {
    s.waiting = { reason: e.reason, message: e.message };
    this.deps.changed();
    this.syncAfterError();
  }

  private create(s: ContainerSlot, image: ResolvedImage): void {
    const resolved: EnvResult = this.deps.env?.(s.spec) ?? { env: new Map((s.spec.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!])) };
    if (resolved === 'pending') return this.syncAfter(ENV_PENDING_RETRY_MS);
    if ('error' in resolved) {
      // kuberuntime startContainer: generateContainerConfig failed
      s.waiting = { reason: 'CreateContainerConfigError', message: resolved.error };
      this.deps.record('Warning', 'Failed', `Error: ${resolved.error}`, this.fieldPath(s));
      this.deps.changed();
      return this.syncAfterError();
    }
    const env = new Map<string, string>([['HOSTNAME', this.pod.metadata?.name ?? ''], ...resolved.env]);
    if (s.current?.terminated !== undefined) {
      s.previous = s.current.terminated;
      s.previousInstance = s.current;
      s.restartCount++;
    }
    s.image = image;
    s.waiting = undefined;
    const fieldPath = this.fieldPath(s);
    this.deps.record('Normal', 'Created', `Created container: ${s.spec.name}`, fieldPath);
    s.current = new RuntimeContainer(this.deps.host, image, { command: s.spec.command ?? [], args: s.spec.args ?? [], env, hostname: this.pod.metadata?.name ?? '', fs: this.containerFs(s.spec), stdin: s.spec.stdin === true }, () => this.exitedUnseen(s), memoryLimit(s.spec));
    const t = s.current.terminated;
    if (t?.reason === 'StartError') {
      this.deps.record('Warning', 'Failed', `Error: ${t.message}`, fieldPath);
      this.exitedUnseen(s);
    } else {
      this.deps.record('Normal', 'Started', `Started container ${s.spec.name}`, fieldPath);
      this.postStart(s);
    }
    this.deps.changed();
  }

  /** kuberuntime startContainer step 4: a failed postStart hook kills the container (to be restarted as its policy says). */
  private postStart(s: ContainerSlot): void {
    const hook = s.spec.lifecycle?.postStart;
    const c = s.current;
    if (hook === undefined || c?.main === undefined) return;
    runHook(hook, c.main, this.deps.host, (ok) => {
      if (ok || s.current !== c || !c.running) return;
      this.deps.record('Warning', 'FailedPostStartHook', 'PostStartHook failed', this.fieldPath(s));
      this.killContainer(s, (this.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000, 'FailedPostStartHook');
    });
  }

  /** A mounted volume's filesystem (for usage accounting). */
  volume(name: string): MemoryFs | undefined {
    return this.volumes?.get(name);
  }

  /** A fresh container layer with the pod's volumes mounted where the container asks. */
  private containerFs(c: Container): MemoryFs {
    const mounts = (c.volumeMounts ?? []).flatMap((m) => {
      const volume = this.volumes?.get(m.name);
      return volume === undefined ? [] : [{ path: m.mountPath, volume, readOnly: m.readOnly ?? false }];
    });
    return mounts.length === 0 ? new MemoryFs() : new MountFs(mounts);
  }

  /** The PLEG notices an exit at its next relist; the pod is synced then. */
  private exitedUnseen(s: ContainerSlot): void {
    s.exitUnseen = true;
    this.deps.host.after(PLEG_RELIST_MS, () => {
      s.exitUnseen = false;
      this.deps.changed();
      this.sync();
    });
  }

  /** Kill one container (liveness failure, OOM is the runtime's): SIGTERM, then SIGKILL after the grace period. */
  killContainer(s: ContainerSlot, gracePeriodMs: number, message: string): void {
    if (!s.current?.running) return;
    this.deps.record('Normal', 'Killing', message, this.fieldPath(s));
    // upstream: the handler's error stays in the log; the event says only that the hook failed
    s.current.stop(gracePeriodMs, s.spec.lifecycle?.preStop, () => this.deps.record('Warning', 'FailedPreStopHook', 'PreStopHook failed', this.fieldPath(s)));
  }

  /** Stop the pod: every container gets SIGTERM, SIGKILL after the grace period. */
  terminate(gracePeriodMs: number): void {
    this.terminating = true;
    this.resync?.cancel();
    for (const s of this.slots) this.killContainer(s, gracePeriodMs, `Stopping container ${s.spec.name}`);
  }

  get allStopped(): boolean {
    // A pull in flight does not hold the pod: deletion cancels the sync that started it (pod_workers.go UpdatePod cancels the running sync's context).
    return this.slots.every((s) => !s.current?.running);
  }

  get isTerminating(): boolean {
    return this.terminating;
  }

  update(pod: Pod): void {
    this.pod = pod;
    // Ephemeral containers added through pods/ephemeralcontainers start at the next sync.
    const known = new Set(this.slots.filter((s) => s.kind === 'ephemeral').map((s) => s.spec.name));
    const added = (pod.spec?.ephemeralContainers ?? []).filter((c) => !known.has(c.name));
    if (added.length === 0) return;
    for (const c of added) this.slots.push(newSlot(c as Container, 'ephemeral'));
    this.deps.changed();
    this.sync();
  }
}
