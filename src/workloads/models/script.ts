import { BUILTINS } from '../sh/builtins.js';
import type { ShContext } from '../sh/context.js';
import { runSh } from '../sh/interpreter.js';
import { executableNotFound, type ExecResult, type ProcessHost, type ProcessSpec } from '../process.js';

const SHELLS = new Set(['sh', 'ash']);

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Turn an argv into a script for the sh subset: `sh -c 'script' $0 $1…`
 * runs the script; `sh` alone has no input and ends at once; any other
 * command must be one the image has (a busybox applet here), else the
 * runtime cannot start it. Returns undefined for a missing executable.
 */
export function scriptFor(argv: string[]): { script: string; positional: string[] } | undefined {
  const [first, ...rest] = argv;
  if (first === undefined) return { script: '', positional: [] };
  const name = basename(first);
  if (SHELLS.has(name)) {
    if (rest[0] === '-c') return { script: rest[1] ?? '', positional: rest.slice(2) };
    return { script: '', positional: [] };
  }
  if (BUILTINS[name] === undefined) return undefined;
  return { script: argv.map(quote).join(' '), positional: [] };
}

export function shContext(spec: ProcessSpec, host: ProcessHost, out: (t: string) => void, err: (t: string) => void): ShContext {
  return { fs: spec.fs, env: spec.env, stdout: out, stderr: err, now: () => host.now(), hostname: spec.hostname, traps: new Map() };
}

/** Drives a script on the host's clock: each yielded sleep becomes a host timer. */
export class ScriptRunner {
  private timer: { cancel(): void } | undefined;
  private stopped = false;

  constructor(private readonly host: ProcessHost) {}

  run(gen: Generator<{ sleepMs: number }, number, void>, done: (code: number) => void): void {
    const step = (): void => {
      this.timer = undefined;
      if (this.stopped) return;
      const r = gen.next();
      if (r.done) {
        this.stopped = true;
        done(r.value);
      } else if (r.value.sleepMs !== Infinity) this.timer = this.host.after(r.value.sleepMs, step);
    };
    step();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }
}

/**
 * `exec` into a container whose image has a shell: the command runs over the
 * container's files and environment. A missing executable is the runtime's
 * exec error (exit 126 as `kubectl exec` reports it).
 */
export function* execInShell(spec: ProcessSpec, host: ProcessHost, command: string[], stdin = ''): Generator<{ sleepMs: number }, ExecResult, void> {
  const script = scriptFor(command);
  if (script === undefined) {
    const name = command[0] ?? '';
    return { exitCode: 126, output: `OCI runtime exec failed: exec failed: unable to start container process: exec: ${JSON.stringify(name)}: executable file not found in $PATH: unknown` };
  }
  let output = '';
  // tar's output is an archive: its messages go apart, and the bytes travel as bytes (kubectl cp).
  const data = basename(command[0] ?? '') === 'tar';
  let stderr = '';
  const ctx = { ...shContext(spec, host, (t) => (output += t), (t) => (data ? (stderr += t) : (output += t))), env: new Map(spec.env) };
  const exitCode = yield* runSh(script.script, ctx, script.positional, stdin);
  return data ? { exitCode, output, stderr, encoding: 'latin1' } : { exitCode, output };
}

export { executableNotFound };
