import { EXIT_SIGKILL, type ContainerProcess, type ExecResult, type HttpResponse, type ProcessHost, type ProcessSpec } from '../process.js';
import { execInShell } from './script.js';

/** A long-running process that listens on ports and answers by path, as a model. */
export interface ServerModel {
  ports: number[];
  /** ms from start until the ports accept connections. */
  startupMs: number;
  memoryBytes: (ageMs: number) => number;
  /** The memory profile changes with age (growth, spikes). */
  memoryVaries?: boolean;
  cpuMillicores?: (ageMs: number) => number;
  /** Processes running at an age (1 when absent). */
  processes?: (ageMs: number) => number;
  /** Lines to stdout at start. */
  startLogs?: string[];
  /** Lines to stderr at start. */
  startErrors?: string[];
  /** The answer on a listening port; ageMs counts from start. */
  answer(port: number, path: string, ageMs: number): Omit<HttpResponse, 'latencyMs'> & { latencyMs?: number };
  /** How it ends after SIGTERM (or its image's stop signal): delay, exit code, last words. */
  onTerm: { delayMs: number; exitCode: number; stderr?: string };
  /** Exit by itself: after this many ms, with this code. */
  crash?: { afterMs: number; exitCode: number };
  /** Periodic stdout lines. */
  logs?: { lines: string[]; everyMs?: number };
  /** Whether the image has a shell for `exec` (distroless images do not). */
  shell: boolean;
}

export class ServerProcess implements ContainerProcess {
  private readonly startedAt: number;
  private exited = false;
  private readonly timers: Array<{ cancel(): void }> = [];

  constructor(
    private readonly spec: ProcessSpec,
    private readonly host: ProcessHost,
    private readonly model: ServerModel,
  ) {
    this.startedAt = host.monotonic();
    for (const line of model.startLogs ?? []) host.stdout(`${line}\n`);
    for (const line of model.startErrors ?? []) host.stderr(`${line}\n`);
    if (model.crash !== undefined) {
      const { afterMs, exitCode } = model.crash;
      this.timers.push(host.after(afterMs, () => this.exit(exitCode)));
    }
    const logs = model.logs;
    if (logs !== undefined && logs.lines.length > 0) {
      let i = 0;
      const emit = (): void => {
        if (this.exited) return;
        host.stdout(`${logs.lines[i % logs.lines.length]}\n`);
        i++;
        if (logs.everyMs !== undefined) this.timers.push(host.after(logs.everyMs, emit));
        else if (i < logs.lines.length) emit();
      };
      emit();
    }
  }

  private age(): number {
    return this.host.monotonic() - this.startedAt;
  }

  private exit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    for (const t of this.timers) t.cancel();
    this.host.exit(code);
  }

  listening(port: number): boolean {
    return !this.exited && this.age() >= this.model.startupMs && this.model.ports.includes(port);
  }

  http(port: number, path: string): HttpResponse | undefined {
    if (!this.listening(port)) return undefined;
    const a = this.model.answer(port, path, this.age());
    return { status: a.status, body: a.body, latencyMs: a.latencyMs ?? 1 };
  }

  *exec(command: string[], stdin?: string): Generator<{ sleepMs: number }, ExecResult, void> {
    if (!this.model.shell) {
      return { exitCode: 126, output: `OCI runtime exec failed: exec failed: unable to start container process: exec: ${JSON.stringify(command[0] ?? '')}: executable file not found in $PATH: unknown` };
    }
    return yield* execInShell(this.spec, this.host, command, stdin);
  }

  memoryBytes(): number {
    return this.exited ? 0 : this.model.memoryBytes(this.age());
  }

  memoryVaries(): boolean {
    return this.model.memoryVaries === true;
  }

  cpuMillicores(): number {
    return this.exited ? 0 : (this.model.cpuMillicores?.(this.age()) ?? 0);
  }

  processes(): number {
    return this.exited ? 0 : (this.model.processes?.(this.age()) ?? 1);
  }

  signal(signal: 'SIGTERM' | 'SIGKILL'): void {
    if (this.exited) return;
    if (signal === 'SIGKILL') return this.exit(EXIT_SIGKILL);
    const { delayMs, exitCode, stderr } = this.model.onTerm;
    this.timers.push(
      this.host.after(delayMs, () => {
        if (stderr !== undefined && !this.exited) this.host.stderr(`${stderr}\n`);
        this.exit(exitCode);
      }),
    );
  }
}
