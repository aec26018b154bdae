import { describe, expect, it } from 'vitest';
import { MemoryFs } from './fs.js';
import { runSh } from './interpreter.js';
import type { ShContext } from './context.js';

function context(env: Record<string, string> = {}, fs = new MemoryFs()) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: ShContext = { fs, env: new Map(Object.entries(env)), stdout: (t) => out.push(t), stderr: (t) => err.push(t), now: () => Date.UTC(2026, 0, 1, 0, 0, 5), hostname: 'web-0', traps: new Map() };
  return { ctx, out, err };
}

/** Drive a script like the container runtime will: each yield is a sleep on the clock. */
function run(script: string, env: Record<string, string> = {}, fs = new MemoryFs(), untilMs = Infinity) {
  const { ctx, out, err } = context(env, fs);
  const program = runSh(script, ctx);
  const sleeps: number[] = [];
  let elapsed = 0;
  let step = program.next();
  while (!step.done) {
    sleeps.push(step.value.sleepMs);
    elapsed += step.value.sleepMs;
    if (elapsed >= untilMs) break;
    step = program.next();
  }
  return { code: step.done ? step.value : undefined, out: out.join(''), err: err.join(''), sleeps, fs };
}

describe('sh subset', () => {
  it('runs the exec liveness example: the file exists for 30 s, then is gone (kubernetes.io liveness docs)', () => {
    const fs = new MemoryFs();
    const { ctx } = context({}, fs);
    const program = runSh('touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600', ctx);
    expect(program.next().value).toEqual({ sleepMs: 30_000 });
    expect(fs.exists('/tmp/healthy')).toBe(true);
    expect(program.next().value).toEqual({ sleepMs: 600_000 });
    expect(fs.exists('/tmp/healthy')).toBe(false);
    // The probe's command now fails with busybox's words, as the Unhealthy event shows them.
    const probe = run('cat /tmp/healthy', {}, fs);
    expect(probe.code).toBe(1);
    expect(probe.err).toBe("cat: can't open '/tmp/healthy': No such file or directory\n");
  });

  it('loops forever on virtual time without blocking', () => {
    const r = run('while true; do echo hello; sleep 10; done', {}, new MemoryFs(), 35_000);
    expect(r.code).toBeUndefined();
    expect(r.sleeps).toEqual([10_000, 10_000, 10_000, 10_000]);
    expect(r.out).toBe('hello\nhello\nhello\nhello\n');
  });

  it.each([
    ['exit 3', 3, '', ''],
    ['false && echo no || echo yes', 0, 'yes\n', ''],
    ['if [ "$A" = "b" ]; then echo B; elif [ -z "$A" ]; then echo empty; else echo other; fi', 0, 'empty\n', ''],
    ['i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i', 0, '3\n', ''],
    ['for x in $(seq 1 3); do printf "%s," $x; done', 0, '1,2,3,', ''],
    ['for n in a "b c"; do echo "[$n]"; done', 0, '[a]\n[b c]\n', ''],
    ['echo ${UNSET:-default} ${NAME}', 0, 'default web\n', ''],
    ['nosuch arg', 127, '', 'sh: nosuch: not found\n'],
    ['rm /tmp/missing', 1, '', "rm: can't remove '/tmp/missing': No such file or directory\n"],
    ['[ 1 -eq 1', 2, '', '[: missing ]\n'],
    ['echo "unterminated', 2, '', 'sh: syntax error: unterminated quoted string\n'],
    ['sleep abc', 1, '', "sleep: invalid number 'abc'\n"],
    ['echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f', 0, 'one\ntwo\n', ''],
    ['cat /nope 2>&1', 1, "cat: can't open '/nope': No such file or directory\n", ''],
    ['echo a | cat', 0, 'a\n', ''],
    ['! false', 0, '', ''],
    ['echo $?; false; echo $?', 0, '0\n1\n', ''],
    ['date; hostname', 0, 'Thu Jan  1 00:00:05 UTC 2026\nweb-0\n', ''],
    ['mkdir -p /data/x && touch /data/x/f && ls /data/x', 0, 'f\n', ''],
    ['while true; do break; done; echo after', 0, 'after\n', ''],
    ['printenv NAME; env', 0, 'web\nNAME=web\n', ''],
  ])('%j', (script, code, out, err) => {
    const r = run(script, { NAME: 'web' });
    expect([r.code, r.out, r.err]).toEqual([code, out, err]);
  });

  it('sleeps for fractional and suffixed durations, and forever on infinity', () => {
    expect(run('sleep 0.5; sleep 2m').sleeps).toEqual([500, 120_000]);
    expect(run('sleep infinity', {}, new MemoryFs(), 1e12).sleeps).toEqual([Infinity]);
  });

  it('records trap handlers for graceful shutdown', () => {
    const { ctx } = context();
    const p = runSh("trap 'echo bye; exit 0' TERM; sleep 1000", ctx);
    p.next();
    expect(ctx.traps.get('TERM')).toBe('echo bye; exit 0');
  });
});

describe('busy loops', () => {
  it('a loop that never sleeps still yields, so the simulation moves on (1 ms per 1,000 commands)', () => {
    const fs = new MemoryFs();
    const out: string[] = [];
    const ctx = { fs, env: new Map<string, string>(), stdout: (t: string) => out.push(t), stderr: () => {}, now: () => 0, hostname: 'h', traps: new Map<string, string>() };
    const gen = runSh('while true; do echo x; done', ctx);
    let slept = 0;
    for (let i = 0; i < 5; i++) slept += (gen.next().value as { sleepMs: number }).sleepMs;
    expect(slept).toBe(5);
    // `true` and `echo` are two commands per round: about 500 rounds per ms.
    expect(out.length).toBeGreaterThanOrEqual(2400);
    expect(out.length).toBeLessThanOrEqual(2500);
  });
});
