import { CpuUsage } from '../resources/cpu-usage.js';
import type { ResolvedImage } from '../../workloads/catalog.js';
import { EXIT_SIGKILL, StartError, type ContainerProcess, type ProcessSpec } from '../../workloads/process.js';
import { startProcess } from '../../workloads/start.js';
import type { LifecycleHandler } from 'kubernetes-types/core/v1.js';
import { runHook } from './hooks.js';

/** What the runtime needs from its node: the host's clocks and timers, and container ids. */
export interface RuntimeHost {
  now(): number;
  monotonic(): number;
  after(ms: number, fn: () => void): { cancel(): void };
  /** A fresh container id (64 hex digits). */
  newId(): string;
}

/** When the runtime first reads a container's memory, and how often after that when it changes. */
const OOM_FIRST_CHECK_MS = 100;
/** kuberuntime minimumGracePeriodInSeconds: SIGTERM always gets at least 2 s after a preStop hook. */
const MIN_GRACE_MS = 2_000;
const OOM_CHECK_PERIOD_MS = 1_000;

export interface LogLine {
  /** Wall-clock ms on the node when the line was written. */
  timeMs: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface Terminated {
  exitCode: number;
  /** Completed, Error, OOMKilled, StartError. */
  reason: string;
  message?: string;
  startedAtMs: number;
  finishedAtMs: number;
  containerID: string;
}

/**
 * One instance of a container (one attempt): its process, its log, and how it
 * ended. The runtime (containerd) view: it knows nothing of pods or restarts.
 */
export class RuntimeContainer {
  readonly containerID: string;
  readonly startedAtMs: number;
  readonly startedMonotonicMs: number;
  readonly logs: LogLine[] = [];
  /** Bytes written to the log so far. */
  logBytes = 0;
  /** CPU time used so far (the kubelet sets the rate as it shares the node's CPU). */
  readonly cpu: CpuUsage;
  /** The container's filesystem (its writable layer, with volumes mounted). */
  readonly fs: ProcessSpec['fs'];
  terminated: Terminated | undefined;
  private process: ContainerProcess | undefined;
  private killTimer: { cancel(): void } | undefined;
  private oomKilled = false;
  private stopping = false;
  private partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  constructor(
    private readonly host: RuntimeHost,
    image: ResolvedImage,
    spec: ProcessSpec,
    private readonly onExit: (c: RuntimeContainer) => void,
    private readonly memoryLimitBytes?: number,
  ) {
    this.containerID = `containerd://${host.newId()}`;
    this.fs = spec.fs;
    this.startedAtMs = host.now();
    this.startedMonotonicMs = host.monotonic();
    this.cpu = new CpuUsage(this.startedMonotonicMs);
    try {
      this.process = startProcess(image, spec, {
        now: () => host.now(),
        monotonic: () => host.monotonic(),
        after: (ms, fn) => host.after(ms, fn),
        stdout: (t) => this.write('stdout', t),
        stderr: (t) => this.write('stderr', t),
        exit: (code) => this.exited(code),
      });
    } catch (e) {
      if (!(e instanceof StartError)) throw e;
      this.terminated = { exitCode: e.exitCode, reason: 'StartError', message: e.message, startedAtMs: 0, finishedAtMs: this.startedAtMs, containerID: this.containerID };
    }
    if (memoryLimitBytes !== undefined && this.terminated === undefined) host.after(OOM_FIRST_CHECK_MS, () => this.checkMemory());
  }

  /**
   * The memory cgroup: usage above the limit gets the container OOM-killed.
   * Usage is read shortly after start, then every second while it can change.
   */
  private checkMemory(): void {
    const p = this.main;
    if (p === undefined || this.memoryLimitBytes === undefined) return;
    if (p.memoryBytes() > this.memoryLimitBytes) return this.oomKill();
    if (p.memoryVaries()) this.host.after(OOM_CHECK_PERIOD_MS, () => this.checkMemory());
  }

  get running(): boolean {
    return this.terminated === undefined;
  }

  /** The process, while it runs (for probes, exec and resource accounting). */
  get main(): ContainerProcess | undefined {
    return this.terminated === undefined ? this.process : undefined;
  }

  /** Container log lines are split at newlines, as the CRI log writer does. */
  private write(stream: 'stdout' | 'stderr', text: string): void {
    const parts = (this.partial[stream] + text).split('\n');
    this.partial[stream] = parts.pop()!;
    for (const line of parts) {
      this.logs.push({ timeMs: this.host.now(), stream, text: line });
      this.logBytes += line.length + 1;
    }
  }

  private exited(code: number): void {
    if (this.terminated !== undefined) return;
    this.killTimer?.cancel();
    this.cpu.setRate(0, this.host.monotonic());
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream] !== '') this.logs.push({ timeMs: this.host.now(), stream, text: this.partial[stream] });
      this.partial[stream] = '';
    }
    // A container ends Completed (0), Error (otherwise) or OOMKilled (the kernel's OOM killer).
    const reason = this.oomKilled ? 'OOMKilled' : code === 0 ? 'Completed' : 'Error';
    this.terminated = { exitCode: code, reason, startedAtMs: this.startedAtMs, finishedAtMs: this.host.now(), containerID: this.containerID };
    this.onExit(this);
  }

  /**
   * Stop (kuberuntime killContainer): the preStop hook first, bounded by the
   * grace period; then SIGTERM with what is left of it (at least 2 s), and
   * SIGKILL when that runs out (CRI StopContainer).
   */
  stop(gracePeriodMs: number, preStop?: LifecycleHandler, preStopFailed?: (message: string) => void): void {
    if (this.terminated !== undefined || this.process === undefined || this.stopping) return;
    this.stopping = true;
    if (preStop === undefined || gracePeriodMs <= 0) return this.term(gracePeriodMs);
    const began = this.host.monotonic();
    let over = false;
    let timeout: { cancel(): void } | undefined;
    const hook = runHook(preStop, this.process, this.host, (ok, message) => {
      if (over) return;
      over = true;
      timeout?.cancel();
      if (!ok) preStopFailed?.(message);
      this.term(Math.max(MIN_GRACE_MS, gracePeriodMs - (this.host.monotonic() - began)));
    });
    if (over) return;
    timeout = this.host.after(gracePeriodMs, () => {
      if (over) return;
      over = true;
      hook.cancel();
      this.term(MIN_GRACE_MS);
    });
  }

  private term(gracePeriodMs: number): void {
    if (this.terminated !== undefined || this.process === undefined) return;
    const p = this.process;
    if (gracePeriodMs <= 0) {
      p.signal('SIGKILL');
      return;
    }
    p.signal('SIGTERM');
    if (this.terminated === undefined && this.killTimer === undefined) this.killTimer = this.host.after(gracePeriodMs, () => p.signal('SIGKILL'));
  }

  /** The kernel's OOM killer: SIGKILL, exit 137, reason OOMKilled. */
  oomKill(): void {
    if (this.terminated !== undefined || this.process === undefined) return;
    this.oomKilled = true;
    this.process.signal('SIGKILL');
    // Every model exits at once on SIGKILL; make sure of it.
    this.exited(EXIT_SIGKILL);
  }
}
