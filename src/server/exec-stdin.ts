import type { WebSocket } from 'ws';
import type { ExecResult } from '../api/server/index.js';

const STDIN = 0;
const STDOUT = 1;
const RESIZE = 4;
/** v5.channel.k8s.io: [255, channel] says the client closed that stream (stdin at its end). */
const CLOSE = 255;
const SHELLS = new Set(['sh', 'ash', 'bash', 'dash', '/bin/sh', '/bin/ash', '/bin/bash', '/bin/dash', '/usr/bin/bash']);
/** busybox sh's prompt for root in / (what `kubectl exec -it <pod> -- sh` shows first). */
const PROMPT = '/ # ';

type Run = (command: string[], done: (error: unknown, result?: ExecResult) => void, stdin?: string) => void;
const STDERR = 2;
type Finish = (exitCode: number, error?: unknown) => void;

/**
 * `kubectl exec -i` and `-it` (stdin=true): with a shell and a TTY, a line
 * at a time — keystrokes are echoed, Backspace edits, Enter runs the line in
 * the container (output with CR LF, as a terminal shows it), Ctrl-C drops
 * the line, Ctrl-D or `exit [n]` ends the session with that code. Without a
 * TTY, stdin is read to its end and a shell runs it as a script
 * (`echo ls | kubectl exec -i pod -- sh`). Each line runs in a fresh shell
 * that first sets again the variables earlier lines set; files persist.
 */
export function interactiveExec(ws: WebSocket, command: string[], tty: boolean, run: Run, finish: Finish): void {
  const shell = SHELLS.has(command[0] ?? '') && !command.includes('-c');
  const send = (channel: number, text: string) => ws.readyState === ws.OPEN && ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(text)]));
  if (!tty) {
    const input: Buffer[] = [];
    ws.on('message', (m: Buffer) => {
      if (m[0] === STDIN) input.push(m.subarray(1));
      else if (m[0] === CLOSE && m[1] === STDIN) {
        // A shell runs stdin as its script; another command reads it, as bytes (`tar xf -` from kubectl cp).
        const bytes = Buffer.concat(input);
        const done = (error: unknown, result?: ExecResult) => {
          if (error !== null) return finish(1, error);
          if (result!.stderr) send(STDERR, result!.stderr);
          if (result!.output !== '' && ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([STDOUT]), Buffer.from(result!.output, result!.encoding ?? 'utf8')]));
          finish(result!.exitCode);
        };
        if (shell) run(['sh', '-c', bytes.toString('utf8')], done);
        else run(command, done, bytes.toString('latin1'));
      }
    });
    return;
  }
  if (!shell) {
    // A TTY on something that is not a shell: it runs once, as without stdin.
    return run(command, (error, result) => {
      if (error !== null) return finish(1, error);
      if (result!.output !== '') send(STDOUT, result!.output.replace(/\n/g, '\r\n'));
      finish(result!.exitCode);
    });
  }
  let line = '';
  // Variables the session has set (`export X=1`, `X=1`): each line runs in a fresh shell, so they are set again before it.
  const prelude: string[] = [];
  let busy = false;
  let queued = '';
  const prompt = () => send(STDOUT, PROMPT);
  const keys = (text: string): void => {
    for (let i = 0; i < text.length; i++) {
      if (busy) {
        queued += text.slice(i);
        return;
      }
      const c = text[i]!;
      if (c === '\r' || c === '\n') {
        send(STDOUT, '\r\n');
        const entered = line.trim();
        line = '';
        const exit = /^exit(?:\s+(\d+))?$/.exec(entered);
        if (exit !== null) return finish(Number(exit[1] ?? 0) & 255);
        if (entered === '') {
          prompt();
          continue;
        }
        busy = true;
        if (/^(export\s+)?[A-Za-z_][A-Za-z0-9_]*=\S*$/.test(entered)) prelude.push(entered.startsWith('export') ? entered : `export ${entered}`);
        run(['sh', '-c', [...prelude, entered].join('\n')], (error, result) => {
          const output = error !== null ? `sh: ${String((error as Error).message ?? error)}\n` : result!.output;
          if (output !== '') send(STDOUT, output.replace(/\r?\n/g, '\r\n'));
          busy = false;
          prompt();
          const rest = queued;
          queued = '';
          keys(rest);
        });
      } else if (c === '\x7f' || c === '\b') {
        if (line.length > 0) {
          line = line.slice(0, -1);
          send(STDOUT, '\b \b');
        }
      } else if (c === '\x03') {
        line = '';
        send(STDOUT, '^C\r\n');
        prompt();
      } else if (c === '\x04') {
        if (line === '') return finish(0);
      } else if (c === '\x1b') {
        // Arrow keys and other escape sequences: no history or cursor movement here.
        const m = /^\x1b\[[0-9;]*[A-Za-z~]/.exec(text.slice(i));
        if (m !== null) i += m[0].length - 1;
      } else if (c >= ' ') {
        line += c;
        send(STDOUT, c);
      }
    }
  };
  ws.on('message', (m: Buffer) => {
    if (m[0] === STDIN) keys(m.subarray(1).toString());
    else if (m[0] === CLOSE && m[1] === STDIN) finish(0);
    // RESIZE: the terminal's size does not change what runs here.
    else if (m[0] === RESIZE) return;
  });
  prompt();
}

