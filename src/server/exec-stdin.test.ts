import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { interactiveExec } from './exec-stdin.js';

/** A WebSocket stand-in: what the server sends, and a way to send it stdin frames. */
function socket() {
  const ws = new EventEmitter() as EventEmitter & { readyState: number; OPEN: number; send(b: Buffer): void; sent: Buffer[] };
  ws.readyState = 1;
  ws.OPEN = 1;
  ws.sent = [];
  ws.send = (b: Buffer) => void ws.sent.push(b);
  const type = (text: string) => ws.emit('message', Buffer.concat([Buffer.from([0]), Buffer.from(text)]));
  const closeStdin = () => ws.emit('message', Buffer.from([255, 0]));
  const screen = () => ws.sent.filter((b) => b[0] === 1).map((b) => b.subarray(1).toString()).join('');
  return { ws: ws as unknown as WebSocket, type, closeStdin, screen };
}

/** Commands run at once: `sh -c <line>` echoes what it was given, "fail" exits 1. */
const run = (ran: string[][]) => (command: string[], done: (e: unknown, r?: { output: string; exitCode: number }) => void) => {
  ran.push(command);
  const line = command[2] ?? command.join(' ');
  done(null, line === 'fail' ? { output: 'boom\n', exitCode: 1 } : { output: `ran: ${line}\n`, exitCode: 0 });
};

describe('kubectl exec -i / -it (stdin over v5.channel.k8s.io)', () => {
  it('with a TTY and a shell: prompt, echo, Backspace, Enter runs the line with CR LF output, exit N ends it', () => {
    const s = socket();
    const ran: string[][] = [];
    let exit: number | undefined;
    interactiveExec(s.ws, ['sh'], true, run(ran), (code) => (exit = code));
    expect(s.screen()).toBe('/ # ');
    s.type('lx\x7fs /tmp\r');
    expect(ran).toEqual([['sh', '-c', 'ls /tmp']]);
    expect(s.screen()).toBe('/ # lx\b \bs /tmp\r\nran: ls /tmp\r\n/ # ');
    s.type('half\x03');
    expect(s.screen().endsWith('half^C\r\n/ # ')).toBe(true);
    s.type('\x1b[A\r');
    expect(ran).toHaveLength(1);

    s.type('export GREETING=hi\recho $GREETING\r');
    expect(ran.at(-1)).toEqual(['sh', '-c', 'export GREETING=hi\necho $GREETING']);
    s.type('exit 3\r');
    expect(exit).toBe(3);
  });

  it('Ctrl-D on an empty line, or stdin closing, ends the session with 0', () => {
    const s = socket();
    let exit: number | undefined;
    interactiveExec(s.ws, ['/bin/sh'], true, run([]), (code) => (exit = code));
    s.type('\x04');
    expect(exit).toBe(0);
  });

  it('without a TTY: stdin to its end is the shell script', () => {
    const s = socket();
    const ran: string[][] = [];
    let exit: number | undefined;
    interactiveExec(s.ws, ['sh'], false, run(ran), (code) => (exit = code));
    s.type('echo a\n');
    s.type('echo b\n');
    expect(ran).toEqual([]);
    s.closeStdin();
    expect(ran).toEqual([['sh', '-c', 'echo a\necho b\n']]);
    expect(exit).toBe(0);
  });
});
