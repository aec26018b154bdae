import { runSh } from '../sh/interpreter.js';
import { EXIT_SIGKILL, executableNotFound, type ContainerProcess, type ExecResult, type HttpResponse, type ProcessHost, type ProcessSpec } from '../process.js';
import { ScriptRunner, execInShell, scriptFor, shContext } from './script.js';

/** Resident memory of a shell and its applets. */
const SHELL_MEMORY_BYTES = 600 * 1024;

/**
 * busybox and alpine: the image's default command is `sh`; `command`/`args`
 * replace it. The main process is PID 1, so SIGTERM does nothing unless the
 * script traps it (the kernel ignores signals PID 1 does not handle): a
 * plain `sleep 3600` pod takes its whole grace period to stop and ends with
 * SIGKILL, exit 137, exactly as on a real node.
 */
export class ShellProcess implements ContainerProcess {
  private readonly runner: ScriptRunner;
  private readonly ctx;
  private exited = false;

  constructor(
    private readonly spec: ProcessSpec,
    private readonly host: ProcessHost,
  ) {
    const argv = [...spec.command, ...spec.args];
    const script = scriptFor(argv.length > 0 ? argv : ['sh']);
    if (script === undefined) throw executableNotFound(argv[0] ?? '');
    this.runner = new ScriptRunner(host);
    this.ctx = shContext(spec, host, (t) => host.stdout(t), (t) => host.stderr(t));
    // A shell with no script and an open stdin reads commands: it waits for an attached session.
    this.waiting = spec.stdin === true && script.script === '' && !argv.includes('-c');
    if (!this.waiting) this.runner.run(runSh(script.script, this.ctx, script.positional), (code) => this.exit(code));
  }

  private readonly waiting: boolean;

  interactive(): boolean {
    return this.waiting && !this.exited;
  }

  endSession(exitCode: number): void {
    if (this.waiting) this.exit(exitCode);
  }

  private exit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.runner.stop();
    this.host.exit(code);
  }

  http(): HttpResponse | undefined {
    return undefined;
  }

  listening(): boolean {
    return false;
  }

  exec(command: string[], stdin?: string): Generator<{ sleepMs: number }, ExecResult, void> {
    return execInShell(this.spec, this.host, command, stdin);
  }

  memoryBytes(): number {
    return this.exited ? 0 : SHELL_MEMORY_BYTES;
  }

  memoryVaries(): boolean {
    return false;
  }

  cpuMillicores(): number {
    return 0;
  }

  signal(signal: 'SIGTERM' | 'SIGKILL'): void {
    if (this.exited) return;
    if (signal === 'SIGKILL') {
      this.exit(EXIT_SIGKILL);
      return;
    }
    const trap = this.ctx.traps.get('TERM') ?? this.ctx.traps.get('SIGTERM') ?? this.ctx.traps.get('15');
    if (trap === undefined) return;
    // The trap runs in place of the interrupted command; the script ends with the trap's status.
    this.runner.stop();
    const handler = new ScriptRunner(this.host);
    handler.run(runSh(trap, this.ctx), (code) => this.exit(code));
  }
}
