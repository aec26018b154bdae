import type { MemoryFs } from './sh/fs.js';

/**
 * What the container runtime gives a running image: its host's clock and
 * timers (injected, never imported: the world stays below this layer), and
 * where its output and its end go.
 */
export interface ProcessHost {
  /** Wall-clock ms of the container's host (for `date`, log timestamps). */
  now(): number;
  /** Monotonic ms of the host (ages, durations). */
  monotonic(): number;
  /** Run `fn` after `ms` of the host's time; the handle cancels it. */
  after(ms: number, fn: () => void): { cancel(): void };
  stdout(text: string): void;
  stderr(text: string): void;
  /** The main process ended with this exit code. */
  exit(code: number): void;
}

/** How a container was asked to run (from the pod spec). */
export interface ProcessSpec {
  command: string[];
  args: string[];
  env: Map<string, string>;
  hostname: string;
  fs: MemoryFs;
  /** The container keeps stdin open (`stdin: true`): a shell with no script waits for input instead of exiting. */
  stdin?: boolean;
}

export interface HttpResponse {
  status: number;
  body: string;
  /** Time to answer, in ms of unthrottled CPU (the runtime scales it by throttling). */
  latencyMs: number;
}

export interface ExecResult {
  exitCode: number;
  output: string;
  /** Standard error apart from output (commands whose output is data, as `tar c`). */
  stderr?: string;
  /** `latin1`: the output is bytes, one char each (a tar archive), not text. */
  encoding?: 'latin1';
}

/** A container's main process as a behaviour model. */
export interface ContainerProcess {
  /** Answer an HTTP request on a port; undefined when nothing listens (connection refused). */
  http(port: number, path: string): HttpResponse | undefined;
  /** Whether a TCP connection to the port is accepted. */
  listening(port: number): boolean;
  /**
   * Run a command inside the container (exec probes, `kubectl exec`).
   * Yields its sleeps like a script; returns its exit code and output.
   */
  exec(command: string[], stdin?: string): Generator<{ sleepMs: number }, ExecResult, void>;
  /** Resident memory now, in bytes. */
  memoryBytes(): number;
  /** Whether its memory changes over time (else it is read once: no polling). */
  memoryVaries(): boolean;
  /** CPU the process wants now, in millicores. */
  cpuMillicores(): number;
  /** Processes running in the container now (1 when absent). */
  processes?(): number;
  /** SIGTERM (graceful stop) or SIGKILL. */
  signal(signal: 'SIGTERM' | 'SIGKILL'): void;
  /** An interactive shell waiting on stdin (`kubectl run -it`, `kubectl debug -it`): attached sessions talk to it. */
  interactive?(): boolean;
  /** The attached session ended (`exit N`, Ctrl-D, or stdin closed with stdinOnce): the shell exits with that code. */
  endSession?(exitCode: number): void;
}

/** Exit code of a process killed by a signal: 128 + signal number (SIGKILL 9 → 137, SIGTERM 15 → 143). */
export const EXIT_SIGKILL = 137;
export const EXIT_SIGTERM = 143;

/** The error the runtime reports when a container's executable does not exist (runc via containerd). */
export class StartError extends Error {
  readonly exitCode = 128;
}

export function executableNotFound(name: string): StartError {
  return new StartError(
    `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: ${JSON.stringify(name)}: executable file not found in $PATH: unknown`,
  );
}
